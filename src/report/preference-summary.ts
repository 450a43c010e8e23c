import type { TrainerEvent } from "../launch/index.js";
import type { Point, Preference } from "./schema.js";

type Numbers = Preference["train"];
type Measured = Partial<
  Record<"rewards_chosen" | "rewards_rejected" | "reward_margin" | "preference_accuracy", number>
>;

/** What a DPO/KTO run's events say about its preferences: the last step's and the last eval's numbers. */
export function summarizePreference(
  events: TrainerEvent[],
  lastPerStep: (points: Point[]) => Point[],
): Preference {
  const steps = events.flatMap((e) => (e.type === "step" ? [e] : []));
  const evals = events.flatMap((e) => (e.type === "eval" ? [e] : []));
  const lastEval = evals.at(-1);
  return {
    train: numbers(steps.at(-1) ?? {}),
    eval: lastEval ? numbers(lastEval) : null,
    accuracy_curve: lastPerStep(
      steps.flatMap((e) => (e.preference_accuracy === undefined ? [] : [[e.step, e.preference_accuracy]])),
    ),
  };
}

function numbers(event: Measured): Numbers {
  return {
    rewards_chosen: event.rewards_chosen ?? null,
    rewards_rejected: event.rewards_rejected ?? null,
    reward_margin: event.reward_margin ?? null,
    accuracy: event.preference_accuracy ?? null,
  };
}
