import { type NotifyKind, type WorkspaceSettings } from "../budget/index.js";

/** Whether an event of this kind is sent: a webhook is set and `notify.on` lists the kind. */
export function shouldNotify(settings: Pick<WorkspaceSettings, "notify">, kind: NotifyKind): boolean {
  return Boolean(settings.notify.webhook) && settings.notify.on.includes(kind);
}
