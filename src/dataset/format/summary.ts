import { join } from "node:path";
import { MANIFEST_FILE } from "./reuse.js";
import type { FormatOutcome } from "./format-file.js";

/** The few lines `pipeline dataset format` prints on a terminal. */
export function describeOutcome({ manifest, reused }: FormatOutcome, outDir: string): string {
  const { counts, files, template, source } = manifest;
  const headline = reused
    ? `unchanged, reused ${outDir} (content hash ${manifest.content_hash.slice(0, 12)})`
    : `formatted ${source.path} (${source.format}, ${counts.rows} rows) with template ${template.name}`;
  const lines = [
    headline,
    `  train     ${join(outDir, files.train.path)}  ${counts.train} examples`,
    `  eval      ${join(outDir, files.eval.path)}  ${counts.eval} examples`,
    `  manifest  ${join(outDir, MANIFEST_FILE)}`,
  ];
  if (counts.preference > 0)
    lines.push(`  ${counts.preference} preference pairs written as {prompt, chosen, rejected}`);
  if (counts.feedback > 0) lines.push(`  ${counts.feedback} KTO rows written as {prompt, completion, label}`);
  if (counts.skipped > 0) lines.push(`  ${counts.skipped} unreadable rows skipped`);
  return lines.join("\n") + "\n";
}
