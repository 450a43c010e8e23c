import { type NotifyKind } from "../budget/index.js";

/** Something a team wants to hear about: a job done or failed, or a budget that refused or warned. */
export interface NotifyEvent {
  kind: NotifyKind;
  job: string;
  project: string;
  run?: string;
  message: string;
  cost?: { value: number; currency: string };
  /** Final metrics, e.g. { loss: 0.41, eval_loss: 0.52 }. */
  metrics?: Record<string, number>;
}
