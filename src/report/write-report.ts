import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError, locate, type Problem, messageOf } from "../errors/index.js";
import { renderHtml } from "./html/render-html.js";
import { renderMarkdown } from "./markdown/render-markdown.js";
import { Report } from "./schema.js";

export interface ReportFiles {
  json: string;
  markdown: string;
  html: string;
}

export function reportFiles(runDir: string): ReportFiles {
  return {
    json: join(runDir, "report.json"),
    markdown: join(runDir, "report.md"),
    html: join(runDir, "report.html"),
  };
}

/** Validates the report against its schema, then writes report.json and its two renderings. */
export async function writeReport(runDir: string, report: Report): Promise<ReportFiles> {
  const files = reportFiles(runDir);
  const valid = Report.parse(report);
  await writeAtomic(files.json, JSON.stringify(valid, null, 2) + "\n");
  await renderReport(files, valid);
  return files;
}

/** report.md and report.html from a report already validated. */
export async function renderReport(files: ReportFiles, report: Report): Promise<void> {
  await writeAtomic(files.markdown, renderMarkdown(report) + "\n");
  await writeAtomic(files.html, renderHtml(report));
}

/** report.json of a run, checked against the contract; every problem with its JSON path. */
export async function readReport(runDir: string): Promise<Report> {
  const { json } = reportFiles(runDir);
  if (!existsSync(json)) {
    throw new UsageError("report-not-found", `${json} does not exist`, {
      hint: "the report is written when `pipeline run` finishes its evaluation; run it to the end (or `pipeline run --resume <run-id>`)",
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(await readFile(json, "utf8"));
  } catch (cause) {
    throw new UsageError("report-invalid", `${json} is not valid JSON: ${messageOf(cause)}`, {
      hint: "rerun the run's evaluation to write it again",
      cause,
    });
  }
  const parsed = Report.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems: Problem[] = parsed.error.issues.map((issue) => ({
    location: locate(json, undefined, issue.path.join(".")),
    message: issue.message,
  }));
  throw new UsageError("report-invalid", `${json} does not match the report.json contract (version 1)`, {
    problems,
    hint: "it was written by another version of pipeline or edited by hand; rerun the run's evaluation",
  });
}

/** Through a temporary file, so a reader never sees half a report. */
async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}
