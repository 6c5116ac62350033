import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingPlatformEntries } from './lockfilePlatforms';

describe('package-lock.json', () => {
  it('lists every platform-specific optional package, so `npm ci` accepts it (run scripts/lockfilePlatforms.ts)', () => {
    const lock = JSON.parse(readFileSync(join(__dirname, '..', 'package-lock.json'), 'utf8'));
    expect(Object.keys(missingPlatformEntries(lock))).toEqual([]);
  });

  it('derives os/cpu/libc from the package name', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/x': { optionalDependencies: { 'x-linux-arm64-musl': '1.0.0', 'x-darwin-x64': '1.0.0' } },
      },
    };
    expect(missingPlatformEntries(lock)).toEqual({
      'node_modules/x-linux-arm64-musl': { version: '1.0.0', cpu: ['arm64'], libc: ['musl'], license: 'MIT', optional: true, os: ['linux'] },
      'node_modules/x-darwin-x64': { version: '1.0.0', cpu: ['x64'], license: 'MIT', optional: true, os: ['darwin'] },
    });
  });
});
