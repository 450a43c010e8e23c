import { describe, expect, it } from "vitest";
import { parseRow } from "../read-records.js";
import { detectRowFormat, type ConcreteFormat } from "./index.js";

function check(format: ConcreteFormat, value: unknown) {
  const row = parseRow({ location: 1, value, suspect: false }, format, `--format ${format}`);
  return { record: row.record, codes: row.issues.map((i) => `${i.code} ${i.path}`), issues: row.issues };
}

const user = { role: "user", content: "What is 2+2?" };

describe("LLaMA-Factory KTO rows (messages + label)", () => {
  it("are detected and read as a prompt, the judged answer and its label", () => {
    const row = { messages: [user, { role: "assistant", content: "4" }], label: true };
    expect(detectRowFormat(row)).toBe("kto");
    expect(check("kto", row)).toMatchObject({
      codes: [],
      record: {
        kind: "feedback",
        prompt: [{ role: "user", content: "What is 2+2?" }],
        completion: [{ role: "assistant", content: "4" }],
        label: true,
      },
    });
  });

  it("need a boolean label and an assistant answer last", () => {
    expect(
      check("kto", { messages: [user, { role: "assistant", content: "4" }], label: "yes" }).codes,
    ).toEqual(["wrong-type label"]);
    expect(
      check("kto", { messages: [{ role: "assistant", content: "4" }, user], label: false }).codes,
    ).toContain("no-assistant-turn messages[1]");
  });
});

describe("LLaMA-Factory v1 messages (typed content parts, loss_weight)", () => {
  it("joins text parts, keeps reasoning apart and reads tool calls as tool calls", () => {
    const row = {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", value: "Weather in " },
            { type: "text", value: "Paris?" },
          ],
          loss_weight: 0,
        },
        {
          role: "assistant",
          content: [
            { type: "reasoning", value: "I should call the tool." },
            { type: "tool_call", value: '{"name": "weather", "arguments": {"city": "Paris"}}' },
          ],
          loss_weight: 1,
        },
      ],
      tools: '[{"name": "weather"}]',
      _dataset_name: "demo",
    };
    const { record, codes } = check("messages", row);
    expect(codes).toEqual([]);
    expect(record).toEqual({
      kind: "chat",
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: "",
          reasoning: "I should call the tool.",
          tool_calls: [{ name: "weather", arguments: '{"city":"Paris"}' }],
        },
      ],
      tools: '[{"name": "weather"}]',
    });
  });

  it("keeps an assistant turn with loss_weight 0 as context, and needs one trained turn", () => {
    const context = { role: "assistant", content: [{ type: "text", value: "Hi." }], loss_weight: 0 };
    const trained = { role: "assistant", content: [{ type: "text", value: "4" }], loss_weight: 1 };
    const { record } = check("messages", { messages: [user, context, user, trained] });
    expect(record?.kind === "chat" && record.messages.map((m) => m.train)).toEqual([
      undefined,
      false,
      undefined,
      undefined,
    ]);
    const none = check("messages", { messages: [user, context] });
    expect(none.codes).toEqual(["no-assistant-turn messages"]);
    expect(none.issues[0]?.message).toContain("loss_weight 0");
  });

  it("refuses fractional weights and unknown part types, naming the path", () => {
    const half = { role: "assistant", content: "4", loss_weight: 0.5 };
    expect(check("messages", { messages: [user, half] }).codes).toEqual([
      "wrong-type messages[1].loss_weight",
    ]);
    const image = { role: "user", content: [{ type: "image_url", value: "x.png" }] };
    expect(check("messages", { messages: [image, { role: "assistant", content: "4" }] }).codes).toEqual([
      "content-not-string messages[0].content[0].type",
    ]);
  });

  it("reads v1 preference pairs (chosen_messages / rejected_messages)", () => {
    const answer = (text: string) => ({
      role: "assistant",
      content: [{ type: "text", value: text }],
      loss_weight: 1,
    });
    const row = { chosen_messages: [user, answer("4")], rejected_messages: [user, answer("5")] };
    expect(detectRowFormat(row)).toBe("preference");
    expect(check("preference", row).record).toEqual({
      kind: "preference",
      prompt: [{ role: "user", content: "What is 2+2?" }],
      chosen: [{ role: "assistant", content: "4" }],
      rejected: [{ role: "assistant", content: "5" }],
    });
  });
});
