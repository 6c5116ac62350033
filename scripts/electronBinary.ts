// Finding the Electron binary WITHOUT requiring the `electron` package (which tries to
// download a missing binary). Returns the executable, or why there is none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
  const pathFile = join(pkg, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const exe = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron') : rel ? join(pkg, 'dist', rel) : null;
  if (!exe) return { ok: false, reason: 'no Electron binary was downloaded on this machine (node_modules/electron has no dist/)' };
  if (!existsSync(exe)) return { ok: false, reason: `the Electron binary ${exe} is missing` };
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, reason: 'there is no display (DISPLAY / WAYLAND_DISPLAY unset)' };
  return { ok: true, path: exe };
}
