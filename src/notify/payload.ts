import { formatMoney } from "../budget/index.js";
import { type NotifyEvent } from "./event.js";

/** The body Slack-compatible incoming webhooks accept, plus the event itself for other receivers. */
export interface WebhookPayload {
  text: string;
  blocks: Block[];
  pipeline: NotifyEvent;
}

type Text = { type: "mrkdwn"; text: string };
type Block = { type: "section"; text: Text } | { type: "section"; fields: Text[] };

const TITLE: Record<NotifyEvent["kind"], string> = {
  done: ":white_check_mark: job {job} done",
  failed: ":x: job {job} failed",
  budget: ":moneybag: job {job} and the budget",
};
// Slack's limits: 3,000 characters of section text, at most 10 fields.
const MAX_TEXT = 2900;
const MAX_FIELDS = 10;

export function buildPayload(event: NotifyEvent): WebhookPayload {
  const title = TITLE[event.kind].replace("{job}", escape(event.job));
  const message = escape(clip(event.message));
  const text = `${title} (project ${escape(event.project)}): ${message}`;
  const blocks: Block[] = [
    { type: "section", text: mrkdwn(`*${title}* · project ${escape(event.project)}\n${message}`) },
  ];
  const fields = eventFields(event).slice(0, MAX_FIELDS);
  if (fields.length > 0) blocks.push({ type: "section", fields });
  return { text, blocks, pipeline: event };
}

function eventFields(event: NotifyEvent): Text[] {
  const fields: [string, string][] = [];
  if (event.run) fields.push(["Run", event.run]);
  if (event.cost) fields.push(["Cost", formatMoney(event.cost.value, event.cost.currency)]);
  for (const [name, value] of Object.entries(event.metrics ?? {})) fields.push([name, formatNumber(value)]);
  return fields.map(([name, value]) => mrkdwn(`*${escape(name)}*\n${escape(value)}`));
}

function mrkdwn(text: string): Text {
  return { type: "mrkdwn", text };
}

// Slack reads &, < and > as markup (links, mentions); user text must not turn into either.
function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
