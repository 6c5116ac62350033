// End-to-end tests: the real `serve` command (real engine child process, real DuckDB) and
// Debian's Chromium with SwiftShader WebGL. One server, one worker: the specs share the
// engine like a person at one workstation would.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Workers re-read this file; the folder is made once and handed down through the env.
process.env.SPYMASTER_E2E_DIR ??= mkdtempSync(join(tmpdir(), 'spymaster-e2e-'));
const dir = process.env.SPYMASTER_E2E_DIR;
// A free loopback port, picked once and handed down like the folder, so a stray server on a
// fixed port can never make the suite fail before it starts.
function freePort(): string {
  const r = spawnSync(
    process.execPath,
    ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"],
    { encoding: 'utf8' },
  );
  return /^\d+$/.test(r.stdout) ? r.stdout : '5231';
}
process.env.SPYMASTER_E2E_PORT ??= freePort();
const PORT = Number(process.env.SPYMASTER_E2E_PORT);
// The server's per-run token (issue 14), fixed here so the pages open with it: the browser
// holds it as the cookie the server sets on the first visit with ?token= (docs/SECURITY.md).
process.env.SPYMASTER_SERVE_TOKEN ??= randomBytes(24).toString('hex');
export const SERVE_TOKEN = process.env.SPYMASTER_SERVE_TOKEN;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    viewport: { width: 1600, height: 900 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    storageState: {
      cookies: [{ name: `spymaster_token_${PORT}`, value: SERVE_TOKEN, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Strict' }],
      origins: [],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: {
    // The ingest worker bundle first (it is built by a script, not at run time): without it
    // builds would quietly run on one thread and the e2e would not cover the worker path.
    command: `npx tsx scripts/buildIngestWorker.ts --quiet && npx tsx src-worker/cli/main.ts serve --port ${PORT} --db ${join(dir, 'e2e.duckdb')}`,
    url: `http://127.0.0.1:${PORT}/?token=${SERVE_TOKEN}`,
    env: { SPYMASTER_CACHE_DIR: join(dir, 'cache'), SPYMASTER_SERVE_TOKEN: SERVE_TOKEN },
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
