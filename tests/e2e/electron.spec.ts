// The Electron app end to end (window, preload bridge, engine utility process, MessagePort).
// Skips with a clear message where no Electron binary exists (these CI machines): main's
// logic is covered under Node with `electron` mocked (src-main/*.test.ts), and the same
// window + engine run in browser mode in workstation.spec.ts.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electronBinary';

const ROOT = process.cwd();
const bin = findElectronBinary(ROOT);

test.describe('Electron app', () => {
  test.skip(!bin.ok, `no Electron here: ${bin.ok ? '' : bin.reason} — Electron main is tested with electron mocked (src-main/*.test.ts)`);

  test('opens the window, connects the engine over a MessagePort and shows the demo', async () => {
    if (!bin.ok) return;
    const build = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
    expect(build.status).toBe(0);
    const app = await electron.launch({ executablePath: bin.path, args: [ROOT], env: { ...process.env, SPYMASTER_CACHE_DIR: resolve(ROOT, 'test-results/electron-cache') } });
    try {
      const page = await app.firstWindow();
      expect(await page.evaluate(() => typeof (window as unknown as { spymasterElectron?: unknown }).spymasterElectron)).toBe('object');
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      await expect(page.getByText('demo')).toBeVisible({ timeout: 120_000 });
    } finally {
      await app.close();
    }
  });
});
