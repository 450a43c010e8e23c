import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { root } from "./cli.js";
import { trainingWorkspace } from "./run-workspace.js";

/** How a pair is made from a quickstart row: its prompt and answer → the chosen and the rejected answer. */
export type PairRule = (prompt: string, answer: string) => { chosen: string; rejected: string };

/** The chosen answer is the JSON the task asks for, the rejected one the same JSON shouted in capitals. */
export const shouted: PairRule = (_, answer) => ({ chosen: answer, rejected: answer.toUpperCase() });

/**
 * A preference task on the quickstart rows (`Format as JSON:` prompts): rows `from`…`from + n` made into
 * {prompt, chosen, rejected} by `rule` (default: the rule broken by shouting). The tiny base prefers neither
 * at step 0.
 */
export function pairs(from: number, n: number, rule: PairRule = shouted): string {
  const rows = readFileSync(join(root, "datasets/quickstart/train.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean);
  return (
    rows
      .slice(from, from + n)
      .map((line) => {
        const [user, answer] = (JSON.parse(line) as { messages: { content: string }[] }).messages;
        return JSON.stringify({ prompt: user!.content, ...rule(user!.content, answer!.content) });
      })
      .join("\n") + "\n"
  );
}

/** The tiny-model training workspace with pairs as its data (64 to train on, 8 held out); its 16 chats in data/sft.jsonl. */
export async function dpoWorkspace(training: Record<string, number | string>) {
  const settings = { method: "dpo", dpo: "{ beta: 0.5 }", learning_rate: 0.005, ...training };
  const cwd = await trainingWorkspace(settings, { train: 16, eval: 1 });
  await writeFile(join(cwd, "data/sft.jsonl"), readFileSync(join(cwd, "data/train.jsonl")));
  await writeFile(join(cwd, "data/train.jsonl"), pairs(0, 64));
  await writeFile(join(cwd, "data/eval.jsonl"), pairs(64, 8));
  return cwd;
}
