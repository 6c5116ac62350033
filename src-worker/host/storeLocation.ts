// The database's folder must be writable before the engine opens it (issue 14, crash drills):
// a read-only disk, a folder without write permission or a path through a file would otherwise
// surface as a DuckDB or errno message mid-ingest. Checked once, when the store opens; nothing
// is written or moved when it fails.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../store/database';

const HINT = 'Start Spymaster with --db PATH on a writable disk, or make the folder writable; nothing was changed.';

function why(code: string | undefined): string {
  if (code === 'EROFS') return 'is on a read-only disk';
  if (code === 'EACCES' || code === 'EPERM') return 'is not writable (permission denied)';
  if (code === 'ENOTDIR') return 'goes through a file, not a folder';
  if (code === 'ENOSPC') return 'is on a full disk';
  return `cannot be used (${code ?? 'unknown error'})`;
}

/** Throws StoreError('store.open_failed') when the database cannot be written where it is. */
export function assertDbLocationWritable(dbPath: string): void {
  if (dbPath === ':memory:') return;
  const dir = dirname(dbPath);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    if (existsSync(dbPath)) accessSync(dbPath, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StoreError('store.open_failed', `The database location ${dir} ${why(code)}: Spymaster cannot store what it opens.`, HINT, { cause: e });
  }
}
