// The engine entry point the CLI (`ingest`), the benchmarks and the workstation host share.
// Types only here, so callers can be written against it; the implementation lives in
// ./ingest.ts (`export async function ingestFile(opts: IngestOptions): Promise<IngestSummary>`).
import type { IngestProgress } from '../../contracts/protocol';
import type { ParamsFile } from '../../contracts/params';
import type { Database } from '../store/database';

export type { IngestProgress };

export interface IngestOptions {
  /** Path of a .dbn or .dbn.zst MBO file. */
  file: string;
  /** DuckDB database file (created when missing). */
  dbPath: string;
  /** Raw symbol (e.g. ESH4); default: the file's only / most active outright future. */
  symbol?: string;
  /** Session date YYYY-MM-DD in `tz`; default: the date of the file's data. */
  date?: string;
  /** Session window in `tz`, HH:MM; defaults per SPEC (09:30–10:30 America/New_York). */
  start?: string;
  end?: string;
  tz?: string;
  /** Rebuild even when a ready dataset with the same key exists. */
  force?: boolean;
  /** Tick size override in 1e-9 units (default: from the product root of the symbol). */
  tickInt?: number;
  /**
   * Write the Bronze event table (default true). Bronze is by far the largest table (one row
   * per event); a viewer that only needs Silver/Gold can skip it. Part of the dataset key.
   */
  bronze?: boolean;
  /** Grid half-width in ticks (default 200) and resting threshold in ms (default 500). */
  gridHalfWidthTicks?: number;
  restThresholdMs?: number;
  /** Model parameters (a parsed parameter file; missing fields take the defaults). */
  params?: Partial<ParamsFile>;
  /** An already open read-write database (the engine process owns one); else dbPath is opened and closed. */
  db?: Database;
  /** Progressive display: a frame ring (fields/frameRing.ts) the build writes every closed window into (reaches the worker unchanged). */
  liveFrames?: SharedArrayBuffer;
  /**
   * Build as if live: at most `pace` market seconds of the session per wall second (pipeline/
   * buildPace.ts). Default: as fast as the machine can. Not part of the dataset key.
   */
  pace?: number;
  /** Progress callback, called about every 250 ms and once at the end. */
  onProgress?: (p: IngestProgress) => void;
  /** Abort to cancel: the build is rolled back and nothing half-built stays visible. */
  signal?: AbortSignal;
  /**
   * Where decode + book + silver + gold run: 'worker' (a worker thread, overlapping DuckDB's
   * appends on another core), 'inline' (this thread), 'auto' (default: the worker when the
   * machine has a second core — see resolveThreadMode; inline when the worker is not built
   * (`npm run build:ingest-worker`) or the thread cannot start).
   */
  threads?: 'auto' | 'worker' | 'inline';
  /**
   * Worker only: column chunks (≤ 2048 rows, ~135–450 KB) handed to this thread and not yet
   * appended before the worker waits — the memory bound of the hand-over. Default 256.
   */
  maxChunksInFlight?: number;
}

export interface IngestSummary {
  datasetId: number;
  datasetKey: string;
  cacheHit: boolean;
  symbol: string;
  instrumentId: number;
  sessionDate: string;
  timeZone: string;
  /** UTC ns as decimal strings. */
  sessionStartNs: string;
  sessionEndNs: string;
  tickInt: number;
  rows: Record<string, number>;
  events: { processed: number; skipped: Record<string, number> };
  seconds: Record<string, number>;
  peakRssBytes: number;
  /** Where the compute half ran (absent for cache hits). */
  threads?: 'worker' | 'inline';
}
