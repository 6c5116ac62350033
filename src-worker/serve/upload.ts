// Browser mode has no file paths for a dropped file: the window uploads its bytes with
// `PUT /api/upload?name=<file name>` (header X-Spymaster-Token), the server streams them into
// a per-run folder under the cache dir and answers `{ "path": … }`; the window then sends
// `open_file` with that path (docs/PARALLEL-SEAMS.md). The name is reduced to a plain file
// name (no folders), must be a DBN file name, and the body is capped so a runaway upload
// cannot fill the disk. Each upload gets its own numbered folder so names never collide.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
const DBN_NAME = /\.dbn(\.zst)?$/i;

/** The file name to store: last path component, printable characters only, ≤ 200 characters. */
export function safeUploadName(raw: string | null): string | null {
  if (!raw) return null;
  const last = raw.split(/[\\/]/).pop() ?? '';
  const clean = last.replace(/[^A-Za-z0-9._ +=@,-]/g, '_').replace(/^\.+/, '').slice(-200);
  if (!clean || !DBN_NAME.test(clean)) return null;
  return clean;
}

function answer(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

export class UploadStore {
  private n = 0;
  constructor(
    readonly dir: string,
    readonly maxBytes = DEFAULT_MAX_UPLOAD_BYTES,
  ) {}

  /** Handles an already-authorised PUT /api/upload. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'PUT') {
      res.writeHead(405, { Allow: 'PUT' }).end();
      return;
    }
    let raw: string | null = null;
    try {
      raw = new URL(req.url ?? '/', 'http://x').searchParams.get('name');
    } catch {
      /* no name */
    }
    const name = safeUploadName(raw);
    if (!name) {
      answer(res, 415, { error: 'Only Databento files ending in .dbn or .dbn.zst can be opened.', hint: 'Drop a .dbn or .dbn.zst file.' });
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      answer(res, 413, { error: `The file is larger than the upload limit (${(this.maxBytes / 1024 ** 3).toFixed(1)} GiB).`, hint: 'Open it by path with File ▸ Open DBN… instead.' });
      req.destroy();
      return;
    }
    const folder = join(this.dir, String(++this.n));
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, name);
    const out = createWriteStream(path, { mode: 0o600 });
    let bytes = 0;
    let failed = false;
    const fail = (status: number, error: string, hint: string) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      rmSync(folder, { recursive: true, force: true });
      if (!res.headersSent) answer(res, status, { error, hint });
      req.resume();
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > this.maxBytes) fail(413, 'The file is larger than the upload limit.', 'Open it by path with File ▸ Open DBN… instead.');
    });
    req.on('aborted', () => fail(400, 'The upload was interrupted.', 'Drop the file again.'));
    out.on('error', (e: NodeJS.ErrnoException) =>
      fail(507, e.code === 'ENOSPC' ? 'The disk is full; the upload was not stored.' : 'The upload could not be stored.', 'Free some disk space or open the file by path.'),
    );
    out.on('finish', () => {
      if (!failed) answer(res, 200, { path, bytes });
    });
    req.pipe(out);
  }

  /** Removes this run's uploads (they are copies of files the user still has). */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
