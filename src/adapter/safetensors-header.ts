import { existsSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";

/** A tensor's name → its shape, as a safetensors header declares it. */
export type TensorShapes = Map<string, number[]>;

// A safetensors file opens with an 8-byte little-endian header length and a JSON header; reading those
// bytes is all a name/shape check needs (the library parser of @huggingface/hub wants a repo and a fetch).
export async function readTensorShapes(file: string): Promise<TensorShapes> {
  const handle = await open(file, "r");
  try {
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const length = Number(prefix.readBigUInt64LE(0));
    if (length <= 0 || length > 100_000_000) throw new Error(`${file} is not a safetensors file`);
    const header = Buffer.alloc(length);
    await handle.read(header, 0, length, 8);
    const entries = JSON.parse(header.toString("utf8")) as Record<string, { shape?: number[] }>;
    return new Map(
      Object.entries(entries)
        .filter(([name]) => name !== "__metadata__")
        .map(([name, tensor]) => [name, tensor.shape ?? []]),
    );
  } finally {
    await handle.close();
  }
}

/** Every weight of a model directory: one model.safetensors, or the shards its index names. */
export async function readModelShapes(dir: string): Promise<TensorShapes | undefined> {
  const single = join(dir, "model.safetensors");
  if (existsSync(single)) return readTensorShapes(single);
  const index = join(dir, "model.safetensors.index.json");
  if (!existsSync(index)) return undefined;
  const { weight_map } = JSON.parse(await readFile(index, "utf8")) as { weight_map: Record<string, string> };
  const shapes: TensorShapes = new Map();
  for (const shard of new Set(Object.values(weight_map)))
    for (const [name, shape] of await readTensorShapes(join(dir, shard))) shapes.set(name, shape);
  return shapes;
}
