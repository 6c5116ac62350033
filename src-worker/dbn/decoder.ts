// Push-based, I/O-free DBN decoder (raw DBN bytes in; metadata, MBO column batches and
// definition objects out). Compressed input is decompressed upstream (see zstd.ts).
//
// Bytes are copied (or decompressed / read directly, via space()+commit()) into one internal
// buffer whose record area always starts at offset 0, so every record starts 4-aligned and
// the MBO hot path reads u32 words in place through a Uint32Array view — even for v1/v2
// files whose record area is not aligned in the file. No object and no BigInt per MBO
// record; definitions (rare) become objects through the explicit version upgrade in
// definition.ts; every other rtype is skipped by its length and counted.

import { upgradeDefinition, definitionLayoutForLength, type InstrumentDefinition } from './definition';
import { RTYPE, rtypeName } from './enums';
import {
  describeLeadingBytes,
  DbnError,
  InvalidMetadataError,
  LegacyDbzError,
  NotDbnError,
  RecordTooShortError,
  TruncatedRecordError,
  UnsupportedVersionError,
} from './errors';
import { decodeMetadataBody, METADATA_PRELUDE_LEN, truncatedMetadata, type DbnMetadata } from './metadata';
import { createMboBatch, type MboBatch } from './mboBatch';
import { hiLoToSecNano, type SecNano } from './u64';
import { MboKernel, mboKernelAvailable } from './wasm/mboKernel';
import { MBO_HEADER_TAG, MBO_RECORD_LEN, MBO_SHIFT, RECORD_HEADER_LEN, MBO_WORD, UNDEF_PRICE_HI, UNDEF_PRICE_LO } from './mboLayout';
import { MBO_COLUMN_NAMES } from './wasm/views';

export interface DbnDecoderOptions {
  /** Input is a bare record stream without a metadata header ("fragment"). */
  fragment?: boolean;
  /** DBN version of a fragment's records (default 3). Ignored when a header is present. */
  version?: 1 | 2 | 3;
  /** Fragment records carry a trailing u64 ts_out (default false). */
  tsOut?: boolean;
  /** Internal buffer size in bytes (default 8 MiB); it grows only for larger pushes (then without the wasm kernel). */
  bufferSize?: number;
  /**
   * Called with each record that is neither MBO nor a decodable definition (before it is
   * skipped). `record` is a view into the decoder's buffer, valid only during the call.
   */
  onOtherRecord?: (record: Uint8Array, rtype: number, offset: number) => void;
  /** Use the WebAssembly MBO kernel when it is available (default true). */
  wasm?: boolean;
}

/**
 * What next() produced:
 * - 'metadata': decoder.metadata is set (once, first).
 * - 'mbo': the batch is full (or records must be handed over before an error) — consume it,
 *   set batch.count = 0, call next() again.
 * - 'definition': decoder.definition holds the next record; MBO records that came before it
 *   are already in the batch (hand those over first).
 * - 'need-more': push more bytes (or call end()); the batch may be partially filled — keep it.
 * - 'end': end() was called and all input is decoded; the batch may hold a last partial batch.
 */
export type DecodeStep = 'metadata' | 'mbo' | 'definition' | 'need-more' | 'end';

export interface DbnCounts {
  /** All records of every rtype. */
  records: number;
  /** Records per rtype name ("mbo", "instrument_def", …; unknown as "0x.."). */
  by_rtype: Record<string, number>;
  /** MBO records per action character. */
  by_action: Record<string, number>;
  /** Records neither decoded as MBO nor as a definition. */
  skipped: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
// Room for one 4 MiB read or decompressed chunk plus a partial record, without growing.
const DEFAULT_BUFFER = 8 << 20;
const MBO_LEN = MBO_RECORD_LEN;
// The record's u32 words and shifts (mboLayout.ts), copied into this module's own constants
// for the hot loops: an imported binding can be a getter per read (vitest, tsx's CJS path).
const HEADER_TAG = MBO_HEADER_TAG;
const UNDEF_HI = UNDEF_PRICE_HI;
const UNDEF_LO = UNDEF_PRICE_LO;
const W_HEADER = MBO_WORD.header;
const W_INSTRUMENT = MBO_WORD.instrumentId;
const W_TS_EVENT_LO = MBO_WORD.tsEventLo;
const W_TS_EVENT_HI = MBO_WORD.tsEventHi;
const W_ORDER_ID_LO = MBO_WORD.orderIdLo;
const W_ORDER_ID_HI = MBO_WORD.orderIdHi;
const W_PRICE_LO = MBO_WORD.priceLo;
const W_PRICE_HI = MBO_WORD.priceHi;
const W_SIZE = MBO_WORD.size;
const W_FLAGS = MBO_WORD.flagsWord;
const W_TS_RECV_LO = MBO_WORD.tsRecvLo;
const W_TS_RECV_HI = MBO_WORD.tsRecvHi;
const W_TS_IN_DELTA = MBO_WORD.tsInDelta;
const W_SEQUENCE = MBO_WORD.sequence;
const S_PUBLISHER = MBO_SHIFT.publisherId;
const S_FLAGS = MBO_SHIFT.flags;
const S_CHANNEL = MBO_SHIFT.channelId;
const S_ACTION = MBO_SHIFT.action;
const S_SIDE = MBO_SHIFT.side;
/** Rows of the wasm kernel's scratch columns per run. */
const KERNEL_ROWS = 8192;
const HEADER_LEN = RECORD_HEADER_LEN;
/** Guard against a corrupt length field asking for gigabytes. */
const MAX_METADATA_LEN = 1 << 30;

type State = 'prelude' | 'metadata' | 'records';

export class DbnDecoder {
  /** Decoded metadata (null for fragments or before the 'metadata' step). */
  metadata: DbnMetadata | null = null;
  /** The definition produced by the last 'definition' step. */
  definition: InstrumentDefinition | null = null;
  /** DBN version of the input (from the header or the fragment option). */
  version: number;
  tsOut: boolean;

  private buf: Uint8Array;
  private u32: Uint32Array;
  private i32: Int32Array;
  private start = 0;
  private end = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private eof = false;
  private state: State;
  private metadataLength = 0;
  private recordCount = 0;
  private skipped = 0;
  private readonly rtypeCounts = new Float64Array(256);
  private readonly actionCounts = new Float64Array(256);
  private readonly onOther: DbnDecoderOptions['onOtherRecord'];
  private readonly kernel: MboKernel | null = null;
  /** The batch from createBatch() whose columns the kernel writes in place. */
  private ownBatch: MboBatch | null = null;
  private secVal = 0;
  private secHi = 0;
  private secLo = 0;
  /** Damage found after records that must be handed over first (thrown on the next call). */
  private pendingError: DbnError | null = null;

  constructor(opts: DbnDecoderOptions = {}) {
    if (!LITTLE_ENDIAN) throw new Error('DbnDecoder requires a little-endian platform');
    const size = Math.max(1024, opts.bufferSize ?? DEFAULT_BUFFER);
    if (opts.wasm !== false && mboKernelAvailable()) {
      this.kernel = new MboKernel(size, KERNEL_ROWS);
      this.buf = this.kernel.input;
    } else {
      this.buf = new Uint8Array(size);
    }
    this.u32 = new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2);
    this.i32 = new Int32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2);
    this.state = opts.fragment ? 'records' : 'prelude';
    this.version = opts.fragment ? (opts.version ?? 3) : 0;
    this.tsOut = opts.tsOut ?? false;
    this.onOther = opts.onOtherRecord;
  }

  /** Offset in the decoded stream of the next unread byte. */
  get offset(): number {
    return this.base + this.start;
  }

  /** Bytes buffered but not yet decoded. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Copy bytes into the decoder. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.space(bytes.length).set(bytes);
    this.end += bytes.length;
  }

  /** Zero-copy input: a writable view of at least `min` bytes; then call commit(n). */
  space(min: number): Uint8Array {
    if (this.eof) throw new Error('DbnDecoder: input already ended');
    if (this.buf.length - this.end < min) this.makeRoom(min);
    return this.buf.subarray(this.end);
  }

  /** Declare that `n` bytes were written into the view returned by space(). */
  commit(n: number): void {
    if (this.end + n > this.buf.length) throw new RangeError('commit beyond space()');
    this.end += n;
  }

  /** No more input will come; next() now reports truncation instead of 'need-more'. */
  finish(): void {
    this.eof = true;
  }

  private makeRoom(min: number): void {
    const live = this.end - this.start;
    // Compaction keeps the record area at offset 0 mod 4 (start is a multiple of 4 there).
    if (this.start > 0 && this.buf.length - live >= min) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let cap = this.buf.length;
      while (cap - live < min) cap *= 2;
      // Outgrowing the (fixed-size) wasm input region switches to the JS loop for good.
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(this.start, this.end));
      this.buf = nb;
      this.u32 = new Uint32Array(nb.buffer);
      this.i32 = new Int32Array(nb.buffer);
    }
    this.base += this.start;
    this.start = 0;
    this.end = live;
  }

  /**
   * A batch for next(): the decoder's own columns (the wasm kernel writes them in place, no
   * copy) when `capacity` fits, else a fresh one. Only one caller should use the own batch.
   */
  createBatch(capacity: number): MboBatch {
    if (this.kernel !== null && capacity <= this.kernel.capacity) {
      const kc = this.kernel.cols as unknown as Record<string, Uint8Array>;
      const own = { count: 0 } as Record<string, unknown>;
      for (const name of MBO_COLUMN_NAMES) own[name] = kc[name].subarray(0, capacity);
      this.ownBatch = own as unknown as MboBatch;
      return this.ownBatch;
    }
    return createMboBatch(capacity);
  }

  /** Counts so far (complete at 'end'). */
  counts(): DbnCounts {
    const by_rtype: Record<string, number> = {};
    for (let r = 0; r < 256; r++) if (this.rtypeCounts[r] > 0) by_rtype[rtypeName(r)] = this.rtypeCounts[r];
    const by_action: Record<string, number> = {};
    const k = this.kernel?.actionCounts;
    for (let a = 0; a < 256; a++) {
      const c = this.actionCounts[a] + (k ? k[a] : 0);
      if (c > 0) by_action[String.fromCharCode(a)] = c;
    }
    return { records: this.recordCount, by_rtype, by_action, skipped: this.skipped };
  }

  /** Decode as far as possible; see DecodeStep. Throws DbnError subclasses. */
  next(batch: MboBatch): DecodeStep {
    if (this.pendingError !== null) throw this.pendingError;
    if (this.state === 'records') return this.decodeRecords(batch);
    if (this.state === 'prelude') {
      const s = this.decodePrelude();
      if (s) return s;
    }
    return this.decodeMetadata();
  }

  private decodePrelude(): DecodeStep | null {
    const avail = this.end - this.start;
    const b = this.buf;
    const p = this.start;
    // Check the magic as soon as bytes arrive, so non-DBN input fails fast.
    const magic = [0x44, 0x42, 0x4e];
    for (let i = 0; i < Math.min(avail, 4); i++) {
      if (i < 3 && b[p + i] !== magic[i]) {
        if (avail >= 4) this.throwNotDbn();
        if (this.eof) this.throwNotDbn();
        return 'need-more';
      }
    }
    if (avail < METADATA_PRELUDE_LEN) {
      if (!this.eof) return 'need-more';
      if (avail === 0) throw new DbnError('EMPTY_INPUT', 0, 'the input is empty (0 bytes)', 'pick a non-empty .dbn or .dbn.zst file');
      throw truncatedMetadata(this.offset, avail, METADATA_PRELUDE_LEN);
    }
    const version = b[p + 3];
    if (version < 1 || version > 3) throw new UnsupportedVersionError(version);
    this.version = version;
    this.metadataLength = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    if (this.metadataLength > MAX_METADATA_LEN) {
      throw new InvalidMetadataError(this.offset + 4, `metadata length ${this.metadataLength} is implausibly large`);
    }
    this.start += METADATA_PRELUDE_LEN;
    this.state = 'metadata';
    return null;
  }

  private throwNotDbn(): never {
    const b = this.buf;
    const p = this.start;
    const avail = this.end - p;
    const u = avail >= 4 ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0 : -1;
    if ((u & 0xfffffff0) >>> 0 === 0x184d2a50) {
      if (avail >= 11 && b[p + 8] === 0x44 && b[p + 9] === 0x42 && b[p + 10] === 0x5a) throw new LegacyDbzError();
      throw new NotDbnError(this.offset, 'it starts with a zstd skippable frame but holds no DBN');
    }
    if (u === 0xfd2fb528) throw new NotDbnError(this.offset, 'zstd-compressed bytes were given to the raw decoder (open it with readDbnFile/decodeDbnSync, which decompress)');
    throw new NotDbnError(this.offset, describeLeadingBytes(b.subarray(p, this.end)));
  }

  private decodeMetadata(): DecodeStep {
    const avail = this.end - this.start;
    const len = this.metadataLength;
    if (avail < len) {
      // No pre-allocation from the (possibly corrupt) length: the buffer grows as bytes arrive.
      if (!this.eof) return 'need-more';
      throw truncatedMetadata(this.offset, avail, len);
    }
    const body = this.buf.subarray(this.start, this.start + len);
    const md = decodeMetadataBody(this.version, body, this.offset);
    this.metadata = md;
    this.tsOut = md.ts_out;
    this.start += len;
    // Move the record area to offset 0 so records are 4-aligned in the buffer.
    const live = this.end - this.start;
    this.buf.copyWithin(0, this.start, this.end);
    this.base += this.start;
    this.start = 0;
    this.end = live;
    this.state = 'records';
    return 'metadata';
  }

  private decodeRecords(batch: MboBatch): DecodeStep {
    const u8 = this.buf;
    const u32 = this.u32;
    const i32 = this.i32;
    const end = this.end;
    const cap = batch.recordIndex.length;
    const rtypeCounts = this.rtypeCounts;
    const actionCounts = this.actionCounts;
    const {
      recordIndex,
      publisherId,
      instrumentId,
      tsEventHi,
      tsEventLo,
      tsRecvHi,
      tsRecvLo,
      tsRecvSec,
      tsRecvNano,
      orderIdHi,
      orderIdLo,
      price,
      size,
      flags,
      channelId,
      action,
      side,
      tsInDelta,
      sequence,
    } = batch;
    let pos = this.start;
    let n = batch.count;
    let rec = this.recordCount;
    let step: DecodeStep = 'need-more';
    // Cached start of the current ts_recv second: secVal s = (secHi, secLo) ns.
    let secVal = this.secVal;
    let secHi = this.secHi;
    let secLo = this.secLo;
    const kernel = this.kernel !== null && this.buf === this.kernel.input ? this.kernel : null;
    for (;;) {
      if (kernel !== null) {
        // WebAssembly kernel for runs of plain MBO records, then copy into the caller's batch.
        const kc = kernel.cols;
        const inPlace = batch === this.ownBatch;
        for (;;) {
          const room = Math.min(cap - n, inPlace ? cap : kernel.capacity, ((end - pos) / MBO_LEN) | 0);
          if (room <= 0) break;
          const got = kernel.run(pos, inPlace ? n : 0, room, rec);
          if (got > 0) {
            if (!inPlace) {
              for (let c = 0; c < MBO_COLUMN_NAMES.length; c++) {
                const name = MBO_COLUMN_NAMES[c];
                (batch[name] as Uint32Array).set((kc[name] as Uint32Array).subarray(0, got), n);
              }
            }
            n += got;
            pos += got * MBO_LEN;
            rec += got;
            rtypeCounts[RTYPE.MBO] += got;
          }
          if (got < room) break;
        }
      }
      // Hot loop: consecutive plain 56-byte MBO records. The first header word carries
      // length (14 × 4 bytes) and rtype (0xA0) in its low 16 bits: one compare for both.
      const runStart = n;
      const stop = Math.min(cap - n, ((end - pos) / MBO_LEN) | 0) + n;
      while (n < stop) {
        const w = pos >>> 2;
        const h0 = u32[w];
        if ((h0 & 0xffff) !== HEADER_TAG) break;
        recordIndex[n] = rec + (n - runStart);
        publisherId[n] = h0 >>> S_PUBLISHER;
        instrumentId[n] = u32[w + W_INSTRUMENT];
        tsEventLo[n] = u32[w + W_TS_EVENT_LO];
        tsEventHi[n] = u32[w + W_TS_EVENT_HI];
        orderIdLo[n] = u32[w + W_ORDER_ID_LO];
        orderIdHi[n] = u32[w + W_ORDER_ID_HI];
        const plo = u32[w + W_PRICE_LO];
        const phi = i32[w + W_PRICE_HI];
        price[n] = phi === UNDEF_HI && plo === UNDEF_LO ? NaN : phi * 4294967296 + plo;
        size[n] = u32[w + W_SIZE];
        const fcas = u32[w + W_FLAGS];
        flags[n] = fcas >>> S_FLAGS;
        channelId[n] = fcas >>> S_CHANNEL;
        action[n] = fcas >>> S_ACTION;
        side[n] = fcas >>> S_SIDE;
        const rlo = u32[w + W_TS_RECV_LO];
        const rhi = u32[w + W_TS_RECV_HI];
        tsRecvLo[n] = rlo;
        tsRecvHi[n] = rhi;
        // Exact seconds/nanos split. ts_recv rarely leaves the current second, so first try
        // the cached second start (exact: the difference is small); otherwise split afresh —
        // the float estimate is off by at most one second and the exact int32 remainder
        // corrects it (see u64.ts hiLoToSecNano).
        const diff = (rhi - secHi) * 4294967296 + (rlo - secLo);
        if (diff >= 0 && diff < 1000000000) {
          tsRecvSec[n] = secVal;
          tsRecvNano[n] = diff;
        } else {
          let sec = Math.floor((rhi * 4294967296 + rlo) * 1e-9);
          let rem = (rlo - Math.imul(sec, 1000000000)) | 0;
          if (rem < 0) {
            sec -= 1;
            rem += 1000000000;
          } else if (rem >= 1000000000) {
            sec += 1;
            rem -= 1000000000;
          }
          secVal = sec;
          secLo = (rlo - rem) >>> 0;
          secHi = rlo >= rem ? rhi : rhi - 1;
          tsRecvSec[n] = sec;
          tsRecvNano[n] = rem;
        }
        tsInDelta[n] = i32[w + W_TS_IN_DELTA];
        sequence[n] = u32[w + W_SEQUENCE];
        pos += MBO_LEN;
        n++;
      }
      if (n > runStart) {
        const k = n - runStart;
        rec += k;
        rtypeCounts[RTYPE.MBO] += k;
        for (let i = runStart; i < n; i++) actionCounts[action[i]]++;
      }
      // General path: one record of any kind (or a stop condition).
      if (n >= cap) {
        step = 'mbo';
        break;
      }
      const avail = end - pos;
      if (avail === 0) break;
      const len = u8[pos] << 2;
      if (len < HEADER_LEN) {
        this.pendingError = new RecordTooShortError(this.base + pos, len);
        break;
      }
      if (len > avail) break;
      const rtype = u8[pos + 1];
      if (rtype === RTYPE.MBO && len >= MBO_LEN) {
        // MBO with a trailing ts_out (or a longer future layout): same fields, general path.
        decodeMboAt(u32, i32, pos >>> 2, batch, n, rec);
        actionCounts[batch.action[n]]++;
        n++;
      } else if (rtype === RTYPE.INSTRUMENT_DEF) {
        const lay = definitionLayoutForLength(this.tsOut ? len - 8 : len, this.version);
        rtypeCounts[rtype]++;
        rec++;
        if (lay) {
          this.definition = upgradeDefinition(u8, pos, lay);
          pos += len;
          step = 'definition';
          break;
        }
        this.skipped++;
        this.onOther?.(u8.subarray(pos, pos + len), rtype, this.base + pos);
        pos += len;
        continue;
      } else {
        this.skipped++;
        if (this.onOther) this.onOther(u8.subarray(pos, pos + len), rtype, this.base + pos);
      }
      rtypeCounts[rtype]++;
      rec++;
      pos += len;
    }
    this.start = pos;
    this.recordCount = rec;
    this.secVal = secVal;
    this.secHi = secHi;
    this.secLo = secLo;
    batch.count = n;
    if (step === 'need-more' && this.eof && this.pendingError === null) {
      const left = end - pos;
      if (left === 0) return 'end';
      this.pendingError = new TruncatedRecordError(this.base + pos, u8[pos] << 2, left, rec);
    }
    if (this.pendingError !== null) {
      // Hand over the complete records before the damage first; the next call throws.
      if (n > 0) return 'mbo';
      throw this.pendingError;
    }
    return step;
  }

}

/** One MBO record at u32 word `w` into row `n` (the general, non-hot path). */
function decodeMboAt(u32: Uint32Array, i32: Int32Array, w: number, b: MboBatch, n: number, rec: number): void {
  b.recordIndex[n] = rec;
  b.publisherId[n] = u32[w + W_HEADER] >>> S_PUBLISHER;
  b.instrumentId[n] = u32[w + W_INSTRUMENT];
  b.tsEventLo[n] = u32[w + W_TS_EVENT_LO];
  b.tsEventHi[n] = u32[w + W_TS_EVENT_HI];
  b.orderIdLo[n] = u32[w + W_ORDER_ID_LO];
  b.orderIdHi[n] = u32[w + W_ORDER_ID_HI];
  const plo = u32[w + W_PRICE_LO];
  const phi = i32[w + W_PRICE_HI];
  b.price[n] = phi === UNDEF_HI && plo === UNDEF_LO ? NaN : phi * 4294967296 + plo;
  b.size[n] = u32[w + W_SIZE];
  const fcas = u32[w + W_FLAGS];
  b.flags[n] = fcas >>> S_FLAGS;
  b.channelId[n] = fcas >>> S_CHANNEL;
  b.action[n] = fcas >>> S_ACTION;
  b.side[n] = fcas >>> S_SIDE;
  b.tsRecvLo[n] = u32[w + W_TS_RECV_LO];
  b.tsRecvHi[n] = u32[w + W_TS_RECV_HI];
  hiLoToSecNano(u32[w + W_TS_RECV_HI], u32[w + W_TS_RECV_LO], scratchSecNano);
  b.tsRecvSec[n] = scratchSecNano.sec;
  b.tsRecvNano[n] = scratchSecNano.nano;
  b.tsInDelta[n] = i32[w + W_TS_IN_DELTA];
  b.sequence[n] = u32[w + W_SEQUENCE];
}
const scratchSecNano: SecNano = { sec: 0, nano: 0 };
