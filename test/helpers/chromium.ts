import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Debian's Chromium (scripts/test.sh installs it); PIPELINE_CHROMIUM points elsewhere. */
export const chromiumPath = process.env.PIPELINE_CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);

export interface PageLoad {
  status: number | null;
  /** stdout: the DOM after load with --dump-dom, else Chromium's own report. */
  stdout: string;
  /** Every console message of the page (errors, uncaught exceptions, CSP refusals) as Chromium logged it. */
  console: string[];
}

/** Loads a local file in headless Chromium with nothing reaching the network; `mode` picks the output. */
export async function loadPage(
  file: string,
  mode: "--dump-dom" | `--screenshot=${string}`,
): Promise<PageLoad> {
  const profile = await mkdtemp(join(tmpdir(), "pipeline-chromium-"));
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1000,2400",
    mode,
    pathToFileURL(file).href,
  ];
  const result = spawnSync(chromiumPath, flags, { encoding: "utf8", timeout: 120_000 });
  const console = String(result.stderr)
    .split("\n")
    .filter((line) => /:CONSOLE[:(]/.test(line));
  return { status: result.status, stdout: String(result.stdout), console };
}
