// TEST-ONLY: the real ESH4 2023-12-25 file ingested (first trading hour, 18:00–19:00 New York)
// into a fresh DuckDB file in a temp folder, with its replay session loaded — the common
// starting point of the real-data replay and overlay tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ingestFile } from '../../pipeline/ingest';
import type { IngestSummary } from '../../pipeline/ingestApi';
import { closeDatabase, openDatabase, type Database } from '../../store/database';
import { loadReplaySession, type ReplaySession } from '../sessionInfo';

export const REAL_ESH4_FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';

export interface RealEsh4Session {
  db: Database;
  summary: IngestSummary;
  session: ReplaySession;
  /** Close the database and delete the temp folder. */
  dispose(): Promise<void>;
}

export async function openRealEsh4Session(tmpPrefix: string): Promise<RealEsh4Session> {
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const db = await openDatabase(join(dir, 'esh4.duckdb'));
  const summary = await ingestFile({ file: REAL_ESH4_FILE, dbPath: db.path, db, start: '18:00', end: '19:00', tz: 'America/New_York' });
  const session = await loadReplaySession(db.conn, summary.datasetId, { timeZone: summary.timeZone, isDemo: false });
  return {
    db,
    summary,
    session,
    async dispose() {
      await closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Register the session for the current test file: opened before its tests (handed to `use`),
 * disposed after them.
 */
export function useRealEsh4Session(tmpPrefix: string, use: (s: RealEsh4Session) => void): void {
  let real: RealEsh4Session | undefined;
  beforeAll(async () => {
    real = await openRealEsh4Session(tmpPrefix);
    use(real);
  }, 180_000);
  afterAll(() => real?.dispose());
}
