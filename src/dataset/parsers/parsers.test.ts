import { describe, expect, it } from "vitest";
import { parseRow } from "../read-records.js";
import type { ConcreteFormat } from "./index.js";

/** Parses one row as `format`, the way the reader does; returns the record and the issue codes/paths. */
function check(format: ConcreteFormat, value: unknown, json = JSON.stringify(value)) {
  const suspect = /\\u00[01]|\\[bf]/.test(json);
  const row = parseRow({ location: 1, value, suspect }, format, `--format ${format}`);
  return {
    record: row.record,
    codes: row.issues.map((i) => `${i.code} ${i.path}`),
    issues: row.issues,
    notes: row.notes,
  };
}

describe("alpaca", () => {
  it("normalizes instruction, input, system and history into messages", () => {
    const { record, codes } = check("alpaca", {
      instruction: "Translate",
      input: "bonjour",
      output: "hello",
      system: "Be brief.",
      history: [["hi", "hey"]],
    });
    expect(codes).toEqual([]);
    expect(record).toEqual({
      kind: "chat",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hey" },
        { role: "user", content: "Translate\n\nbonjour" },
        { role: "assistant", content: "hello" },
      ],
    });
  });

  it("uses the instruction alone when input is empty or missing", () => {
    expect(check("alpaca", { instruction: "Say hi", input: "", output: "hi" }).record).toEqual({
      kind: "chat",
      messages: [
        { role: "user", content: "Say hi" },
        { role: "assistant", content: "hi" },
      ],
    });
  });

  it("reports every problem of a row, not just the first", () => {
    const { record, codes } = check("alpaca", { instruction: 3, ouput: "x", history: "no" });
    expect(record).toBeUndefined();
    expect(codes).toEqual([
      "unknown-key ouput",
      "content-not-string instruction",
      "missing-key output",
      "wrong-type history",
    ]);
  });

  it("rejects an empty output and an empty prompt", () => {
    expect(check("alpaca", { instruction: "Do it", output: "  " }).codes).toEqual(["empty-target output"]);
    expect(check("alpaca", { instruction: "", input: "", output: "x" }).codes).toEqual([
      "missing-content instruction",
    ]);
  });
});

describe("sharegpt", () => {
  const toolRow = {
    conversations: [
      { from: "human", value: "Weather in Paris?" },
      { from: "function_call", value: '{"name": "weather", "arguments": {"city": "Paris"}}' },
      { from: "observation", value: '{"temp": 21}' },
      { from: "gpt", value: "It is 21 °C." },
    ],
    system: "You can call tools.",
    tools: '[{"name": "weather"}]',
  };

  it("maps function_call to assistant tool_calls and observation to tool", () => {
    const { record, codes } = check("sharegpt", toolRow);
    expect(codes).toEqual([]);
    expect(record).toEqual({
      kind: "chat",
      tools: '[{"name": "weather"}]',
      messages: [
        { role: "system", content: "You can call tools." },
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: "", tool_calls: [{ name: "weather", arguments: '{"city":"Paris"}' }] },
        { role: "tool", content: '{"temp": 21}' },
        { role: "assistant", content: "It is 21 °C." },
      ],
    });
  });

  it("flags unknown roles, missing values and broken function calls with their paths", () => {
    const { codes } = check("sharegpt", {
      conversations: [
        { from: "bot", value: "hi" },
        { from: "gpt" },
        { from: "function_call", value: "not json" },
        { from: "human", value: 5 },
      ],
    });
    expect(codes).toEqual([
      "unknown-role conversations[0].from",
      "missing-content conversations[1].value",
      "invalid-tool-call conversations[2].value",
      "content-not-string conversations[3].value",
    ]);
  });

  it("requires alternating turns that end with a reply", () => {
    const human = { from: "human", value: "a" };
    const gpt = { from: "gpt", value: "b" };
    expect(check("sharegpt", { conversations: [human, human, gpt] }).codes).toEqual([
      "turn-order conversations[1].from",
    ]);
    expect(check("sharegpt", { conversations: [human, gpt, human] }).codes).toEqual([
      "turn-order conversations[2]",
    ]);
    expect(check("sharegpt", { conversations: [human] }).codes).toEqual(["no-assistant-turn conversations"]);
    expect(check("sharegpt", { conversations: [] }).codes).toEqual(["missing-messages conversations"]);
  });
});

describe("messages", () => {
  it("accepts tool calls with null content and tool results", () => {
    const { record, codes } = check("messages", {
      messages: [
        { role: "user", content: "2+2?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: '{"a":2,"b":2}' } }],
        },
        { role: "tool", tool_call_id: "c1", content: "4" },
        { role: "assistant", content: [{ type: "text", text: "4" }] },
      ],
      tools: [{ type: "function", function: { name: "add" } }],
    });
    expect(codes).toEqual([]);
    expect(record?.kind === "chat" && record.messages[1]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ id: "c1", name: "add", arguments: '{"a":2,"b":2}' }],
    });
    expect(record?.kind === "chat" && record.messages[3]?.content).toBe("4");
  });

  it("reports each error class at its path", () => {
    const { codes } = check("messages", {
      messages: [
        { role: "bot", content: "x" },
        { role: "user" },
        { role: "user", content: 42, extra: 1 },
        { role: "tool", content: "orphan result" },
        { role: "assistant", content: "" },
      ],
    });
    expect(codes).toEqual([
      "unknown-role messages[0].role",
      "missing-content messages[1].content",
      "unknown-key messages[2].extra",
      "content-not-string messages[2].content",
    ]);
  });

  it("needs an assistant turn, a non-empty one, and tool results after a call", () => {
    expect(check("messages", { messages: [{ role: "user", content: "hi" }] }).codes).toEqual([
      "no-assistant-turn messages",
    ]);
    const empty = {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: " " },
      ],
    };
    expect(check("messages", empty).codes).toEqual(["empty-target messages[1].content"]);
    const orphan = {
      messages: [
        { role: "tool", content: "4" },
        { role: "assistant", content: "4" },
      ],
    };
    expect(check("messages", orphan).codes).toEqual(["turn-order messages[0]"]);
    expect(check("messages", { messages: "hi" }).codes).toEqual(["missing-messages messages"]);
  });
});

describe("text", () => {
  it("accepts text and rejects empty text", () => {
    expect(check("text", { text: "Once upon a time" }).record).toEqual({
      kind: "text",
      text: "Once upon a time",
    });
    expect(check("text", { text: "" }).codes).toEqual(["empty-target text"]);
  });
});

describe("preference", () => {
  it("reads prompt/chosen/rejected strings", () => {
    expect(check("preference", { prompt: "Q", chosen: "good", rejected: "bad" }).record).toEqual({
      kind: "preference",
      prompt: [{ role: "user", content: "Q" }],
      chosen: [{ role: "assistant", content: "good" }],
      rejected: [{ role: "assistant", content: "bad" }],
    });
  });

  it("reads LLaMA-Factory conversations with chosen/rejected turns", () => {
    const row = {
      conversations: [{ from: "human", value: "Q" }],
      chosen: { from: "gpt", value: "good" },
      rejected: { from: "gpt", value: "bad" },
    };
    expect(check("preference", row).record).toEqual({
      kind: "preference",
      prompt: [{ role: "user", content: "Q" }],
      chosen: [{ role: "assistant", content: "good" }],
      rejected: [{ role: "assistant", content: "bad" }],
    });
  });

  it("takes the shared leading turns as the prompt when there is none", () => {
    const user = { role: "user", content: "Q" };
    const row = {
      chosen: [user, { role: "assistant", content: "good" }],
      rejected: [user, { role: "assistant", content: "bad" }],
    };
    const { record } = check("preference", row);
    expect(record?.kind === "preference" && record.prompt).toEqual([user]);
  });

  it("rejects empty answers, missing sides and answers without an assistant", () => {
    expect(check("preference", { prompt: "Q", chosen: "", rejected: "bad" }).codes).toEqual([
      "empty-target chosen",
    ]);
    expect(check("preference", { prompt: "Q", chosen: "good" }).codes).toEqual(["missing-key rejected"]);
    const row = { prompt: "Q", chosen: [{ role: "user", content: "x" }], rejected: "bad" };
    expect(check("preference", row).codes).toEqual(["no-assistant-turn chosen"]);
  });
});

describe("any format", () => {
  it("reports names of Object.prototype as unknown roles, not as roles", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const messages = check("messages", {
        messages: [
          { role: "user", content: "hi" },
          { role: name, content: "hello" },
        ],
      });
      expect(messages.record).toBeUndefined();
      expect(messages.issues.map((i) => `${i.code} ${i.path}: ${i.message}`)).toEqual([
        `unknown-role messages[1].role: unknown role "${name}"; use one of system, user, assistant, tool`,
      ]);
      const sharegpt = check("sharegpt", {
        conversations: [
          { from: "human", value: "hi" },
          { from: name, value: "hello" },
        ],
      });
      expect(sharegpt.record).toBeUndefined();
      expect(sharegpt.codes).toEqual(["unknown-role conversations[1].from"]);
    }
  });

  it("rejects control characters at their path, and only warns about form feeds", () => {
    const bell = check("text", { text: "ding\u0007" });
    expect(bell.codes).toEqual(["control-characters text"]);
    expect(bell.issues[0]?.message).toContain("U+0007 at character 5");
    const formFeed = check("text", { text: "\\frac{1}{2} written as \frac" });
    expect(formFeed.codes).toEqual([]);
    expect(formFeed.notes?.[0]).toContain("U+000C");
  });

  it("rejects rows that are not objects or belong to another format", () => {
    expect(check("text", [1, 2]).codes).toEqual(["not-object "]);
    expect(check("alpaca", { messages: [] }).codes).toEqual(["format-mismatch "]);
  });
});
