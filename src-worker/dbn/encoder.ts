// DBN v3 writer: metadata, MBO records from an MboBatch, instrument definitions; raw or
// zstd. Records are staged in a fixed 1 MiB buffer and flushed synchronously to the sink
// (compressing on the way), so memory stays bounded and there is no unbounded write queue.
//
// Compression: zstd-napi streaming when it loads; otherwise each flushed chunk is
// compressed by a `zstd` subprocess into its own frame (a valid multi-frame stream);
// otherwise writing .zst fails with a clear error.
//
// Records are written without ts_out (metadata ts_out is always written as false).

import { closeSync, openSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { encodeDefinitionV3, DEFINITION_V3_SIZE, type InstrumentDefinition } from './definition';
import { DbnError } from './errors';
import type { MboBatch } from './mboBatch';
import { MBO_HEADER_TAG, MBO_RECORD_LEN, MBO_SHIFT, MBO_WORD as W, UNDEF_PRICE_HI, UNDEF_PRICE_LO } from './mboLayout';
import { encodeMetadataV3, type DbnMetadata } from './metadata';
import { loadNapi, ZSTD_CLI } from './zstd';

/** Where encoded bytes go. write() must finish with (or copy) the bytes before returning. */
export interface DbnSink {
  write(bytes: Uint8Array): void;
  close(): void | Promise<void>;
}

export interface DbnWriterOptions {
  /** zstd-compress the output (default false; openDbnFileWriter: true for *.zst). */
  compress?: boolean;
  /** zstd level (default 3, like the zstd CLI). */
  level?: number;
}

const STAGE_SIZE = 1 << 20;
const MBO_LEN = MBO_RECORD_LEN;

interface Compressor {
  write(bytes: Uint8Array, sink: DbnSink): void;
  end(sink: DbnSink): void;
}

function napiCompressor(level: number): Compressor | null {
  const napi = loadNapi();
  if (!napi) return null;
  const cctx = new napi.CCtx();
  cctx.setParameter(napi.CParameter.compressionLevel, level);
  const out = new Uint8Array(napi.compressBound(STAGE_SIZE) + 1024);
  const run = (src: Uint8Array, sink: DbnSink, directive: number): void => {
    for (;;) {
      const [remaining, produced, consumed] = cctx.compressStream2(out, src, directive);
      if (produced > 0) sink.write(out.subarray(0, produced));
      src = src.subarray(consumed);
      if (src.length === 0 && (directive === napi.EndDirective.continue || remaining === 0)) return;
    }
  };
  return {
    write: (b, sink) => run(b, sink, napi.EndDirective.continue),
    end: (sink) => run(new Uint8Array(0), sink, napi.EndDirective.end),
  };
}

function cliCompressor(level: number): Compressor | null {
  if (!ZSTD_CLI) return null;
  const cli = ZSTD_CLI;
  return {
    write(b, sink) {
      const r = spawnSync(cli, ['-q', '-c', `-${Math.min(19, Math.max(1, level))}`], { input: b, maxBuffer: 64 << 20 });
      if (r.status !== 0) throw new DbnError('ENCODE', -1, `zstd failed: ${r.stderr?.toString().trim() || r.error?.message}`);
      sink.write(r.stdout);
    },
    end() {},
  };
}

export class DbnWriter {
  private readonly stage = new Uint8Array(STAGE_SIZE);
  private readonly u32 = new Uint32Array(this.stage.buffer);
  private readonly i32 = new Int32Array(this.stage.buffer);
  private pos = 0;
  private wroteMetadata = false;
  private closed = false;
  private readonly compressor: Compressor | null = null;
  /** Records written (MBO + definitions). */
  records = 0;

  constructor(
    private readonly sink: DbnSink,
    opts: DbnWriterOptions = {},
  ) {
    if (opts.compress) {
      const level = opts.level ?? 3;
      this.compressor = napiCompressor(level) ?? cliCompressor(level);
      if (!this.compressor) {
        throw new DbnError('ZSTD_UNAVAILABLE', -1, 'cannot write .zst: neither zstd-napi nor the zstd command is available', 'write a raw .dbn file or install zstd');
      }
    }
  }

  /** Write the metadata header (first, once). ts_out is written as false. */
  writeMetadata(m: DbnMetadata): void {
    if (this.wroteMetadata || this.records > 0) throw new Error('DbnWriter: metadata must be written once, first');
    const bytes = encodeMetadataV3({ ...m, ts_out: false });
    this.wroteMetadata = true;
    if (bytes.length <= this.stage.length) {
      this.stage.set(bytes, 0);
      this.pos = bytes.length; // a multiple of 8: records stay aligned in the stage
    } else {
      this.emit(bytes);
    }
  }

  /** Write records 0..count-1 of an MBO batch (ts_recv/ts_event/order_id from the hi/lo columns). */
  writeMboBatch(b: MboBatch): void {
    const u32 = this.u32;
    const i32 = this.i32;
    // The layout (mboLayout.ts) read once per call into locals: no import getter per record.
    const { header, instrumentId, tsEventLo, tsEventHi, orderIdLo, orderIdHi, priceLo, priceHi, size, flagsWord, tsRecvLo, tsRecvHi, tsInDelta, sequence } = W;
    const { publisherId: sPub, flags: sFlags, channelId: sChan, action: sAct, side: sSide } = MBO_SHIFT;
    const tag = MBO_HEADER_TAG;
    const undefLo = UNDEF_PRICE_LO;
    const undefHi = UNDEF_PRICE_HI;
    for (let i = 0; i < b.count; i++) {
      if (this.pos + MBO_LEN > STAGE_SIZE) this.flush();
      const w = this.pos >>> 2;
      u32[w + header] = (tag | (b.publisherId[i] << sPub)) >>> 0;
      u32[w + instrumentId] = b.instrumentId[i];
      u32[w + tsEventLo] = b.tsEventLo[i];
      u32[w + tsEventHi] = b.tsEventHi[i];
      u32[w + orderIdLo] = b.orderIdLo[i];
      u32[w + orderIdHi] = b.orderIdHi[i];
      const px = b.price[i];
      if (px !== px) {
        u32[w + priceLo] = undefLo;
        i32[w + priceHi] = undefHi;
      } else {
        const lo = px >>> 0;
        u32[w + priceLo] = lo;
        i32[w + priceHi] = Math.round((px - lo) / 4294967296);
      }
      u32[w + size] = b.size[i];
      u32[w + flagsWord] = ((b.flags[i] << sFlags) | (b.channelId[i] << sChan) | (b.action[i] << sAct) | (b.side[i] << sSide)) >>> 0;
      u32[w + tsRecvLo] = b.tsRecvLo[i];
      u32[w + tsRecvHi] = b.tsRecvHi[i];
      i32[w + tsInDelta] = b.tsInDelta[i];
      u32[w + sequence] = b.sequence[i];
      this.pos += MBO_LEN;
    }
    this.records += b.count;
  }

  /** Write one instrument definition as a v3 (520-byte) record; missing fields take v3 defaults. */
  writeDefinition(d: Partial<InstrumentDefinition>): void {
    if (this.pos + DEFINITION_V3_SIZE > STAGE_SIZE) this.flush();
    encodeDefinitionV3(d, this.stage, this.pos);
    this.pos += DEFINITION_V3_SIZE;
    this.records++;
  }

  /** Write already-encoded bytes (e.g. raw records) as they are. */
  writeRaw(bytes: Uint8Array): void {
    this.flush();
    this.emit(bytes);
  }

  private emit(bytes: Uint8Array): void {
    if (this.compressor) this.compressor.write(bytes, this.sink);
    else this.sink.write(bytes);
  }

  /** Push staged bytes to the sink (compressing if enabled). */
  flush(): void {
    if (this.pos === 0) return;
    this.emit(this.stage.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Flush, end the zstd frame and close the sink. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.compressor?.end(this.sink);
    await this.sink.close();
  }
}

/** A sink writing synchronously to a file descriptor (bounded memory, natural backpressure). */
export function fileSink(path: string): DbnSink {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new DbnError('IO', -1, `cannot write ${path}: ${(e as Error).message}`, 'check the directory exists and is writable', { cause: e });
  }
  return {
    write(bytes) {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** A sink collecting everything in memory (tests, small exports). */
export function memorySink(): DbnSink & { bytes(): Uint8Array } {
  const parts: Uint8Array[] = [];
  let total = 0;
  return {
    write(b) {
      parts.push(b.slice());
      total += b.length;
    },
    close() {},
    bytes() {
      const out = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
  };
}

/** Open a DBN writer on a file; zstd when the name ends in .zst (unless opts.compress says otherwise). */
export function openDbnFileWriter(path: string, opts: DbnWriterOptions = {}): DbnWriter {
  return new DbnWriter(fileSink(path), { ...opts, compress: opts.compress ?? path.endsWith('.zst') });
}
