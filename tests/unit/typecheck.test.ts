// `npm run typecheck` is part of the test suite: each runtime's tsconfig (engine/Node,
// Electron main/preload, browser renderer) must compile cleanly, so a type error cannot land.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const TSC = resolve(ROOT, 'node_modules/typescript/bin/tsc');

describe('typecheck', () => {
  for (const config of ['tsconfig.node.json', 'tsconfig.main.json', 'tsconfig.web.json']) {
    it(`${config} compiles without errors`, () => {
      const r = spawnSync(process.execPath, [TSC, '-p', config, '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
