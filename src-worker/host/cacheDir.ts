// Where the workstation keeps what it can rebuild: the default database and the demo.
// SPYMASTER_CACHE_DIR overrides it (tests point it at a temporary folder).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPYMASTER_CACHE_DIR) return env.SPYMASTER_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'spymaster');
}

export function defaultDbPath(cacheDir: string): string {
  return join(cacheDir, 'spymaster.duckdb');
}
