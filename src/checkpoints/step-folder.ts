/** A checkpoint's folder name, `step-NNNNNN` (six digits at least): the one place it is spelled. */
export const STEP_DIR = /^step-(\d{6,})$/;

export const stepName = (step: number) => `step-${String(step).padStart(6, "0")}`;

/** The checkpoint's folder within a run's folders in a store: `checkpoints/step-NNNNNN`. */
export const stepFolder = (step: number) => `checkpoints/${stepName(step)}`;

/** The step of a `step-NNNNNN` folder name, or undefined for any other name. */
export function parseStep(name: string): number | undefined {
  const match = STEP_DIR.exec(name);
  return match ? Number(match[1]) : undefined;
}
