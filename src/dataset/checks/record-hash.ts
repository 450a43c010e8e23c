import type { CanonicalRecord, Message } from "../types.js";
import { WhitespaceHash } from "./whitespace-hash.js";

/**
 * A 64-bit fingerprint of a record after whitespace normalization (runs of whitespace collapse to one
 * space, ends trimmed), so rows that differ only in spacing count as duplicates. Fields are separated,
 * so moving text from one turn to the next changes the fingerprint.
 */
export class RecordHasher {
  private readonly hash64 = new WhitespaceHash();
  high = 0;
  low = 0;

  hash(record: CanonicalRecord): void {
    const hash = this.hash64;
    hash.reset();
    if (record.kind === "text") hash.add(record.text);
    else if (record.kind === "chat") {
      this.addMessages(record.messages);
      if (record.tools) hash.add(record.tools);
    } else if (record.kind === "feedback") {
      this.addMessages(record.prompt);
      hash.mix(record.label ? 0x1d : 0x1c);
      this.addMessages(record.completion);
      if (record.tools) hash.add(record.tools);
    } else {
      this.addMessages(record.prompt);
      hash.mix(0x1e);
      this.addMessages(record.chosen);
      hash.mix(0x1e);
      this.addMessages(record.rejected);
    }
    hash.finish();
    this.high = hash.high;
    this.low = hash.low;
  }

  private addMessages(messages: Message[]): void {
    for (const message of messages) {
      this.hash64.mix(message.role.charCodeAt(0));
      this.hash64.add(message.content);
      if (message.reasoning) this.hash64.add(message.reasoning);
      if (message.train === false) this.hash64.mix(0x1f);
      if (message.tool_calls)
        for (const call of message.tool_calls) this.hash64.add(call.name + call.arguments);
    }
  }
}
