import { formatHours, formatMoney } from "./money.js";
import { rateFor } from "./rates.js";
import { type WorkspaceSettings } from "./schema.js";

export interface EstimateInput {
  /** GPUs the job asks for; 0 is a CPU-only job, priced as one `cpu` device. */
  gpus: number;
  /** The GPU name nvidia-smi reports (e.g. "NVIDIA H100 80GB HBM3"); ignored when gpus is 0. */
  deviceType: string;
  /** The job's time limit; default `jobs.max_hours`. */
  maxHours?: number;
}

/** The most a job may cost: every device it holds, priced for its whole time limit. */
export interface CostEstimate {
  value: number;
  currency: string;
  devices: number;
  device: "GPU" | "CPU worker";
  hours: number;
  rate: number;
  /** The `rates` key that priced it, or "default_rate". */
  key: string;
  /** How the value was reached, for messages: `2 GPUs × 4 h × 2.50 USD/h`. */
  formula: string;
}

/** Prices a job before it runs; undefined when no rate applies (cost unknown). */
export function estimateCost(
  settings: Pick<WorkspaceSettings, "rates" | "default_rate" | "currency" | "jobs">,
  input: EstimateInput,
): CostEstimate | undefined {
  const onCpu = input.gpus <= 0;
  const price = rateFor(settings, onCpu ? "cpu" : input.deviceType);
  if (!price) return undefined;
  const devices = onCpu ? 1 : input.gpus;
  const device = onCpu ? "CPU worker" : "GPU";
  const hours = input.maxHours ?? settings.jobs.max_hours;
  const counted = `${devices} ${device}${devices === 1 ? "" : "s"}`;
  const formula = `${counted} × ${formatHours(hours)} × ${formatMoney(price.rate, price.currency)}/h`;
  const value = devices * hours * price.rate;
  return {
    value,
    currency: price.currency,
    devices,
    device,
    hours,
    rate: price.rate,
    key: price.key,
    formula,
  };
}
