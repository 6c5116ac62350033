// Driving a FuturesEngine over MBO batches: the loop every batch consumer shares (the
// benchmarks, calibration runs, the live window source's tests). The ingest producer has its
// own loop because it also hands Bronze the rows each batch contributed.
import type { GoldParams } from '../../contracts/params';
import { readDbnFile, type ReadDbnOptions } from '../dbn/reader';
import type { MboBatch } from '../dbn/mboBatch';
import type { FuturesEngine, FuturesEngineConfig } from './futuresEngine';

type Drivable = Pick<FuturesEngine, 'done' | 'pushBatch' | 'finish'>;

/** Push every batch until the engine is done (the session end), then close its last window. */
export function driveEngine(e: Drivable, batches: Iterable<MboBatch>): void {
  for (const b of batches) {
    if (e.done) break;
    e.pushBatch(b);
  }
  e.finish();
}

export interface DriveFileOptions extends Pick<ReadDbnOptions, 'wasm'> {
  signal?: AbortSignal;
  /** After each batch (e.g. to let a live source announce its growth); awaited. */
  afterBatch?: () => void | Promise<void>;
}

/**
 * Stream a DBN file through the engine, batch by batch as the decoder yields them (the same
 * order and the same windows as a batch ingest), and close the last window. Stops at the
 * session end without reading the rest of the file.
 */
export async function driveEngineFromFile(e: Drivable, file: string, opts: DriveFileOptions = {}): Promise<void> {
  for await (const ev of readDbnFile(file, { wasm: opts.wasm })) {
    if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    if (ev.kind !== 'mbo' || ev.batch.count === 0) continue;
    e.pushBatch(ev.batch);
    if (opts.afterBatch) await opts.afterBatch();
    if (e.done) break;
  }
  e.finish();
}

/** The engine configuration a stored build used (catalog config_json, BuildConfig) and its gold parameters. */
export function engineConfigOfBuild(cfg: Record<string, unknown>, params: GoldParams): FuturesEngineConfig {
  const num = (k: string): number => {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`build configuration has no numeric ${k}`);
    return v;
  };
  return {
    instrumentId: num('instrumentId'),
    tickInt: num('tickInt'),
    sessionStartSec: num('sessionStartSec'),
    sessionEndSec: num('sessionEndSec'),
    gridHalfWidthTicks: num('gridHalfWidthTicks'),
    restThresholdMs: num('restThresholdMs'),
    params,
  };
}
