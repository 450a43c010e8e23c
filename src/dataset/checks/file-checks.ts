import type { DatasetWarning } from "../report.js";
import { placeIssue, type LocationKind } from "../problems.js";
import { ErrorCollector } from "../collect-errors.js";
import { FingerprintTable } from "./hash-table.js";
import type { FactsBatch } from "./row-facts.js";
import { StatsCollector } from "./stats.js";
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

/**
 * Every file-wide check of one file, fed batches of row facts (row-facts.ts) in file order; holds only
 * counters, samples and fingerprints.
 */
export class FileChecks {
  rows = 0;
  validRows = 0;
  readonly errors = new ErrorCollector();
  readonly stats = new StatsCollector();
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

  /** Folds in a batch of row facts; batches must come in file order (first-seen locations, samples). */
  addBatch(batch: FactsBatch, lineBase = 0): void {
    const { kind } = this;
    let issueAt = 0;
    let noteAt = 0;
    let placeholderAt = 0;
    let pairAt = 0;
    for (let i = 0; i < batch.rows; i++) {
      const location = batch.locations[i]! + lineBase;
      this.rows++;
      if (batch.issues[issueAt]?.[0] === i) {
        for (const issue of batch.issues[issueAt++]![1]) this.errors.add(placeIssue(issue, kind, location));
      }
      if (batch.valid[i] === 0) continue;
      this.validRows++;
      if (batch.notes[noteAt]?.[0] === i) this.oddWhitespace.add(location, batch.notes[noteAt++]![1]);
      this.checkFingerprint(batch.high[i]!, batch.low[i]!, location);
      if (batch.placeholders[placeholderAt]?.[0] === i)
        this.placeholders.add(location, batch.placeholders[placeholderAt++]![1]);
      if (batch.identicalPairs[pairAt] === i) {
        pairAt++;
        this.identicalPairs.add(location, "chosen equals rejected");
      }
      const tokens = batch.tokens[i]!;
      this.stats.add(batch.turns[i]!, batch.chars[i]!, tokens, batch.roles.subarray(i * 4, i * 4 + 4));
      if (tokens > this.options.maxTokens)
        this.longRows.add(location, `${this.options.countTokens ? "" : "≈ "}${tokens} tokens`);
    }
  }

  private checkFingerprint(high: number, low: number, location: number): void {
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
