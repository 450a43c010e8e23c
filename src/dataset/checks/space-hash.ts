import { moduleBytes } from "./wasm/space-hash-module.js";

/*
 * Why WebAssembly: a JS loop over charCodeAt costs about three JSON.parse's worth of time per
 * character, which alone would halve validation throughput; the same loop over bytes in wasm costs a
 * fraction. The module is built from named opcodes in wasm/, not loaded as an opaque blob.
 */

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
