// WebAssembly MBO kernel (see mboKernel.wat): the decoder's input buffer and one column
// batch live in one wasm memory; run() decodes a run of plain MBO records into those columns.
// Callers that use the decoder's own batch (DbnDecoder.createBatch, as readDbnFile does) get
// the rows in place; any other batch receives a typed-array set() copy (memcpy). The JS loop
// is the fallback when wasm is unavailable.

import { createMboBatchOn } from './views';
import type { MboBatch } from '../mboBatch';
import { MBO_KERNEL_WASM_BASE64 } from './mboKernel.wasm';

let compiled: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(Buffer.from(MBO_KERNEL_WASM_BASE64, 'base64'));
  } catch {
    compiled = null;
  }
  return compiled;
}

export function mboKernelAvailable(): boolean {
  return kernelModule() !== null;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  init(...ptrs: number[]): void;
  run(pos: number, row0: number, max: number, rec: number): number;
}

export class MboKernel {
  /** The decoder's input buffer (fixed capacity, 8-aligned, inside wasm memory). */
  readonly input: Uint8Array;
  /** Scratch columns the kernel writes (rows 0..capacity-1). */
  readonly cols: MboBatch;
  /** MBO records per action byte, accumulated by the kernel. */
  readonly actionCounts: Float64Array;
  readonly capacity: number;
  private readonly inputBase: number;
  private readonly ex: KernelExports;

  constructor(inputBytes: number, capacity: number) {
    const mod = kernelModule();
    if (!mod) throw new Error('wasm MBO kernel unavailable');
    this.ex = new WebAssembly.Instance(mod, {}).exports as unknown as KernelExports;
    this.capacity = capacity;
    const countsBytes = 256 * 8;
    const colBytes = capacity * 80 + 19 * 8; // sum of column widths + alignment slack
    const inputBase = Math.ceil((countsBytes + colBytes) / 8) * 8;
    const total = inputBase + inputBytes;
    const pages = Math.ceil(total / 65536);
    const have = this.ex.memory.buffer.byteLength / 65536;
    if (pages > have) this.ex.memory.grow(pages - have);
    const buf = this.ex.memory.buffer;
    this.actionCounts = new Float64Array(buf, 0, 256);
    const { batch, offsets } = createMboBatchOn(buf, countsBytes, capacity);
    this.cols = batch;
    this.inputBase = inputBase;
    this.input = new Uint8Array(buf, inputBase, inputBytes);
    this.ex.init(...offsets, 0);
  }

  /** Decode ≤ max plain MBO records from input offset `pos` into cols rows row0..; returns how many. */
  run(pos: number, row0: number, max: number, rec: number): number {
    return this.ex.run(this.inputBase + pos, row0, max, rec);
  }
}
