import type { ConcreteFormat } from "./parsers/index.js";
import type { LocationKind, ProblemCode, RowProblem } from "./problems.js";
import type { Role } from "./types.js";

export type WarningCode =
  | "duplicate"
  | "placeholder"
  | "long-row"
  | "few-examples"
  | "eval-overlap"
  | "identical-pair"
  | "odd-whitespace";

export interface WarningExample {
  line?: number;
  index?: number;
  detail: string;
}

/** Usable but suspicious: counted, with the first few places it happens. */
export interface DatasetWarning {
  code: WarningCode;
  count: number;
  message: string;
  examples: WarningExample[];
}

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  /** Percentiles from a uniform sample of the rows (the max is always exact). */
  sampled: boolean;
}

export interface DatasetStats {
  turns: Percentiles & { mean: number };
  roles: Record<Role, number>;
  chars: Percentiles;
  /** `exact: false` means characters / 4. */
  tokens: Percentiles & { exact: boolean };
}

export interface ErrorGroup {
  code: ProblemCode;
  count: number;
  first: RowProblem[];
}

export interface ValidationReport {
  file: string;
  format: ConcreteFormat | null;
  /** How the format was chosen: `--format x` or what auto-detection saw. */
  formatReason: string;
  /** `JSON Lines` or `JSON array`. */
  layout: string;
  /** Errors and warnings are located by `line` (1-based) or `index` (0-based array element). */
  locationKind: LocationKind;
  rows: number;
  validRows: number;
  valid: boolean;
  /** The first errors in file order, capped; `errorsOmitted` says how many more there were. */
  errors: RowProblem[];
  errorsOmitted: number;
  /** Every error code with its count and first few locations. */
  errorGroups: ErrorGroup[];
  warnings: DatasetWarning[];
  stats: DatasetStats;
}
