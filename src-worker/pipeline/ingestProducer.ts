// The compute half of an ingest: read + decode the DBN file, drive the product's engine (which
// fills the column chunks of every table it writes), and hash the source bytes in the same
// pass. It has no DuckDB: full chunks go to the chunk channel's sinks (appended on the spot
// inline, transferred from the ingest worker — see ingestChannel.ts).
//
//   const p = new IngestProducer(req, signal);
//   const header = await p.open();          // metadata (+ the first instrument without mappings)
//   const build = resolveBuild(req, header); // instrument, tick, session (typed errors), once
//   await p.run(build, out)                  // the build; returns the file's SHA-256 and counts
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import type { ParamsFile } from '../../contracts/params';
import { DbnError } from '../dbn/errors';
import type { DbnMetadata } from '../dbn/metadata';
import { readDbnFile, type DbnEvent } from '../dbn/reader';
import type { ZstdBackend } from '../dbn/zstd';
import type { WindowStep } from '../fields/windowStep';
import { FrameRingWriter } from '../fields/frameRing';
import type { BuildConfig, ProductId, SinkFor } from '../products/product';
import { productById } from '../products/registry';
import { cancelledError, IngestError } from './errors';
import { BuildPace } from './buildPace';
import { ProducerClock, type ProducerSeconds } from './ingestClock';
import { chooseInstrument, resolveSession, resolveTickInt } from './sessionConfig';
import { earlyCloseSafeZstd } from './zstdChoice';

export type { BuildConfig } from '../products/product';

/** What the producer needs (structured-cloneable: it is the worker's workerData, passed as is). */
export interface ProducerRequest {
  product: ProductId;
  file: string;
  sourceBytes: number;
  symbol?: string;
  date?: string;
  start?: string;
  end?: string;
  tz?: string;
  tickInt?: number;
  bronze: boolean;
  gridHalfWidthTicks: number;
  restThresholdMs: number;
  params: ParamsFile;
  /**
   * zstd back end. Default: the early-close-safe choice (a zstd worker thread when the native
   * binding loads). The ingest worker decompresses on its own thread ('napi'): one thread
   * fewer competing for the two cores.
   */
  zstd?: ZstdBackend;
  /** Progressive display: the ring the live frame step writes (shared, not copied, into the worker). */
  liveFrames?: SharedArrayBuffer;
  /** Build as if live, this many market seconds per wall second (buildPace.ts); absent: full speed. */
  pace?: number;
}

/** What the header of the file says (and, without symbol mappings, the first instrument). */
export interface SourceHeader {
  metadata: DbnMetadata | null;
  firstInstrumentId: number | null;
}

export interface ProgressSample {
  bytesRead: number;
  events: number;
  /** ts_recv second of the first and of the latest event (NaN before any). */
  firstSec: number;
  curSec: number;
}

export interface ProducerResult {
  sourceSha256: string;
  events: { processed: number; skipped: Record<string, number> };
  book: unknown;
  windows: number;
  validWindows: number;
  /** Rows per table, by the summary's names. */
  rows: Record<string, number>;
  seconds: ProducerSeconds;
}

export interface ProducerOutput {
  sinkFor: SinkFor;
  /** After each decoder batch: hand over sealed chunks, report progress; may wait (backpressure). */
  afterBatch(p: ProgressSample): void | Promise<void>;
}

/** Resolve instrument, tick size and session window from the request and the header (typed errors). */
export function resolveBuild(req: ProducerRequest, header: SourceHeader): BuildConfig {
  const md = header.metadata;
  if (md && md.schema !== null && md.schema !== 'mbo')
    throw new IngestError('input.not_mbo', `this is a ${md.schema} file, not market-by-order (mbo)`, 'open a Databento MBO file (schema mbo)');
  const session = resolveSession(req, md?.start ?? null, md?.end ?? null);
  const choice = chooseInstrument(md, req.symbol, session.date, header.firstInstrumentId);
  const tickInt = resolveTickInt(choice.symbol, req.tickInt);
  return {
    symbol: choice.symbol,
    instrumentId: choice.instrumentId,
    tickInt,
    date: session.date,
    timeZone: session.timeZone,
    tz: session.timeZone,
    start: session.start,
    end: session.end,
    sessionStartSec: session.startSec,
    sessionEndSec: session.endSec,
    windowSeconds: SESSION_DEFAULTS.windowSeconds,
    gridHalfWidthTicks: req.gridHalfWidthTicks,
    restThresholdMs: req.restThresholdMs,
    bronze: req.bronze,
  };
}

const HASH_CHUNK = 1 << 20;

/** SHA-256 of the source file, read ahead only as far as the decoder has read. */
class SourceHasher {
  private readonly h: Hash = createHash('sha256');
  private fd: number;
  private readonly buf = Buffer.allocUnsafe(HASH_CHUNK);
  pos = 0;
  seconds = 0;
  constructor(path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      throw new DbnError('IO', -1, `cannot read ${path}: ${(e as Error).message}`, 'check the path', { cause: e });
    }
  }
  /** Hash up to byte `upTo` (whole chunks: the page cache still holds what the decoder read). */
  advance(upTo: number): void {
    const t0 = performance.now();
    while (this.pos + HASH_CHUNK <= upTo && this.step() > 0);
    this.seconds += (performance.now() - t0) / 1000;
  }
  private step(): number {
    const n = readSync(this.fd, this.buf, 0, HASH_CHUNK, this.pos);
    if (n > 0) {
      this.h.update(this.buf.subarray(0, n));
      this.pos += n;
    }
    return n;
  }
  /** Hash the rest of the file and return the hex digest. */
  finish(signal?: AbortSignal): string {
    const t0 = performance.now();
    for (;;) {
      if (signal?.aborted) throw cancelledError();
      if (this.step() === 0) break;
    }
    this.close();
    this.seconds += (performance.now() - t0) / 1000;
    return this.h.digest('hex');
  }
  /** Close once (a descriptor number closed twice could be another file's by then). */
  close(): void {
    const fd = this.fd;
    if (fd < 0) return;
    this.fd = -1;
    closeSync(fd);
  }
}

export class IngestProducer {
  private reader: AsyncGenerator<DbnEvent, unknown> | null = null;
  private pending: DbnEvent | null = null;
  private bytesRead = 0;

  constructor(
    private readonly req: ProducerRequest,
    private readonly signal?: AbortSignal,
  ) {}

  /** Open the file and read its header (and, without symbol mappings, up to the first MBO record). */
  async open(): Promise<SourceHeader> {
    const req = this.req;
    const reader = readDbnFile(req.file, { signal: this.signal, batchSize: 8192, zstd: req.zstd ?? earlyCloseSafeZstd(), onBytes: (r) => (this.bytesRead = r) });
    this.reader = reader;
    let metadata: DbnMetadata | null = null;
    try {
      const first = await reader.next();
      if (!first.done) {
        if (first.value.kind === 'metadata') metadata = first.value.metadata;
        else this.pending = first.value;
      }
      let firstInstrumentId: number | null = null;
      if (!metadata?.mappings?.length && (metadata === null || metadata.schema === null || metadata.schema === 'mbo')) {
        while (!this.pending) {
          const n = await reader.next();
          if (n.done) break;
          if (n.value.kind === 'mbo' && n.value.batch.count > 0) this.pending = n.value;
        }
        if (this.pending?.kind === 'mbo') firstInstrumentId = this.pending.batch.instrumentId[0];
      }
      return { metadata, firstInstrumentId };
    } catch (e) {
      await this.close();
      throw translate(e, this.signal);
    }
  }

  /** The build: every table's rows go to `out`; returns the file's SHA-256 and the counts. */
  async run(build: BuildConfig, out: ProducerOutput, extraSteps: readonly WindowStep[] = []): Promise<ProducerResult> {
    const reader = this.reader;
    if (!reader) throw new Error('IngestProducer.run before open');
    const product = productById(this.req.product);
    if (!product.createEngine) throw new IngestError('config.bad_params', `${product.id} builds are not available yet`, 'open a futures MBO file');
    const clock = new ProducerClock();
    const signal = this.signal;
    const hasher = new SourceHasher(this.req.file);
    try {
      // Progressive display: with a frame ring, each closed window is also copied into it (after
      // the product's own steps) for the host to show while the build runs (fields/frameRing.ts).
      const steps = this.req.liveFrames ? [...extraSteps, new FrameRingWriter(this.req.liveFrames, build)] : extraSteps;
      const engine = product.createEngine(build, this.req.params, out.sinkFor, steps);
      const pace = this.req.pace ? new BuildPace(this.req.pace, build.sessionStartSec) : null;
      const sample: ProgressSample = { bytesRead: 0, events: 0, firstSec: NaN, curSec: NaN };
      const handle = (ev: DbnEvent): boolean => {
        if (ev.kind !== 'mbo') return true;
        const b = ev.batch;
        if (b.count === 0) return true;
        if (sample.firstSec !== sample.firstSec) sample.firstSec = b.tsRecvSec[0];
        sample.curSec = b.tsRecvSec[b.count - 1];
        clock.start();
        const stop = engine.pushBatch(b);
        clock.lap('compute');
        engine.appendRaw(b, 0, stop);
        clock.lap('fill');
        return !engine.done;
      };
      const handOver = async () => {
        clock.start();
        const w = out.afterBatch(sample);
        if (w) await w;
        clock.lap('wait');
      };
      let more = this.pending ? handle(this.pending) : true;
      this.pending = null;
      while (more) {
        if (signal?.aborted) throw cancelledError();
        const n = await reader.next();
        if (n.done) break;
        more = handle(n.value);
        hasher.advance(this.bytesRead);
        sample.bytesRead = this.bytesRead;
        sample.events = engine.events;
        await handOver();
        if (pace) await pace.wait(sample.curSec, signal);
      }
      engine.finish();
      await this.close();
      if (signal?.aborted) throw cancelledError();
      if (engine.events === 0)
        throw new IngestError('input.no_events', `the file has no MBO records for ${build.symbol}`, 'check --symbol or open another file');
      if (engine.windows === 0)
        throw new IngestError(
          'config.window_outside_file',
          `no events of ${build.symbol} fall in the session window ${build.date} ${build.start}–${build.end} ${build.timeZone}`,
          'choose --date/--start/--end inside the file',
        );
      engine.close();
      sample.events = engine.events;
      await handOver();
      // The session is over: hash the rest of the file (bytes the decoder never needed).
      const sourceSha256 = hasher.finish(signal);
      const counters = engine.counters();
      return {
        sourceSha256,
        events: { processed: engine.events, skipped: counters.skipped },
        book: counters,
        windows: engine.windows,
        validWindows: engine.validWindows,
        rows: engine.rows(),
        seconds: clock.seconds(engine, hasher.seconds),
      };
    } catch (e) {
      await this.close();
      throw translate(e, signal);
    } finally {
      hasher.close();
    }
  }

  async close(): Promise<void> {
    const r = this.reader;
    this.reader = null;
    if (r) await r.return(undefined as never).catch(() => undefined);
  }
}

export function translate(e: unknown, signal?: AbortSignal): unknown {
  if (e instanceof DbnError && e.code === 'ABORTED') return cancelledError();
  if (signal?.aborted && !(e instanceof IngestError)) return cancelledError();
  return e;
}
