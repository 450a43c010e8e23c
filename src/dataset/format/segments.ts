import type { Segment } from "../types.js";

export function context(text: string): Segment {
  return { text, train: false };
}
export function trained(text: string): Segment {
  return { text, train: true };
}

/** Drops empty segments and merges neighbours with the same flag, so equal texts give equal rows. */
export function joinSegments(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    if (segment.text === "") continue;
    const last = out.at(-1);
    if (last && last.train === segment.train) last.text += segment.text;
    else out.push({ ...segment });
  }
  return out;
}

export function segmentsText(segments: readonly Segment[]): string {
  return segments.map((segment) => segment.text).join("");
}
