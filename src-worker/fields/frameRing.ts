// A ring of window frames in shared memory (progressive display): the build's engine — on the
// ingest worker thread or inline — writes every closed window into a SharedArrayBuffer; the
// engine host's thread reads them as a growing window source while the build goes on.
//
// A slot holds a window's *raw frame*: exactly the values the `snap` and `grid` frame layers
// are encoded from (contracts/frames.ts), not the Arrow bytes. The build thread pays a copy
// of ~83 KB per window (no Arrow encoding on the critical path); the host encodes only the
// windows the window asks for, with the same encoder as a build replayed from DuckDB
// (replay/frameEncoder.ts encodeRawFrame), so the frames are byte-identical.
//
// Memory layout (one SharedArrayBuffer, little-endian typed views):
//   header (128 bytes)  i32[0] magic · i32[1] published windows (Atomics) · i32[2] finished
//                      (Atomics) · i32[3] half-width · i32[4] capacity (slots) · i32[5] slot bytes
//                      f64 @32 first window's start second · f64 @40 session end second · f64 @48 tickInt
//                      @64 symbol, @96 time zone (32 bytes each, NUL-padded)
//   slot k (at 64 + k·slotBytes), window w lives in slot w mod capacity:
//     i32 @0 seq: the window index held, −1 while being written (a seqlock: a reader copies
//        the slot and accepts it only if seq was w before and after the copy)
//     i64 ×6 @8 window end, spot, best bid, best ask, last trade, grid spot (0 = none yet)
//     u32 ×2 @56 best bid qty, best ask qty · u8 ×5 @64 valid: spot, bid, ask, last trade, book
//     u32 @72 depth_qty_end[rows] · f32 fields[HEATMAP_FIELDS.length][rows]
// Rows are the grid frame's: 2·(2·half+1), bids then asks, rel_ticks −half … +half.
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { GRID_FIELD, type WindowGrid } from './windowGrid';
import type { WindowStep } from './windowStep';

const MAGIC = 0x46524e47; // 'FRNG'
const HEADER_BYTES = 128;
const TEXT_AT = 64; // symbol (32 bytes, NUL-padded UTF-8), then the time zone (32 bytes)
const TEXT_BYTES = 32;
const I_MAGIC = 0;
const I_COUNT = 1;
const I_FINISHED = 2;
const I_HALF = 3;
const I_CAPACITY = 4;
const I_SLOT_BYTES = 5;
const F_FIRST_SEC = 4; // f64 index (byte 32)
const F_END_SEC = 5;
const F_TICK = 6;

const RAW_I64 = 8; // byte offset of the six i64 values
const RAW_QTY = 56;
const RAW_VALID = 64;
const RAW_DEPTH = 72;
const NS = 1_000_000_000n;

/** Bytes of one raw frame (without the slot's seq) at grid half-width `half`. */
export function rawFrameBytes(half: number): number {
  const rows = 2 * (2 * half + 1);
  return RAW_DEPTH + 4 * rows * (1 + HEATMAP_FIELDS.length);
}
const slotBytesOf = (half: number) => Math.ceil(rawFrameBytes(half) / 8) * 8;

/** A SharedArrayBuffer that holds `windows` raw frames of half-width `half` (plus the header). */
export function frameRingBytes(half: number, windows: number): number {
  return HEADER_BYTES + windows * slotBytesOf(half);
}

export function createFrameRing(bytes: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(Math.max(HEADER_BYTES, Math.floor(bytes / 8) * 8));
  const h = new Int32Array(sab, 0, HEADER_BYTES / 4);
  h[I_MAGIC] = MAGIC;
  h[I_HALF] = -1;
  return sab;
}

/**
 * One window's raw frame: typed views over a byte region (a ring slot or a private copy). The
 * grid's prices are `gridSpot + rel_ticks · tickInt` (0 = no valid window yet: prices 0).
 */
export class RawFrame {
  readonly rows: number;
  readonly i64: BigInt64Array;
  readonly qty: Uint32Array;
  readonly valid: Uint8Array;
  readonly depth: Uint32Array;
  /** HEATMAP_FIELDS order. */
  readonly fields: Float32Array[];

  constructor(
    readonly half: number,
    buf: ArrayBufferLike = new ArrayBuffer(slotBytesOf(half)),
    offset = 0,
  ) {
    const rows = (this.rows = 2 * (2 * half + 1));
    this.i64 = new BigInt64Array(buf, offset + RAW_I64, 6);
    this.qty = new Uint32Array(buf, offset + RAW_QTY, 2);
    this.valid = new Uint8Array(buf, offset + RAW_VALID, 5);
    this.depth = new Uint32Array(buf, offset + RAW_DEPTH, rows);
    this.fields = HEATMAP_FIELDS.map((_, k) => new Float32Array(buf, offset + RAW_DEPTH + 4 * rows * (1 + k), rows));
  }

  get windowEndNs(): bigint {
    return this.i64[0];
  }
  get gridSpot(): bigint {
    return this.i64[5];
  }
}

/**
 * Fills raw frames from the engine's grids. Stateful only in the grid spot an invalid window
 * inherits (the last valid one), so feed it every window in order.
 */
export class RawFrameFiller {
  private lastSpot = 0n;
  constructor(private readonly tickInt: number) {}

  fill(g: WindowGrid, out: RawFrame): void {
    if (out.rows !== g.cells) throw new RangeError(`grid of ${g.cells} cells does not match half-width ${out.half}`);
    const tick = this.tickInt;
    const i64 = out.i64;
    const valid = out.valid;
    const put = (k: number, vk: number, v: number) => {
      // The same doubles the snapshot writer stores (tableWriters.ts): tick · tickInt.
      valid[vk] = v === v ? 1 : 0;
      i64[k] = v === v ? BigInt(v) : 0n;
    };
    i64[0] = BigInt(g.windowSec + 1) * NS;
    put(1, 0, g.valid ? g.spotTick * tick : NaN);
    put(2, 1, g.bestBidTick * tick);
    out.qty[0] = g.bestBidQty;
    put(3, 2, g.bestAskTick * tick);
    out.qty[1] = g.bestAskQty;
    put(4, 3, g.lastTradePriceInt);
    valid[4] = g.valid ? 1 : 0;
    if (g.valid) this.lastSpot = i64[1];
    i64[5] = this.lastSpot;

    // A cell without a stored row reads 0 in every field, as from the gold view. (Plain loops,
    // every cell written once: this runs for every window of every build.)
    const rows = out.rows;
    const depth = out.depth;
    const fields = out.fields;
    if (!g.valid) {
      depth.fill(0);
      for (let k = 0; k < fields.length; k++) fields[k].fill(0);
      return;
    }
    const has = g.hasRow;
    const buf = g.buf;
    const depthEnd = g.depthEnd;
    for (let c = 0; c < rows; c++) depth[c] = has[c] ? depthEnd[c] : 0;
    for (let k = 0; k < fields.length; k++) {
      const o = FIELD_OFFSET[k] * rows;
      const dst = fields[k];
      for (let c = 0; c < rows; c++) dst[c] = has[c] ? buf[o + c] : 0;
    }
  }
}

/** Position in WindowGrid.buf of each HEATMAP_FIELDS field. */
// Every heatmap field is a WindowGrid field of the same (contract) name.
const FIELD_OFFSET = Int32Array.from(HEATMAP_FIELDS, (f) => GRID_FIELD[f]);

/** What the writer tells the reader about the build (BuildConfig has all of it). */
export interface FrameRingBuild {
  tickInt: number;
  sessionEndSec: number;
  symbol: string;
  timeZone: string;
}

function putText(sab: SharedArrayBuffer, at: number, text: string): void {
  const dst = new Uint8Array(sab, at, TEXT_BYTES);
  dst.fill(0);
  dst.set(new TextEncoder().encode(text).subarray(0, TEXT_BYTES));
}
function getText(sab: SharedArrayBuffer, at: number): string {
  const b = new Uint8Array(sab, at, TEXT_BYTES).slice();
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
}

export class FrameRingError extends Error {
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'FrameRingError';
  }
}

/**
 * The build side: a WindowStep appended after the build's steps (ingestProducer, when the
 * request carries `liveFrames`). One writer per ring.
 */
export class FrameRingWriter implements WindowStep {
  readonly name = 'live_frames';
  private readonly h: Int32Array;
  private readonly f: Float64Array;
  /** The whole buffer as i32 (the slots' seq words). */
  private readonly seqs: Int32Array;
  private readonly filler: RawFrameFiller;
  private slots: RawFrame[] = [];
  private count = 0;

  constructor(
    private readonly sab: SharedArrayBuffer,
    build: FrameRingBuild,
  ) {
    const { tickInt, sessionEndSec } = build;
    this.h = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.f = new Float64Array(sab, 0, HEADER_BYTES / 8);
    this.seqs = new Int32Array(sab);
    if (this.h[I_MAGIC] !== MAGIC) throw new FrameRingError('the live frame buffer is not a frame ring', 'create it with createFrameRing');
    this.filler = new RawFrameFiller(tickInt);
    this.f[F_TICK] = tickInt;
    this.f[F_END_SEC] = sessionEndSec;
    putText(sab, TEXT_AT, build.symbol);
    putText(sab, TEXT_AT + TEXT_BYTES, build.timeZone);
  }

  onWindow(g: WindowGrid): void {
    if (this.count === 0) this.layOut(g);
    const h = this.h;
    const k = this.count % this.slots.length;
    const slot = this.slots[k];
    const seqAt = (HEADER_BYTES + k * h[I_SLOT_BYTES]) >> 2;
    Atomics.store(this.seqs, seqAt, -1);
    this.filler.fill(g, slot);
    Atomics.store(this.seqs, seqAt, this.count);
    this.count++;
    Atomics.store(h, I_COUNT, this.count);
  }

  finish(): void {
    Atomics.store(this.h, I_FINISHED, 1);
  }

  private layOut(g: WindowGrid): void {
    const slotBytes = slotBytesOf(g.half);
    const capacity = Math.floor((this.sab.byteLength - HEADER_BYTES) / slotBytes);
    if (capacity < 1) throw new FrameRingError(`the live frame buffer (${this.sab.byteLength} bytes) holds no window of half-width ${g.half}`, `give it at least ${frameRingBytes(g.half, 1)} bytes`);
    this.h[I_HALF] = g.half;
    this.h[I_CAPACITY] = capacity;
    this.h[I_SLOT_BYTES] = slotBytes;
    this.f[F_FIRST_SEC] = g.windowSec;
    const seqs = this.seqs;
    for (let k = 0; k < capacity; k++) {
      seqs[(HEADER_BYTES + k * slotBytes) >> 2] = -1;
      this.slots.push(new RawFrame(g.half, this.sab, HEADER_BYTES + k * slotBytes));
    }
  }
}

export interface FrameRingInfo {
  /** Windows published so far (0 before the first closes). */
  windows: number;
  /** The writer saw the end of its input. */
  finished: boolean;
  half: number;
  capacity: number;
  tickInt: number;
  /** window_end_ts_ns of window 0. */
  firstWindowEndNs: bigint;
  /** End of the build's session window (whole UTC seconds): where the session will end at most. */
  sessionEndSec: number;
  symbol: string;
  timeZone: string;
}

/** The reading side (any thread): published count, and one window at a time, never torn. */
export class FrameRingReader {
  private readonly h: Int32Array;
  private readonly f: Float64Array;
  private readonly all: Int32Array;

  constructor(readonly sab: SharedArrayBuffer) {
    this.h = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.f = new Float64Array(sab, 0, HEADER_BYTES / 8);
    this.all = new Int32Array(sab);
    if (this.h[I_MAGIC] !== MAGIC) throw new FrameRingError('the live frame buffer is not a frame ring', 'create it with createFrameRing');
  }

  /** Windows published so far. */
  get windows(): number {
    return Atomics.load(this.h, I_COUNT);
  }
  get finished(): boolean {
    return Atomics.load(this.h, I_FINISHED) === 1;
  }

  /** The ring's shape, once the first window is published (null before). */
  info(): FrameRingInfo | null {
    const windows = this.windows; // the load orders the header fields written before it
    if (windows === 0) return null;
    return {
      windows,
      finished: this.finished,
      half: this.h[I_HALF],
      capacity: this.h[I_CAPACITY],
      tickInt: this.f[F_TICK],
      firstWindowEndNs: BigInt(this.f[F_FIRST_SEC] + 1) * NS,
      sessionEndSec: this.f[F_END_SEC],
      symbol: getText(this.sab, TEXT_AT),
      timeZone: getText(this.sab, TEXT_AT + TEXT_BYTES),
    };
  }

  /** Oldest window still held (windows below it were overwritten). */
  firstHeld(): number {
    const n = this.windows;
    return n === 0 ? 0 : Math.max(0, n - this.h[I_CAPACITY]);
  }

  /**
   * Copies window `index` into `out` (a private RawFrame of the ring's half-width). False when
   * the window is not (or no longer) in the ring — never a half-written window: the slot's seq
   * must name `index` before and after the copy.
   */
  read(index: number, out: RawFrame): boolean {
    const n = this.windows;
    if (!Number.isInteger(index) || index < 0 || index >= n) return false;
    const cap = this.h[I_CAPACITY];
    const slotBytes = this.h[I_SLOT_BYTES];
    if (out.half !== this.h[I_HALF]) throw new RangeError(`a raw frame of half-width ${out.half} cannot hold this ring's (${this.h[I_HALF]})`);
    const base = HEADER_BYTES + (index % cap) * slotBytes;
    const seqAt = base >> 2;
    if (Atomics.load(this.all, seqAt) !== index) return false;
    const src = new Uint8Array(this.sab, base, slotBytes);
    const dst = new Uint8Array(out.i64.buffer, out.i64.byteOffset - RAW_I64, slotBytes);
    dst.set(src);
    return Atomics.load(this.all, seqAt) === index;
  }

  /**
   * Like `read`, but copies only the snapshot values and the fields `fieldIndexes` (positions
   * in HEATMAP_FIELDS): a one-field slab reads ~3 KB of a window's ~83 KB.
   */
  readFields(index: number, out: RawFrame, fieldIndexes: readonly number[]): boolean {
    const n = this.windows;
    if (!Number.isInteger(index) || index < 0 || index >= n) return false;
    const cap = this.h[I_CAPACITY];
    if (out.half !== this.h[I_HALF]) throw new RangeError(`a raw frame of half-width ${out.half} cannot hold this ring's (${this.h[I_HALF]})`);
    const base = HEADER_BYTES + (index % cap) * this.h[I_SLOT_BYTES];
    const seqAt = base >> 2;
    if (Atomics.load(this.all, seqAt) !== index) return false;
    const outBase = out.i64.byteOffset - RAW_I64;
    const copy = (from: number, bytes: number) => new Uint8Array(out.i64.buffer, outBase + from, bytes).set(new Uint8Array(this.sab, base + from, bytes));
    copy(RAW_I64, RAW_DEPTH - RAW_I64);
    const fieldBytes = 4 * out.rows;
    for (const k of fieldIndexes) copy(RAW_DEPTH + fieldBytes * (1 + k), fieldBytes);
    return Atomics.load(this.all, seqAt) === index;
  }
}
