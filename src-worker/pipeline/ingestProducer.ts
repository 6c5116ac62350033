// The compute half of an ingest: read + decode the DBN file, drive the FuturesEngine, fill
// the column chunks of every table, and hash the source bytes in the same pass. It has no
// DuckDB: full chunks go to a sink (appended on the spot when the producer runs on the DuckDB
// thread, transferred when it runs in the ingest worker — see ingestWorker.ts/ingestThreads.ts).
//
//   const p = new IngestProducer(req, signal);
//   const build = await p.prepare();   // metadata, instrument, tick, session (typed errors)
//   await p.hashOnly()                 // cache check: SHA-256 of the whole file, no decoding
//   await p.run(datasetId, out)        // the build; returns the SHA-256 of the file and counts
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import type { ParamsFile } from '../../contracts/params';
import { DbnError } from '../dbn/errors';
import type { DbnMetadata } from '../dbn/metadata';
import { readDbnFile, type DbnEvent } from '../dbn/reader';
import { cancelledError, IngestError } from './errors';
import { FuturesEngine } from './futuresEngine';
import { chooseInstrument, resolveSession, resolveTickInt } from './sessionConfig';
import { BronzeWriter, ForecastFeatureWriter, WindowWriter, type SinkFor } from './tableWriters';
import { ForecastFeatureStep } from '../forecast/featureStep';
import { stepOf } from '../fields/windowStep';
import { FrameRingWriter } from '../fields/frameRing';
import { earlyCloseSafeZstd } from './zstdChoice';
import { threadCpuSeconds } from './threadCpu';
import type { ZstdBackend } from '../dbn/zstd';

/** What the producer needs (structured-cloneable: it is the worker's workerData). */
export interface ProducerRequest {
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
  /** Progressive display: the frame ring the build writes each closed window into (shared, not copied, to the worker). */
  liveFrames?: SharedArrayBuffer;
}

/** The resolved configuration of a build (part of the dataset key, stored in config_json). */
export interface BuildConfig {
  symbol: string;
  instrumentId: number;
  tickInt: number;
  date: string;
  timeZone: string;
  tz: string;
  start: string;
  end: string;
  sessionStartSec: number;
  sessionEndSec: number;
  windowSeconds: number;
  gridHalfWidthTicks: number;
  restThresholdMs: number;
  bronze: boolean;
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
  /**
   * Seconds on the producer's thread: decode (incl. waiting for the zstd thread), book + silver +
   * gold, filling Bronze chunks, hashing, handing chunks over (on the DuckDB thread: appending
   * them; in the worker: posting them and waiting for credits), total.
   */
  seconds: { decode: number; book_silver_gold: number; fill: number; hash: number; handover: number; total: number; cpu: number; blocked?: number };
}

export interface ProducerOutput {
  sinkFor: SinkFor;
  /** After each decoder batch: hand over sealed chunks, report progress; may wait (backpressure). */
  afterBatch(p: ProgressSample): void | Promise<void>;
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
  finish(signal?: AbortSignal, onBytes?: (pos: number) => void): string {
    const t0 = performance.now();
    for (;;) {
      if (signal?.aborted) throw cancelledError();
      if (this.step() === 0) break;
      onBytes?.(this.pos);
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
  build: BuildConfig | null = null;

  constructor(
    private readonly req: ProducerRequest,
    private readonly signal?: AbortSignal,
  ) {}

  /** Open the file, read its metadata, resolve instrument, tick size and session window. */
  async prepare(): Promise<BuildConfig> {
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
      if (metadata && metadata.schema !== null && metadata.schema !== 'mbo')
        throw new IngestError('input.not_mbo', `this is a ${metadata.schema} file, not market-by-order (mbo)`, 'open a Databento MBO file (schema mbo)');
      const session = resolveSession(req, metadata?.start ?? null, metadata?.end ?? null);
      // Without symbol mappings the first MBO record names the instrument.
      let firstIid: number | null = null;
      if (!metadata?.mappings?.length) {
        while (!this.pending) {
          const n = await reader.next();
          if (n.done) break;
          if (n.value.kind === 'mbo' && n.value.batch.count > 0) this.pending = n.value;
        }
        if (this.pending?.kind === 'mbo') firstIid = this.pending.batch.instrumentId[0];
      }
      const choice = chooseInstrument(metadata, req.symbol, session.date, firstIid);
      const tickInt = resolveTickInt(choice.symbol, req.tickInt);
      this.build = {
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
      return this.build;
    } catch (e) {
      await this.close();
      throw translate(e, this.signal);
    }
  }

  /** SHA-256 of the whole file without decoding it (confirms a cache hit). */
  async hashOnly(onBytes?: (pos: number) => void): Promise<{ sha: string; seconds: number }> {
    await this.close();
    const h = new SourceHasher(this.req.file);
    try {
      const sha = h.finish(this.signal, onBytes);
      return { sha, seconds: h.seconds };
    } finally {
      h.close();
    }
  }

  /** The build: every table's rows go to `out`; returns the file's SHA-256 and the counts. */
  async run(datasetId: number, out: ProducerOutput): Promise<ProducerResult> {
    const build = this.build;
    const reader = this.reader;
    if (!build || !reader) throw new Error('IngestProducer.run before prepare');
    const t0 = performance.now();
    const cpu0 = threadCpuSeconds();
    const signal = this.signal;
    const hasher = new SourceHasher(this.req.file);
    try {
      const bronze = new BronzeWriter(out.sinkFor, datasetId);
      const windows = new WindowWriter(out.sinkFor, datasetId, build.tickInt);
      const features = new ForecastFeatureWriter(out.sinkFor, datasetId);
      const engine = new FuturesEngine(
        {
          instrumentId: build.instrumentId,
          tickInt: build.tickInt,
          sessionStartSec: build.sessionStartSec,
          sessionEndSec: build.sessionEndSec,
          gridHalfWidthTicks: build.gridHalfWidthTicks,
          restThresholdMs: build.restThresholdMs,
          params: this.req.params,
        },
        // After gold: the window's rows, then its forecast feature row (SPEC §4 inputs).
        [stepOf('window_writer', (g) => windows.onWindow(g)), new ForecastFeatureStep((row) => features.write(row)), ...(this.req.liveFrames ? [new FrameRingWriter(this.req.liveFrames, build)] : [])],
      );
      const sample: ProgressSample = { bytesRead: 0, events: 0, firstSec: NaN, curSec: NaN };
      let computeMs = 0;
      let bronzeMs = 0;
      let waitMs = 0;
      const handle = (ev: DbnEvent): boolean => {
        if (ev.kind !== 'mbo') return true;
        const b = ev.batch;
        if (b.count === 0) return true;
        if (sample.firstSec !== sample.firstSec) sample.firstSec = b.tsRecvSec[0];
        sample.curSec = b.tsRecvSec[b.count - 1];
        const tc = performance.now();
        const stop = engine.pushBatch(b);
        const tb = performance.now();
        computeMs += tb - tc;
        if (build.bronze) {
          bronze.append(b, 0, stop, build.instrumentId);
          bronzeMs += performance.now() - tb;
        }
        return !engine.done;
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
        const tw = performance.now();
        const w = out.afterBatch(sample);
        if (w) await w;
        waitMs += performance.now() - tw;
      }
      if (!engine.done) engine.finish();
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
      bronze.close();
      windows.close();
      features.close();
      sample.events = engine.events;
      const tw = performance.now();
      const w = out.afterBatch(sample);
      if (w) await w;
      waitMs += performance.now() - tw;
      // The session is over: hash the rest of the file (bytes the decoder never needed).
      const sourceSha256 = hasher.finish(signal);
      const total = (performance.now() - t0) / 1000;
      // Full chunks are handed to the sink from inside the fills: window rows inside the
      // engine's window callback, Bronze rows inside bronze.append. That share is handover.
      const windowSink = windows.writers.reduce((s, w) => s + w.sinkSeconds, 0) + features.w.sinkSeconds;
      const bronzeSink = bronze.w.sinkSeconds;
      const compute = computeMs / 1000 - windowSink;
      const fill = bronzeMs / 1000 - bronzeSink;
      const handover = windowSink + bronzeSink + waitMs / 1000;
      const counters = engine.book.counters();
      return {
        sourceSha256,
        events: { processed: engine.events, skipped: counters.skipped },
        book: counters,
        windows: engine.windows,
        validWindows: engine.validWindows,
        rows: {
          'bronze.future_mbo.mbo': bronze.w.rows,
          'silver.future_mbo.book_snapshot_1s': windows.snap.rows,
          // Both are views over cells_1s: one row per cell.
          'silver.future_mbo.depth_and_flow_1s': windows.cells.rows,
          'gold.future_mbo.physics_surface_1s': windows.cells.rows,
          'gold.future_mbo.walls_voids_1s': windows.walls.rows,
          'gold.future_mbo.front_1s': windows.front.rows,
          'gold.future_mbo.forecast_features_1s': features.w.rows,
        },
        seconds: {
          decode: Math.max(0, total - compute - fill - handover - hasher.seconds),
          book_silver_gold: compute,
          fill,
          hash: hasher.seconds,
          handover,
          total,
          /** CPU seconds of this thread in the run (worker: the compute half alone; Linux only). */
          cpu: threadCpuSeconds() - cpu0,
        },
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
