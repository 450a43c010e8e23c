/** Just enough of the WebAssembly binary format to spell a small module out of named opcodes. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const EMPTY = 0x40;
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  load8u: [0x2d, 0x00, 0x00],
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32LtU: 0x49,
  i32LeU: 0x4d,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Or: 0x72,
  i64Mul: 0x7e,
  i64Xor: 0x85,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
} as const;

function sleb(value: bigint): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}
export const i64 = (value: bigint) => [op.i64Const, ...sleb(BigInt.asIntN(64, value))];
export const i32 = (value: number) => [op.i32Const, ...sleb(BigInt(value))];
export const vec = (items: number[][]) => [items.length, ...items.flat()];
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const name = (text: string) => [text.length, ...Buffer.from(text)];
export function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value ? byte | 0x80 : byte);
  } while (value);
  return bytes;
}
