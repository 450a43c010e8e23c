import type { CanonicalRecord } from "../types.js";
import type { DatasetWarning } from "../report.js";
import { placeIssue, type LocationKind } from "../problems.js";
import type { ParsedRow } from "../read-records.js";
import { ErrorCollector } from "../collect-errors.js";
import { FingerprintTable } from "./hash-table.js";
import { findPlaceholder } from "./placeholders.js";
import { RecordHasher } from "./record-hash.js";
import { charCount, StatsCollector, trainedMessages } from "./stats.js";
import { Tally } from "./tally.js";
import { plural } from "../plural.js";
import type { CountTokens } from "./tokens.js";

/** Fewer valid rows than this rarely change a model's behaviour. */
export const MIN_EXAMPLES = 1000;

export interface CheckOptions {
  maxTokens: number;
  countTokens?: CountTokens;
  evalSet?: { table: FingerprintTable; kind: LocationKind; file: string };
}

/** Every per-row check of one file, fed row by row; holds only counters, samples and fingerprints. */
export class FileChecks {
  rows = 0;
  validRows = 0;
  readonly errors = new ErrorCollector();
  readonly stats = new StatsCollector();
  private readonly hasher = new RecordHasher();
  private readonly seen = new FingerprintTable();
  private distinctRepeated = 0;
  private readonly duplicates: Tally;
  private readonly placeholders: Tally;
  private readonly longRows: Tally;
  private readonly overlaps: Tally;
  private readonly identicalPairs: Tally;
  private readonly oddWhitespace: Tally;

  constructor(
    private readonly kind: LocationKind,
    private readonly options: CheckOptions,
  ) {
    this.duplicates = new Tally(kind);
    this.placeholders = new Tally(kind);
    this.longRows = new Tally(kind);
    this.overlaps = new Tally(kind);
    this.identicalPairs = new Tally(kind);
    this.oddWhitespace = new Tally(kind);
  }

  add(row: ParsedRow): void {
    this.rows++;
    for (const issue of row.issues) this.errors.add(placeIssue(issue, this.kind, row.location));
    if (!row.record) return;
    this.validRows++;
    if (row.notes) this.oddWhitespace.add(row.location, row.notes.join("; "));
    this.checkRecord(row.record, row.location);
  }

  private checkRecord(record: CanonicalRecord, location: number): void {
    this.hasher.hash(record);
    const { high, low } = this.hasher;
    const repeat = this.seen.add(high, low, location);
    if (repeat) {
      if (repeat.firstRepeat) this.distinctRepeated++;
      this.duplicates.add(location, `same as ${this.where(repeat.first)}`);
    }
    const evalSet = this.options.evalSet;
    const inEval = evalSet ? evalSet.table.lookup(high, low) : -1;
    if (evalSet && inEval >= 0)
      this.overlaps.add(
        location,
        `same as ${evalSet.kind === "line" ? `line ${inEval}` : `[${inEval}]`} of ${evalSet.file}`,
      );
    const placeholder = findPlaceholder(record);
    if (placeholder) this.placeholders.add(location, placeholder);
    if (
      record.kind === "preference" &&
      charCount(record.chosen) === charCount(record.rejected) &&
      sameAnswers(record)
    ) {
      this.identicalPairs.add(location, "chosen equals rejected");
    }
    this.measure(record, location);
  }

  private measure(record: CanonicalRecord, location: number): void {
    const messages = trainedMessages(record);
    const chars = record.kind === "text" ? record.text.length : charCount(messages);
    const count = this.options.countTokens;
    const text = count
      ? record.kind === "text"
        ? record.text
        : messages.map((m) => m.content).join("\n")
      : "";
    const tokens = count ? count(text) : Math.ceil(chars / 4);
    this.stats.add(record, chars, tokens);
    if (tokens > this.options.maxTokens) this.longRows.add(location, `${count ? "" : "≈ "}${tokens} tokens`);
  }

  private where(location: number): string {
    return this.kind === "line" ? `line ${location}` : `[${location}]`;
  }

  warnings(): DatasetWarning[] {
    const { maxTokens, countTokens, evalSet } = this.options;
    const unit = countTokens
      ? "tokens"
      : "tokens (estimated as characters / 4; pass --tokenizer for exact counts)";
    const capped = this.seen.full ? ` (checked against the first ${this.seen.size} distinct rows only)` : "";
    return [
      ...this.duplicates.warning(
        "duplicate",
        `${plural(this.duplicates.count, "row")} repeating an earlier row after whitespace normalization (${plural(this.distinctRepeated, "distinct row")} repeated)${capped}; drop the repeats, they overweight those examples`,
      ),
      ...this.overlaps.warning(
        "eval-overlap",
        `${plural(this.overlaps.count, "row")} also in the eval file ${evalSet?.file}; remove them from one side so eval measures generalization`,
      ),
      ...this.placeholders.warning(
        "placeholder",
        `${plural(this.placeholders.count, "row")} with what looks like an unfilled template placeholder; fill the template before training`,
      ),
      ...this.longRows.warning(
        "long-row",
        `${plural(this.longRows.count, "row")} longer than ${maxTokens} ${unit}; they will be truncated — raise the limit (--max-tokens / max_seq_len) or shorten them`,
      ),
      ...this.identicalPairs.warning(
        "identical-pair",
        `${plural(this.identicalPairs.count, "preference pair")} with identical chosen and rejected answers; they teach nothing`,
      ),
      ...this.oddWhitespace.warning(
        "odd-whitespace",
        `${plural(this.oddWhitespace.count, "row")} with a form feed or vertical tab, usually a broken escape; check and fix the text`,
      ),
      ...this.fewExamples(),
    ];
  }

  private fewExamples(): DatasetWarning[] {
    if (this.validRows >= MIN_EXAMPLES) return [];
    const message = `only ${plural(this.validRows, "valid example")}; a fine-tune usually needs at least ${MIN_EXAMPLES} to change behaviour reliably`;
    return [{ code: "few-examples", count: this.validRows, message, examples: [] }];
  }
}

function sameAnswers(record: Extract<CanonicalRecord, { kind: "preference" }>): boolean {
  return JSON.stringify(record.chosen) === JSON.stringify(record.rejected);
}
