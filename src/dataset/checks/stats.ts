import type { CanonicalRecord, Message, Role } from "../types.js";
import type { DatasetStats } from "../report.js";
import { Reservoir } from "./reservoir.js";

/** What the trainer sees of a record: for a pair, the prompt and the longer answer. */
export function trainedMessages(record: CanonicalRecord): Message[] {
  if (record.kind === "chat") return record.messages;
  if (record.kind === "text") return [];
  if (record.kind === "feedback") return [...record.prompt, ...record.completion];
  const longer = charCount(record.chosen) >= charCount(record.rejected) ? record.chosen : record.rejected;
  return [...record.prompt, ...longer];
}

export function charCount(messages: Message[]): number {
  let total = 0;
  for (const m of messages) {
    total += m.content.length + (m.reasoning?.length ?? 0);
    if (m.tool_calls) for (const call of m.tool_calls) total += call.name.length + call.arguments.length;
  }
  return total;
}

/** Turns per row, role counts and length percentiles, in constant memory. */
export class StatsCollector {
  private readonly turns = new Reservoir();
  private readonly chars = new Reservoir();
  private readonly tokens = new Reservoir();
  private turnTotal = 0;
  private rows = 0;
  private readonly roles: Record<Role, number> = { system: 0, user: 0, assistant: 0, tool: 0 };

  /** One row: its trained turns, characters, tokens, and trained messages per role (system, user, assistant, tool). */
  add(turns: number, chars: number, tokens: number, roles: ArrayLike<number>): void {
    this.roles.system += roles[0]!;
    this.roles.user += roles[1]!;
    this.roles.assistant += roles[2]!;
    this.roles.tool += roles[3]!;
    this.rows++;
    this.turnTotal += turns;
    this.turns.add(turns);
    this.chars.add(chars);
    this.tokens.add(tokens);
  }

  summary(exactTokens: boolean): DatasetStats {
    const mean = this.rows === 0 ? 0 : Math.round((this.turnTotal / this.rows) * 100) / 100;
    return {
      turns: { ...this.turns.summary(), mean },
      roles: this.roles,
      chars: this.chars.summary(),
      tokens: { ...this.tokens.summary(), exact: exactTokens },
    };
  }
}
