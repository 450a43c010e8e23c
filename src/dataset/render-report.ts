import { locate } from "../errors/index.js";
import type { DatasetStats, DatasetWarning, ValidationReport } from "./report.js";
import type { RowProblem } from "./problems.js";
import { plural } from "./plural.js";

/** The terminal report of one file: verdict, errors grouped by code, warnings, stats. */
export function renderReport(report: ValidationReport): string {
  const invalid = report.rows - report.validRows;
  const verdict = report.valid ? "valid" : `${invalid} invalid`;
  const lines = [
    `${report.file}: ${report.format ?? "unknown format"} (${report.formatReason}), ${report.layout}`,
    `  ${plural(report.rows, "row")}, ${report.validRows} valid — ${verdict}`,
  ];
  if (report.errorGroups.length > 0) lines.push("  errors:");
  for (const group of report.errorGroups) {
    lines.push(`    ${group.code} ×${group.count}`);
    for (const problem of group.first) lines.push(`      ${where(report.file, problem)}: ${problem.message}`);
    if (group.count > group.first.length) lines.push(`      … and ${group.count - group.first.length} more`);
  }
  if (report.warnings.length > 0) lines.push("  warnings:");
  for (const warning of report.warnings) lines.push(...renderWarning(report.file, warning));
  lines.push(...renderStats(report.stats, report.validRows));
  return lines.join("\n") + "\n";
}

function where(file: string, problem: RowProblem): string {
  const base = problem.line !== undefined ? locate(file, problem.line) : `${file}[${problem.index}]`;
  return problem.path ? `${base} › ${problem.path}` : base;
}

function renderWarning(file: string, warning: DatasetWarning): string[] {
  const lines = [`    ${warning.code}: ${warning.message}`];
  for (const example of warning.examples) {
    const at = example.line !== undefined ? `${file}:${example.line}` : `${file}[${example.index}]`;
    lines.push(`      ${at}: ${example.detail}`);
  }
  return lines;
}

function renderStats(stats: DatasetStats, validRows: number): string[] {
  if (validRows === 0) return [];
  const { turns, roles, chars, tokens } = stats;
  const sampled = chars.sampled ? " (percentiles from a sample)" : "";
  const tokenLabel = tokens.exact ? "tokens per row" : "tokens per row (estimate: characters / 4)";
  return [
    `  stats of valid rows${sampled}:`,
    `    turns per row: mean ${turns.mean}, p50 ${turns.p50}, p95 ${turns.p95}, max ${turns.max}`,
    `    roles: ${Object.entries(roles)
      .map(([role, n]) => `${role} ${n}`)
      .join(", ")}`,
    `    characters per row: p50 ${chars.p50}, p95 ${chars.p95}, max ${chars.max}`,
    `    ${tokenLabel}: p50 ${tokens.p50}, p95 ${tokens.p95}, max ${tokens.max}`,
  ];
}
