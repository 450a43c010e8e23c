/**
 * A whitespace-normalizing 64-bit FNV-1a hash over UTF-8 bytes, as a tiny WebAssembly module built
 * here from named opcodes (no binary blob to trust). A JS loop over charCodeAt costs about three
 * JSON.parse's worth of time per character; the same loop in wasm over bytes costs a fraction.
 *
 * Exports: memory; reset(); add(len) hashes memory[0, len) with runs of ASCII whitespace collapsed to
 * one space and the ends trimmed, then a field separator; mix(code); high(); low().
 */
const I32 = 0x7f;
const I64 = 0x7e;
const EMPTY = 0x40;
const op = {
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
const i64 = (value: bigint) => [op.i64Const, ...sleb(BigInt.asIntN(64, value))];
const i32 = (value: number) => [op.i32Const, ...sleb(BigInt(value))];
const vec = (items: number[][]) => [items.length, ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (text: string) => [text.length, ...Buffer.from(text)];
function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value ? byte | 0x80 : byte);
  } while (value);
  return bytes;
}

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

function moduleBytes(): Uint8Array {
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

// The ES lib this project compiles against has no WebAssembly types (they live in lib.dom); the few
// members used here, declared by hand.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  add(length: number): void;
  reset(): void;
  high(): number;
  low(): number;
  mix(code: number): void;
}

const PAGE = 65536;

/** Feeds strings through the wasm hash: each is UTF-8 encoded straight into the module's memory. */
export class SpaceHash {
  private readonly wasm: Exports;
  private view: Uint8Array;
  private readonly encoder = new TextEncoder();

  constructor() {
    const instance = new Instance(new Module(moduleBytes()));
    this.wasm = instance.exports as unknown as Exports;
    this.view = new Uint8Array(this.wasm.memory.buffer);
  }

  reset(): void {
    this.wasm.reset();
  }

  mix(code: number): void {
    this.wasm.mix(code);
  }

  add(text: string): void {
    const needed = text.length * 3;
    if (needed > this.view.length) {
      this.wasm.memory.grow(Math.ceil((needed - this.view.length) / PAGE));
      this.view = new Uint8Array(this.wasm.memory.buffer);
    }
    this.wasm.add(this.encoder.encodeInto(text, this.view).written);
  }

  get high(): number {
    return this.wasm.high();
  }

  get low(): number {
    return this.wasm.low();
  }
}
