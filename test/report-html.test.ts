import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, hasChromium, loadPage } from "./helpers/chromium.js";
import { hasStackTrace, pipeline, root } from "./helpers/cli.js";

const RUN_ID = "quickstart-20260101-000000-ab12";

// The HTML report in a real browser: it must render with no console error and draw its charts, offline.
describe("report.html in headless Chromium", () => {
  let runsDir: string;
  let html: string;

  beforeAll(async () => {
    if (!hasChromium)
      throw new Error(
        `no Chromium at ${chromiumPath}: \`apt-get install -y chromium\` (scripts/test.sh does)`,
      );
    runsDir = await mkdtemp(join(tmpdir(), "pipeline-report-"));
    await mkdir(join(runsDir, RUN_ID));
    await copyFile(join(root, "test/fixtures/report/report.json"), join(runsDir, RUN_ID, "report.json"));
    const result = pipeline(["report", RUN_ID, "--runs-dir", runsDir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    html = join(runsDir, RUN_ID, "report.html");
    expect(result.stdout).toContain(`wrote ${html}`);
  });

  it("loads without a console error, with the SVG charts in the DOM and the <script> prompt as text", async () => {
    const page = await loadPage(html, "--dump-dom");
    expect(page.status).toBe(0);
    expect(page.console).toEqual([]);
    const dom = page.stdout;
    expect(dom.match(/<svg /g)).toHaveLength(4); // loss, learning rate, two suites' score bars
    expect(dom.match(/<polyline /g)).toHaveLength(2);
    expect(dom.match(/<rect class="bar bar-adapter"/g)).toHaveLength(5);
    expect(dom.match(/class="whisker"/g)).toHaveLength(5);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain("Wrap the word in JSON: &lt;script&gt;alert('x')&lt;/script&gt;");
  });

  it("takes a screenshot of the rendered page", async () => {
    const png = join(runsDir, "report.png");
    const page = await loadPage(html, `--screenshot=${png}`);
    expect(page.status).toBe(0);
    expect(page.console).toEqual([]);
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(bytes.length).toBeGreaterThan(50_000); // a blank page of this size is a few kB
  });

  it("would catch a page with a script error (the check above can fail)", async () => {
    const bad = join(runsDir, "bad.html");
    await writeFile(bad, "<!doctype html><p>x</p><script>notDefined()</script>");
    const page = await loadPage(bad, "--dump-dom");
    expect(page.console.join("\n")).toContain("Uncaught ReferenceError: notDefined is not defined");
  });
});

describe("pipeline report", () => {
  it("exits 2 with what to do when the run or its report.json is missing", async () => {
    const runsDir = await mkdtemp(join(tmpdir(), "pipeline-report-"));
    const missing = pipeline(["report", "nope", "--runs-dir", runsDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[run-not-found]: no run "nope"');
    expect(missing.stderr).toContain("pipeline runs list");
    await mkdir(join(runsDir, "r1"));
    const noReport = pipeline(["report", "r1", "--runs-dir", runsDir]);
    expect(noReport.code).toBe(2);
    expect(noReport.stderr).toContain("error[report-not-found]");
    expect(noReport.stderr).toContain("hint: the report is written when `pipeline run` finishes");
    await writeFile(join(runsDir, "r1", "report.json"), JSON.stringify({ version: 1, run_id: 7 }));
    const invalid = pipeline(["report", "r1", "--runs-dir", runsDir]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("report.json › run_id");
    expect(hasStackTrace(missing.stderr + noReport.stderr + invalid.stderr)).toBe(false);
  });

  it("--open prints the path when there is no viewer, and never fails for it", async () => {
    const runsDir = await mkdtemp(join(tmpdir(), "pipeline-report-"));
    await mkdir(join(runsDir, RUN_ID));
    await copyFile(join(root, "test/fixtures/report/report.json"), join(runsDir, RUN_ID, "report.json"));
    const result = pipeline(["report", RUN_ID, "--runs-dir", runsDir, "--open"], {
      env: { ...process.env, PATH: "/nonexistent" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `no viewer found (xdg-open/open); open ${join(runsDir, RUN_ID, "report.html")}`,
    );
  });

  it("--open hands report.html to xdg-open when there is one", async () => {
    const runsDir = await mkdtemp(join(tmpdir(), "pipeline-report-"));
    await mkdir(join(runsDir, RUN_ID));
    await copyFile(join(root, "test/fixtures/report/report.json"), join(runsDir, RUN_ID, "report.json"));
    const bin = join(runsDir, "bin");
    await mkdir(bin);
    const opened = join(runsDir, "opened.txt");
    await writeFile(join(bin, "xdg-open"), `#!/bin/sh\necho "$1" > ${opened}\n`, { mode: 0o755 });
    const result = pipeline(["report", RUN_ID, "--runs-dir", runsDir, "--open"], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(result.code).toBe(0);
    await expect.poll(() => readFile(opened, "utf8").catch(() => "")).toContain("report.html");
  });
});
