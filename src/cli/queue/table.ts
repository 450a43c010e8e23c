/** Left-aligned columns, two spaces apart: the shape of every `list` output. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

export const iso = (ms: number | null) =>
  ms === null || ms === 0 ? "-" : new Date(ms).toISOString().slice(0, 19) + "Z";
