// ingestFile: DBN file → Bronze → Silver → Gold → one DuckDB file, as one transaction.
//
// 1. SHA-256 of the file; metadata; instrument, tick size and session window resolved and
//    validated (typed IngestErrors); dataset key = hash(source, config, params, version).
// 2. A ready dataset with the same key is a cache hit (unless force).
// 3. Otherwise, in one transaction: the FuturesEngine consumes the decoder's batches; Bronze
//    rows are appended as they pass, Silver/Gold rows as windows close; the catalog row
//    (status 'ready') is inserted last and the transaction commits. Cancel (AbortSignal) or any
//    error rolls everything back: nothing half-built is ever visible and the file stays usable.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { CATALOG_DATASETS } from '../../contracts/generated/tables';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import { canonicalParamsJson, resolveParams, ParamsError } from '../../contracts/params';
import { readDbnFile, type DbnEvent } from '../dbn/reader';
import { DbnError } from '../dbn/errors';
import { earlyCloseSafeZstd } from './zstdChoice';
import type { DbnMetadata } from '../dbn/metadata';
import { closeDatabase, deleteDataset, findReadyDataset, openDatabase, type Database, type DatasetInfo } from '../store/database';
import { cancelledError, IngestError } from './errors';
import { FuturesEngine } from './futuresEngine';
import type { IngestOptions, IngestProgress, IngestSummary } from './ingestApi';
import { chooseInstrument, resolveSession, resolveTickInt } from './sessionConfig';
import { BronzeWriter, WindowWriter } from './tableWriters';

export const PIPELINE_VERSION = 'futures-1.0.0';

export async function sha256File(path: string, signal?: AbortSignal, onBytes?: (read: number) => void): Promise<string> {
  const h = createHash('sha256');
  let read = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (signal?.aborted) throw cancelledError();
    h.update(chunk as Buffer);
    read += (chunk as Buffer).length;
    onBytes?.(read);
  }
  return h.digest('hex');
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');



function summaryFromDataset(d: DatasetInfo, cacheHit: boolean): IngestSummary {
  const cfg = d.config as { timeZone?: string; events?: { processed: number; skipped: Record<string, number> } };
  return {
    datasetId: d.datasetId,
    datasetKey: d.datasetKey,
    cacheHit,
    symbol: d.symbol,
    instrumentId: d.instrumentId,
    sessionDate: d.sessionDate,
    timeZone: cfg.timeZone ?? SESSION_DEFAULTS.timeZone,
    sessionStartNs: d.sessionStartNs.toString(),
    sessionEndNs: d.sessionEndNs.toString(),
    tickInt: d.tickInt,
    rows: d.rows,
    events: cfg.events ?? { processed: 0, skipped: {} },
    seconds: cacheHit ? { total: 0 } : d.seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

export async function ingestFile(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const signal = opts.signal;
  if (signal?.aborted) throw cancelledError();
  let sourceBytes: number;
  try {
    sourceBytes = statSync(opts.file).size;
  } catch {
    throw new DbnError('IO', -1, `cannot read ${opts.file}: no such file`, 'check the path');
  }
  let params;
  try {
    params = resolveParams(opts.params ?? {});
  } catch (e) {
    if (e instanceof ParamsError) throw new IngestError('config.bad_params', e.userMessage, e.hint);
    throw e;
  }
  const gridHalfWidthTicks = positiveInt('grid half-width', opts.gridHalfWidthTicks ?? SESSION_DEFAULTS.gridHalfWidthTicks, 10_000);
  const restThresholdMs = positiveInt('rest threshold', opts.restThresholdMs ?? SESSION_DEFAULTS.restThresholdMs, 3_600_000);
  const paramsJson = canonicalParamsJson(params);
  const paramsHash = sha(paramsJson).slice(0, 16);

  const tHash = performance.now();
  // Hashing a large file takes a few seconds: report it as its own stage.
  let lastHashReport = 0;
  const sourceSha = await sha256File(opts.file, signal, (read) => {
    const now = performance.now();
    if (!opts.onProgress || now - lastHashReport < 250) return;
    lastHashReport = now;
    const el = (now - tHash) / 1000;
    const f = sourceBytes > 0 ? read / sourceBytes : 0;
    opts.onProgress({ stage: 'hash', bytesRead: read, bytesTotal: sourceBytes, events: 0, eventsPerSec: 0, etaSec: f > 0 ? (el * (1 - f)) / f : null, fraction: 0 });
  });
  const hashSec = (performance.now() - tHash) / 1000;

  // ---- metadata and configuration --------------------------------------------------------
  const reader = readDbnFile(opts.file, { signal, batchSize: 8192, zstd: earlyCloseSafeZstd(), onBytes: (r) => (bytesRead = r) });
  let bytesRead = 0;
  let first: IteratorResult<DbnEvent, unknown>;
  try {
    first = await reader.next();
  } catch (e) {
    throw translate(e);
  }
  let metadata: DbnMetadata | null = null;
  let pending: DbnEvent | null = null;
  if (!first.done) {
    if (first.value.kind === 'metadata') metadata = first.value.metadata;
    else pending = first.value;
  }
  if (metadata && metadata.schema !== null && metadata.schema !== 'mbo') {
    await reader.return(undefined as never);
    throw new IngestError('input.not_mbo', `this is a ${metadata.schema} file, not market-by-order (mbo)`, 'open a Databento MBO file (schema mbo)');
  }
  let session;
  let choice;
  let tickInt: number;
  try {
    session = resolveSession(opts, metadata?.start ?? null, metadata?.end ?? null);
    // Without symbol mappings the first MBO record names the instrument.
    let firstIid: number | null = null;
    if (!metadata?.mappings?.length) {
      while (!pending) {
        const n = await reader.next();
        if (n.done) break;
        if (n.value.kind === 'mbo' && n.value.batch.count > 0) pending = n.value;
      }
      if (pending?.kind === 'mbo') firstIid = pending.batch.instrumentId[0];
    }
    choice = chooseInstrument(metadata, opts.symbol, session.date, firstIid);
    tickInt = resolveTickInt(choice.symbol, opts.tickInt);
  } catch (e) {
    await reader.return(undefined as never).catch(() => undefined);
    throw translate(e);
  }
  const config = {
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
    gridHalfWidthTicks,
    restThresholdMs,
    bronze: opts.bronze ?? true,
  };
  const datasetKey = sha(JSON.stringify({ source: sourceSha, config, paramsHash, pipeline: PIPELINE_VERSION }));

  // ---- database, cache ---------------------------------------------------------------------
  const db: Database = opts.db ?? (await openDatabase(opts.dbPath));
  const ownsDb = !opts.db;
  let inTx = false;
  try {
    const existing = await findReadyDataset(db, datasetKey);
    if (existing && !opts.force) {
      await reader.return(undefined as never).catch(() => undefined);
      const s = summaryFromDataset(existing, true);
      s.seconds = { total: (performance.now() - t0) / 1000, hash: hashSec };
      return s;
    }

    await db.conn.run('BEGIN TRANSACTION');
    inTx = true;
    // Allocate the id before deleting a forced rebuild's predecessor: ids are never reused
    // within a session, so a window that cached the old id cannot mistake the new build for it.
    const idRow = await db.conn.runAndReadAll(`SELECT coalesce(max(dataset_id), 0) + 1 AS id FROM ${CATALOG_DATASETS.name}`);
    const datasetId = Number(idRow.getRowObjects()[0].id);
    if (existing) await deleteDataset(db, existing.datasetId);
    const createdAt = new Date().toISOString();

    const bronze = await BronzeWriter.create(db.conn, datasetId);
    const windows = await WindowWriter.create(db.conn, datasetId, tickInt);
    const engine = new FuturesEngine(
      {
        instrumentId: choice.instrumentId,
        tickInt,
        sessionStartSec: session.startSec,
        sessionEndSec: session.endSec,
        gridHalfWidthTicks: config.gridHalfWidthTicks,
        restThresholdMs: config.restThresholdMs,
        params,
      },
      (g) => windows.onWindow(g),
    );

    // ---- the loop ------------------------------------------------------------------------
    const tLoop = performance.now();
    let lastReport = tLoop;
    let firstSec = NaN;
    let curSec = NaN;
    const report = (stage: string, now: number): void => {
      if (!opts.onProgress) return;
      const elapsed = (now - tLoop) / 1000;
      const byBytes = sourceBytes > 0 ? bytesRead / sourceBytes : 0;
      const byTime = curSec === curSec && firstSec === firstSec && session.endSec > firstSec ? (curSec - firstSec) / (session.endSec - firstSec) : 0;
      // The decoder reads ahead (bytes run early) and the session may end before the file
      // (time runs late): the smaller of the two is the honest one.
      const fraction = stage === 'done' ? 1 : Math.min(1, byTime > 0 ? Math.min(byBytes || 1, byTime) : byBytes);
      const p: IngestProgress = {
        stage,
        bytesRead,
        bytesTotal: sourceBytes,
        events: engine.events,
        eventsPerSec: elapsed > 0 ? engine.events / elapsed : 0,
        etaSec: fraction > 0.001 && stage !== 'done' ? (elapsed * (1 - fraction)) / fraction : stage === 'done' ? 0 : null,
        fraction,
      };
      opts.onProgress(p);
    };
    let computeMs = 0;
    try {
      const handle = (ev: DbnEvent): boolean => {
        if (ev.kind !== 'mbo') return true;
        const b = ev.batch;
        if (b.count === 0) return true;
        if (firstSec !== firstSec) firstSec = b.tsRecvSec[0];
        curSec = b.tsRecvSec[b.count - 1];
        const tc = performance.now();
        const stop = engine.pushBatch(b);
        computeMs += performance.now() - tc;
        if (config.bronze) bronze.append(b, 0, stop, choice.instrumentId);
        return !engine.done;
      };
      let more = pending ? handle(pending) : true;
      while (more) {
        if (signal?.aborted) throw cancelledError();
        const n = await reader.next();
        if (n.done) break;
        more = handle(n.value);
        const now = performance.now();
        if (now - lastReport > 250) {
          lastReport = now;
          report('ingest', now);
        }
      }
      if (!engine.done) engine.finish();
    } finally {
      await reader.return(undefined as never).catch(() => undefined);
    }
    if (signal?.aborted) throw cancelledError();
    if (engine.events === 0)
      throw new IngestError('input.no_events', `the file has no MBO records for ${choice.symbol}`, 'check --symbol or open another file');
    if (engine.windows === 0)
      throw new IngestError(
        'config.window_outside_file',
        `no events of ${choice.symbol} fall in the session window ${session.date} ${session.start}–${session.end} ${session.timeZone}`,
        'choose --date/--start/--end inside the file',
      );
    const loopSec = (performance.now() - tLoop) / 1000;
    // Window rows are flushed to DuckDB from inside the engine's window callback: separate them.
    const windowWriteInLoop = windows.writers.reduce((s, w) => s + w.seconds, 0);
    const bronzeWriteInLoop = bronze.w.seconds;

    const tClose = performance.now();
    bronze.w.close();
    windows.close();
    const writeSec = bronze.w.seconds + windows.writers.reduce((s, w) => s + w.seconds, 0);
    const rows: Record<string, number> = {
      'bronze.future_mbo.mbo': bronze.w.rows,
      'silver.future_mbo.book_snapshot_1s': windows.snap.rows,
      'silver.future_mbo.depth_and_flow_1s': windows.depth.rows,
      'gold.future_mbo.physics_surface_1s': windows.gold.rows,
      'gold.future_mbo.walls_voids_1s': windows.walls.rows,
      'gold.future_mbo.front_1s': windows.front.rows,
    };
    const counters = engine.book.counters();
    const events = { processed: engine.events, skipped: counters.skipped };
    const seconds: Record<string, number> = {
      hash: hashSec,
      decode: Math.max(0, loopSec - computeMs / 1000 - bronzeWriteInLoop),
      book_silver_gold: Math.max(0, computeMs / 1000 - windowWriteInLoop),
      duckdb_write: writeSec,
      total: 0,
    };
    const fullConfig = { ...config, params, events, book: counters, validWindows: engine.validWindows, sourceBytes };
    const insert = `INSERT INTO ${CATALOG_DATASETS.name} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'ready', $17)`;
    const commitStart = performance.now();
    seconds.commit = 0;
    seconds.total = (commitStart - t0) / 1000;
    await db.conn.run(insert, [
      datasetId,
      datasetKey,
      opts.file,
      sourceSha,
      BigInt(sourceBytes),
      choice.symbol,
      choice.instrumentId,
      session.date,
      BigInt(session.startSec) * 1_000_000_000n,
      BigInt(session.endSec) * 1_000_000_000n,
      BigInt(tickInt),
      JSON.stringify(fullConfig),
      paramsHash,
      PIPELINE_VERSION,
      JSON.stringify(rows),
      JSON.stringify(seconds),
      createdAt,
    ] as never);
    await db.conn.run('COMMIT');
    inTx = false;
    seconds.commit = (performance.now() - commitStart) / 1000 + (commitStart - tClose) / 1000;
    seconds.total = (performance.now() - t0) / 1000;
    report('done', performance.now());
    return {
      datasetId,
      datasetKey,
      cacheHit: false,
      symbol: choice.symbol,
      instrumentId: choice.instrumentId,
      sessionDate: session.date,
      timeZone: session.timeZone,
      sessionStartNs: (BigInt(session.startSec) * 1_000_000_000n).toString(),
      sessionEndNs: (BigInt(session.endSec) * 1_000_000_000n).toString(),
      tickInt,
      rows,
      events,
      seconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } catch (e) {
    if (inTx) await db.conn.run('ROLLBACK').catch(() => undefined);
    throw translate(e, signal);
  } finally {
    if (ownsDb) await closeDatabase(db).catch(() => undefined);
  }
}

function positiveInt(what: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new IngestError('config.bad_params', `${what} ${v} must be an integer between 1 and ${max}`);
  return v;
}

function translate(e: unknown, signal?: AbortSignal): unknown {
  if (e instanceof DbnError && e.code === 'ABORTED') return cancelledError();
  if (signal?.aborted && !(e instanceof IngestError)) return cancelledError();
  return e;
}
