import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Report } from "../schema.js";
import { escapeHtml } from "./escape.js";
import { renderHtml } from "./render-html.js";

const fixture = () =>
  Report.parse(
    JSON.parse(readFileSync(new URL("../../../test/fixtures/report/report.json", import.meta.url), "utf8")),
  );

describe("renderHtml", () => {
  it("escapes every text from data: a prompt with <script> stays text", () => {
    const report = fixture();
    report.run_id = `"><img src=x onerror=alert(1)>`;
    const html = renderHtml(report);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("Wrap the word in JSON: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).toContain("Run &quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  });

  it("is self-contained: no external resource, no script", () => {
    const html = renderHtml(fixture());
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain("default-src 'none'");
  });

  it("draws the curves, the score bars and the gates", () => {
    const html = renderHtml(fixture());
    expect(html.match(/<polyline /g)).toHaveLength(2); // train loss, learning rate
    expect(html.match(/<circle class="dot series-1"/g)).toHaveLength(7); // eval loss at steps 0, 50, …, 300
    expect(html.match(/<rect class="bar bar-(base|adapter)"/g)).toHaveLength(2 * 5); // 5 metrics in 2 suites
    expect(html).toContain('<td class="fail">FAILED</td>');
  });

  it("escapeHtml covers the five HTML specials", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
