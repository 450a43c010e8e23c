/** `--name N` from the command line, or the fallback when it is absent or not a number. */
export function numberFlag(name: string, fallback: number): number {
  const raw = stringFlag(name, "");
  const value = Number(raw);
  return raw !== "" && Number.isFinite(value) ? value : fallback;
}

/** `--name VALUE` from the command line, or the fallback. */
export function stringFlag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1]! : fallback;
}
