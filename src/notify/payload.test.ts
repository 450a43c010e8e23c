import { describe, expect, it } from "vitest";
import { WorkspaceSettings } from "../budget/index.js";
import { buildPayload, redactUrl, shouldNotify } from "./index.js";

describe("buildPayload", () => {
  it("escapes Slack markup in user text and leaves the structured event as it was", () => {
    const event = { kind: "budget" as const, job: "<j>", project: "a&b", message: "<!channel> over budget" };
    const payload = buildPayload(event);
    expect(payload.text).toBe(
      ":moneybag: job &lt;j&gt; and the budget (project a&amp;b): &lt;!channel&gt; over budget",
    );
    expect(payload.blocks).toHaveLength(1);
    expect(payload.pipeline).toEqual(event);
  });

  it("keeps within Slack's limits: 10 fields, 3,000 characters of text", () => {
    const metrics = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`m${i}`, i]));
    const payload = buildPayload({
      kind: "done",
      job: "j",
      project: "p",
      message: "x".repeat(5000),
      metrics,
    });
    const [head, fields] = payload.blocks as unknown as [{ text: { text: string } }, { fields: unknown[] }];
    expect(fields.fields).toHaveLength(10);
    expect(head.text.text.length).toBeLessThanOrEqual(3000);
    expect(head.text.text.endsWith("…")).toBe(true);
  });
});

describe("redactUrl", () => {
  it("keeps only the scheme and host", () => {
    expect(redactUrl("https://hooks.slack.com/services/T0/B0/XyZ?x=1")).toBe("https://hooks.slack.com");
    expect(redactUrl("http://127.0.0.1:8080/secret")).toBe("http://127.0.0.1:8080");
    expect(redactUrl("nonsense/secret")).not.toContain("secret");
  });
});

describe("shouldNotify", () => {
  it("sends the kinds notify.on lists, and nothing without a webhook", () => {
    const hook = "https://hooks.example.test/x";
    const settings = WorkspaceSettings.parse({ notify: { webhook: hook, on: ["failed", "budget"] } });
    expect(["done", "failed", "budget"].map((k) => shouldNotify(settings, k as "done"))).toEqual([
      false,
      true,
      true,
    ]);
    expect(shouldNotify(WorkspaceSettings.parse({ notify: { webhook: "" } }), "failed")).toBe(false);
    expect(shouldNotify(WorkspaceSettings.parse({}), "done")).toBe(false);
  });
});
