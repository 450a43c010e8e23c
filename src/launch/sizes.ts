const GiB = 1024 ** 3;

/** "16g", "512m", "100k", "42" (bytes) → bytes. */
export function parseSize(size: string): number {
  const match = /^([0-9]+)([bkmg]?)$/i.exec(size.trim());
  if (!match) throw new Error(`not a size: ${size}`);
  const unit = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: GiB }[
    match[2]!.toLowerCase() as "" | "b" | "k" | "m" | "g"
  ];
  return Number(match[1]) * unit;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)} KiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
