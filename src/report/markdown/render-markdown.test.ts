import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Report } from "../schema.js";
import { renderMarkdown } from "./render-markdown.js";

const fixture = () =>
  Report.parse(
    JSON.parse(readFileSync(new URL("../../../test/fixtures/report/report.json", import.meta.url), "utf8")),
  );

describe("renderMarkdown", () => {
  const md = renderMarkdown(fixture());

  it("leads with the outcome and the training numbers", () => {
    expect(md).toMatch(
      /^# Run quickstart-20260101-000000-ab12\n\n\*\*Outcome: trained, but a gate failed\*\*/,
    );
    expect(md).toContain("| Steps | 300 of 300 (1.33 epochs, resumed 1×) |");
    expect(md).toContain("| Eval loss: base → final | 3.22 → 0.6517 |");
    expect(md).toContain("| Tokens | 318,000 (2356 tokens/s) |");
    expect(md).toContain(
      "- Data: `datasets/demo/train.jsonl` (messages, chatml): 2,000 rows → 1,800 train, 200 eval",
    );
    expect(md).toContain("Cost: 0.047 GPU-hours × 2.5 USD = **0.12 USD**");
  });

  it("has one row per metric with base, adapter, Δ, CI, p and verdict", () => {
    expect(md).toContain("| Metric | Base | Adapter | Δ | 95 % CI | p | Verdict |");
    expect(md).toContain(
      "| exact_match | 12.0 % | 54.5 % | +42.5 pp | [+35.5 pp, +49.5 pp] | < 0.001 (mcnemar) | better |",
    );
    expect(md).toContain(
      "| contains | 60.0 % | 65.0 % | +5.0 pp | [−15.0 pp, +25.0 pp] | 1.000 (mcnemar) | no significant difference |",
    );
  });

  it("calls out regressions and failed gates", () => {
    expect(md).toContain("> **Regressions:** held-out/latency_s got worse (+0.013)");
    expect(md).toContain(
      "| latency_s | 0.081 | 0.094 | +0.013 | [+0.008, +0.018] | < 0.001 (paired-bootstrap) | **worse** ⚠ |",
    );
    expect(md).toContain("| json_valid | >= 0.99 | 0.97 | 0.99 | **FAILED** |");
    const clean = fixture();
    clean.suites[0]!.metrics = clean.suites[0]!.metrics.filter((m) => m.verdict !== "worse");
    expect(renderMarkdown(clean)).not.toContain("Regressions");
  });

  it("shows disagreements in fences no data can close, and keeps table cells whole", () => {
    expect(md).toContain("### Case 42\n\nPrompt:\n```text\nWrap the word in JSON: a|b & `c`\n```");
    const report = fixture();
    report.gates[0]!.metric = "a|b\nc";
    report.suites[0]!.disagreements[0]!.base = "```\nbreak out";
    const text = renderMarkdown(report);
    expect(text).toContain("| a\\|b c |");
    expect(text).toContain("````text\n```\nbreak out\n````");
  });
});

describe("renderMarkdown with a champion", () => {
  it("adds a table per suite of the adapter against eval.compare_to's, in the same statistics", () => {
    const report = fixture();
    const [first] = report.suites;
    const exact = first!.metrics.find((m) => m.metric === "exact_match")!;
    const champion = { ...exact, base: 0.6, difference: exact.adapter - 0.6, verdict: "worse" as const };
    const md = renderMarkdown({
      ...report,
      champion: { source: "quickstart-20251201-000000-cd34", run_id: "quickstart-20251201-000000-cd34" },
      suites: [{ ...first!, champion: [champion] }, ...report.suites.slice(1)],
    });
    expect(md).toContain(`## Suite ${first!.name} against the champion \`quickstart-20251201-000000-cd34\``);
    expect(md).toContain("| Metric | Champion | Adapter | Δ | 95 % CI | p | Verdict |");
    expect(md).toMatch(/\| exact_match \| 60\.0 % \| 54\.5 % \| −5\.5 pp \|.*\*\*worse\*\* ⚠ \|/);
    expect(renderMarkdown(report)).not.toContain("against the champion");
  });
});
