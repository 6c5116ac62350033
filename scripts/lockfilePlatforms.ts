// The npm registry mirror these machines use serves only the linux-x64 builds of
// @duckdb/node-bindings, so `npm install` silently drops the other platforms' optional
// packages from package-lock.json — and then `npm ci` refuses the lockfile ("Missing: … from
// lock file"). This script restores a lockfile entry (version, os, cpu, libc, optional) for
// every platform package a dependency lists; npm ci skips non-matching platforms without
// fetching them, and on a real macOS/Windows machine npm fetches them from the registry.
// Run it after any `npm install`: `npx tsx scripts/lockfilePlatforms.ts` (a test checks it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLATFORM = /-(darwin|linux|win32)-(x64|arm64)(-musl)?$/;

export function missingPlatformEntries(lock: any): Record<string, any> {
  const packages = lock.packages as Record<string, any>;
  const add: Record<string, any> = {};
  for (const [path, entry] of Object.entries(packages)) {
    for (const [name, version] of Object.entries((entry.optionalDependencies ?? {}) as Record<string, string>)) {
      const m = PLATFORM.exec(name);
      const key = `node_modules/${name}`;
      if (!m || packages[key] || add[key] || !path) continue;
      const [, os, cpu, musl] = m;
      add[key] = {
        version,
        cpu: [cpu],
        ...(os === 'linux' ? { libc: [musl ? 'musl' : 'glibc'] } : {}),
        license: 'MIT',
        optional: true,
        os: [os],
      };
    }
  }
  return add;
}

export function fixLockfile(path: string): string[] {
  const lock = JSON.parse(readFileSync(path, 'utf8'));
  const add = missingPlatformEntries(lock);
  const names = Object.keys(add);
  if (names.length === 0) return [];
  const merged: Record<string, any> = { ...lock.packages, ...add };
  lock.packages = Object.fromEntries(
    Object.keys(merged)
      .sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0))
      .map((k) => [k, merged[k]]),
  );
  writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
  return names;
}

if (process.argv[1]?.endsWith('lockfilePlatforms.ts')) {
  const added = fixLockfile(join(process.cwd(), 'package-lock.json'));
  console.log(added.length ? `added lockfile entries: ${added.join(', ')}` : 'lockfile complete');
}
