import { EMPTY, I32, I64, i32, i64, op, section, uleb, vec, name } from "./encode.js";

/**
 * A whitespace-normalizing 64-bit FNV-1a hash over UTF-8 bytes. Exports: memory; reset(); add(len)
 * hashes memory[0, len) with runs of ASCII whitespace collapsed to one space and the ends trimmed,
 * then a field separator; mix(code); high(); low().
 */
const PRIME = 0x100000001b3n;
const BASIS = 0xcbf29ce484222325n;
// Locals of add(): 0 = end (param), 1 = i, 2 = c, 3 = pending space, 4 = hash.
const [END, I, C, SPACE, H] = [0, 1, 2, 3, 4];
const get = (local: number) => [op.localGet, local];
const set = (local: number) => [op.localSet, local];
/** (c == 32) | (c - 9 <u 5): space, tab, line feed, vertical tab, form feed, carriage return. */
const isSpace = [
  ...get(C),
  ...i32(32),
  op.i32Eq,
  ...get(C),
  ...i32(9),
  op.i32Sub,
  ...i32(5),
  op.i32LtU,
  op.i32Or,
];
const mixHash = (value: number[]) => [
  ...get(H),
  ...value,
  op.i64ExtendI32U,
  op.i64Xor,
  ...i64(PRIME),
  op.i64Mul,
  ...set(H),
];
const loadC = (address: number[]) => [...address, ...op.load8u, ...set(C)];
const whileLoop = (exitIf: number[], body: number[]) => [
  op.block,
  EMPTY,
  op.loop,
  EMPTY,
  ...exitIf,
  op.brIf,
  1,
  ...body,
  op.br,
  0,
  op.end,
  op.end,
];

const addBody = [
  ...[op.globalGet, 0, ...set(H)],
  // Trim leading, then trailing whitespace.
  ...whileLoop(
    [...get(I), ...get(END), op.i32GeU],
    [...loadC(get(I)), ...isSpace, op.i32Eqz, op.brIf, 1, ...get(I), ...i32(1), op.i32Add, ...set(I)],
  ),
  ...whileLoop(
    [...get(END), ...get(I), op.i32LeU],
    [
      ...loadC([...get(END), ...i32(1), op.i32Sub]),
      ...isSpace,
      op.i32Eqz,
      op.brIf,
      1,
      ...get(END),
      ...i32(1),
      op.i32Sub,
      ...set(END),
    ],
  ),
  ...whileLoop(
    [...get(I), ...get(END), op.i32GeU],
    [
      ...loadC(get(I)),
      ...isSpace,
      ...[op.if, EMPTY, ...i32(1), ...set(SPACE), op.else],
      ...[...get(SPACE), op.if, EMPTY, ...mixHash(i32(32)), ...i32(0), ...set(SPACE), op.end],
      ...mixHash(get(C)),
      op.end,
      ...[...get(I), ...i32(1), op.i32Add, ...set(I)],
    ],
  ),
  ...mixHash(i32(31)),
  ...[...get(H), op.globalSet, 0],
];
const code = (locals: number[][], body: number[]) => {
  const bytes = [...vec(locals), ...body, op.end];
  return [...uleb(bytes.length), ...bytes];
};

export function moduleBytes(): Uint8Array {
  const types = section(
    1,
    vec([
      [0x60, 1, I32, 0],
      [0x60, 0, 0],
      [0x60, 0, 1, I32],
    ]),
  );
  const functions = section(3, vec([[0], [1], [2], [2], [0]]));
  const memory = section(5, [1, 0x00, 1]);
  const globals = section(6, [1, I64, 0x01, ...i64(BASIS), op.end]);
  const exports = section(
    7,
    vec([
      [...name("memory"), 0x02, 0],
      ...["add", "reset", "high", "low", "mix"].map((n, i) => [...name(n), 0x00, i]),
    ]),
  );
  const codes = section(
    10,
    vec([
      code(
        [
          [3, I32],
          [1, I64],
        ],
        addBody,
      ),
      code([], [...i64(BASIS), op.globalSet, 0]),
      code([], [op.globalGet, 0, ...i64(32n), op.i64ShrU, op.i32WrapI64]),
      code([], [op.globalGet, 0, op.i32WrapI64]),
      code(
        [],
        [op.globalGet, 0, ...get(0), op.i64ExtendI32U, op.i64Xor, ...i64(PRIME), op.i64Mul, op.globalSet, 0],
      ),
    ]),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...functions,
    ...memory,
    ...globals,
    ...exports,
    ...codes,
  ]);
}
