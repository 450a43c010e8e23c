// Notifications about jobs (done, failed, budget) through a Slack-compatible incoming webhook.
export { type NotifyEvent } from "./event.js";
export { notify, type NotifyOptions, type NotifyResult, DEFAULT_NOTIFY_RETRY } from "./send.js";
export { buildPayload, type WebhookPayload } from "./payload.js";
export { shouldNotify } from "./should-notify.js";
export { redactUrl } from "../secrets/index.js";
