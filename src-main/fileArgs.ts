// Which files the workstation opens: DBN market-by-order files, raw or zstd-compressed.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export const DBN_EXTENSIONS = ['dbn', 'dbn.zst'];

export function isDbnPath(p: string): boolean {
  return /\.dbn(\.zst)?$/i.test(p);
}

/**
 * The DBN file named on the command line, if any. Electron's argv holds the executable, then
 * (unpackaged) the app path, then switches and user arguments; only an existing DBN file counts.
 */
export function fileFromArgv(argv: readonly string[], cwd = process.cwd()): string | null {
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') || !isDbnPath(a)) continue;
    const p = resolve(cwd, a);
    try {
      if (existsSync(p) && statSync(p).isFile()) return p;
    } catch {
      /* unreadable: ignore */
    }
  }
  return null;
}

/** A `file://` URL dropped onto the window (Chromium navigates to it) → the DBN path. */
export function dbnPathFromFileUrl(url: string): string | null {
  if (!url.startsWith('file://')) return null;
  try {
    const p = decodeURIComponent(new URL(url).pathname);
    return isDbnPath(p) ? p : null;
  } catch {
    return null;
  }
}
