// Errors cross the boundary as data (ARCHITECTURE practice 10): anything thrown by the
// pipeline, the store or the replay becomes an `alert` with a stable code, a sentence for a
// person and a hint. Typed engine errors carry `userMessage`, `hint` and often `code`.
import type { Alert } from '../../contracts/protocol';
import { DbnError } from '../dbn/errors';

interface UserFacing {
  userMessage: string;
  hint?: string;
  code?: string;
}

function isUserFacing(e: unknown): e is UserFacing {
  return typeof e === 'object' && e !== null && typeof (e as UserFacing).userMessage === 'string';
}

export function isAbort(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: string }).code;
  return (e as Error).name === 'AbortError' || code === 'ABORT_ERR' || code === 'ingest.cancelled';
}

/** An alert for a failure; `fallbackCode` names the operation when the error has no code. */
export function alertFromError(e: unknown, fallbackCode: string, fallbackMessage: string): Alert {
  if (isUserFacing(e)) {
    // Dotted codes pass through ('input.not_mbo'); the decoder's SHOUTY codes become 'dbn.not_dbn', 'dbn.corrupt_zstd' ….
    const raw = typeof e.code === 'string' ? e.code : '';
    const code = raw.includes('.') ? raw : raw && e instanceof DbnError ? `dbn.${raw.toLowerCase()}` : fallbackCode;
    return { severity: 'error', code, message: e.userMessage, hint: e.hint };
  }
  const detail = e instanceof Error ? e.message : String(e);
  // The database's disk failing under a write (DuckDB reports it as text): say it in words.
  if (/No space left on device|ENOSPC/i.test(detail)) return { severity: 'error', code: 'store.disk_full', message: `${fallbackMessage} The disk that holds the database is full; nothing of it was kept.`, hint: 'Free some disk space (or start with --db PATH on another disk) and open it again.' };
  if (/Read-only file system|EROFS/i.test(detail)) return { severity: 'error', code: 'store.read_only', message: `${fallbackMessage} The database's disk became read-only; nothing of it was kept.`, hint: 'Make the disk writable (or start with --db PATH elsewhere) and open it again.' };
  return { severity: 'error', code: fallbackCode, message: fallbackMessage, hint: detail };
}

export class HostError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'HostError';
  }
}
