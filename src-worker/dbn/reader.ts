// Streaming readers on top of the I/O-free DbnDecoder:
// - readDbnFile(path): async generator over a raw or zstd file of any size, bounded memory.
// - decodeDbnSync(bytes): everything in memory at once (tests, small files).

import { open, type FileHandle } from 'node:fs/promises';
import { Decompress as FzstdDecompress } from 'fzstd';
import { DbnDecoder, type DbnCounts, type DbnDecoderOptions } from './decoder';
import type { InstrumentDefinition } from './definition';
import { DbnError, LegacyDbzError, TruncatedZstdError } from './errors';
import { createMboBatch, type MboBatch } from './mboBatch';
import type { DbnMetadata } from './metadata';
import { openZstdSource, RawFileSource, type ByteSource } from './sources';
import { corrupt, defaultZstdBackend, loadNapi, looksLikeDbz, looksLikeZstd, type ZstdBackend } from './zstd';

export type DbnEvent =
  | { kind: 'metadata'; metadata: DbnMetadata }
  /** The batch object is REUSED: finish with it before pulling the next event. */
  | { kind: 'mbo'; batch: MboBatch }
  | { kind: 'definition'; definition: InstrumentDefinition }
  /** Last event: final counts. */
  | { kind: 'end'; counts: DbnCounts };

export interface ReadDbnOptions extends Pick<DbnDecoderOptions, 'fragment' | 'version' | 'tsOut' | 'onOtherRecord' | 'wasm'> {
  /** MBO records per batch (default 8192). */
  batchSize?: number;
  signal?: AbortSignal;
  /** Progress: file bytes read so far and the file size (for zstd: compressed bytes). */
  onBytes?: (read: number, total: number) => void;
  /** Force a zstd back end (default: fastest available). */
  zstd?: ZstdBackend;
  /** Treat the file as zstd (true) or raw (false) instead of sniffing its first bytes. */
  compressed?: boolean;
}

const DEFAULT_BATCH = 8192;

function ioError(path: string, e: unknown): DbnError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error)?.message ?? e);
  return new DbnError('IO', -1, `cannot read ${path}: ${why}`, 'check the path', { cause: e });
}

function aborted(): DbnError {
  return new DbnError('ABORTED', -1, 'decoding was cancelled', '');
}

/**
 * Decode a .dbn or .dbn.zst file (sniffed from its first bytes) as a stream of events.
 * Throws DbnError subclasses; every complete record before a damaged spot is delivered first.
 */
export async function* readDbnFile(path: string, opts: ReadDbnOptions = {}): AsyncGenerator<DbnEvent, DbnCounts> {
  let fh: FileHandle;
  let size: number;
  const head = new Uint8Array(16);
  let headLen: number;
  try {
    fh = await open(path, 'r');
    size = (await fh.stat()).size;
    headLen = (await fh.read(head, 0, 16, 0)).bytesRead;
  } catch (e) {
    throw ioError(path, e);
  }
  let source: ByteSource;
  try {
    const h = head.subarray(0, headLen);
    if (looksLikeDbz(h)) throw new LegacyDbzError();
    const zstd = opts.compressed ?? looksLikeZstd(h);
    source = zstd ? await openZstdSource(opts.zstd ?? defaultZstdBackend(), path, fh) : new RawFileSource(fh);
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
  try {
    return yield* decodeFromSource(source, size, opts);
  } finally {
    await source.close().catch(() => undefined);
  }
}

async function* decodeFromSource(source: ByteSource, size: number, opts: ReadDbnOptions): AsyncGenerator<DbnEvent, DbnCounts> {
  const dec = new DbnDecoder(opts);
  const batch = dec.createBatch(opts.batchSize ?? DEFAULT_BATCH);
  const signal = opts.signal;
  for (;;) {
    if (signal?.aborted) throw aborted();
    const step = dec.next(batch);
    switch (step) {
      case 'metadata':
        yield { kind: 'metadata', metadata: dec.metadata! };
        break;
      case 'mbo':
        yield { kind: 'mbo', batch };
        batch.count = 0;
        break;
      case 'definition':
        if (batch.count > 0) {
          yield { kind: 'mbo', batch };
          batch.count = 0;
        }
        yield { kind: 'definition', definition: dec.definition! };
        break;
      case 'need-more':
        await source.fill(dec);
        opts.onBytes?.(Math.min(source.bytesRead, size), size);
        break;
      case 'end': {
        if (batch.count > 0) {
          yield { kind: 'mbo', batch };
          batch.count = 0;
        }
        const counts = dec.counts();
        yield { kind: 'end', counts };
        return counts;
      }
    }
  }
}

/** Result of decoding a whole in-memory DBN stream. */
export interface DecodedDbn {
  metadata: DbnMetadata | null;
  /** All MBO records in one batch (capacity ≥ count). */
  mbo: MboBatch;
  definitions: InstrumentDefinition[];
  counts: DbnCounts;
  /** With `tolerant`: the error that stopped decoding (records before it are above). */
  error?: DbnError;
}

export interface DecodeSyncOptions extends Pick<DbnDecoderOptions, 'fragment' | 'version' | 'tsOut' | 'onOtherRecord' | 'wasm'> {
  /** Return partial results with `error` instead of throwing. */
  tolerant?: boolean;
  /** zstd back end for compressed input: 'napi' or 'js' (default: napi when it loads). */
  zstd?: 'napi' | 'js';
}

/** Decode raw or zstd DBN bytes fully in memory. */
export function decodeDbnSync(bytes: Uint8Array, opts: DecodeSyncOptions = {}): DecodedDbn {
  const dec = new DbnDecoder(opts);
  let batch = createMboBatch(1024);
  const definitions: InstrumentDefinition[] = [];
  const grow = (): void => {
    const nb = createMboBatch(batch.recordIndex.length * 2);
    for (const k of Object.keys(nb) as (keyof MboBatch)[]) {
      if (k !== 'count') (nb[k] as Float64Array).set(batch[k] as Float64Array);
    }
    nb.count = batch.count;
    batch = nb;
  };
  const drain = (): 'end' | 'more' => {
    for (;;) {
      const step = dec.next(batch);
      if (step === 'mbo') grow();
      else if (step === 'definition') definitions.push(dec.definition!);
      else if (step === 'need-more') return 'more';
      else if (step === 'end') return 'end';
    }
  };
  try {
    if (looksLikeDbz(bytes)) throw new LegacyDbzError();
    if (looksLikeZstd(bytes)) inflateSync(bytes, opts.zstd, dec, drain);
    else dec.push(bytes);
    dec.finish();
    drain();
  } catch (e) {
    if (!opts.tolerant || !(e instanceof DbnError)) throw e;
    // Records decoded before the damage stay in the batch; report the error alongside.
    return { metadata: dec.metadata, mbo: batch, definitions, counts: dec.counts(), error: e };
  }
  return { metadata: dec.metadata, mbo: batch, definitions, counts: dec.counts() };
}

function inflateSync(bytes: Uint8Array, backend: 'napi' | 'js' | undefined, dec: DbnDecoder, drain: () => unknown): void {
  const napi = backend === 'js' ? null : loadNapi();
  if (napi) {
    const dctx = new napi.DCtx();
    let src = bytes;
    let ret = 0;
    let full = false;
    while (src.length > 0 || full) {
      const dst = dec.space(1 << 20);
      let r: [number, number, number];
      try {
        r = dctx.decompressStream(dst, src);
      } catch (e) {
        throw corrupt(bytes.length - src.length, e);
      }
      ret = r[0];
      dec.commit(r[1]);
      full = r[1] === dst.length;
      src = src.subarray(r[2]);
      drain();
      if (r[1] === 0 && r[2] === 0) break;
    }
    if (ret !== 0) throw new TruncatedZstdError(bytes.length);
    return;
  }
  const z = new FzstdDecompress((chunk) => {
    dec.push(chunk);
    drain();
  });
  const step = 64 << 10;
  for (let at = 0; at < bytes.length || at === 0; at += step) {
    const last = at + step >= bytes.length;
    try {
      z.push(bytes.slice(at, at + step), last);
    } catch (e) {
      if (/unexpected EOF/i.test(String((e as Error)?.message))) throw new TruncatedZstdError(bytes.length);
      throw corrupt(at, e);
    }
    if (last) break;
  }
}
