// `npm run soak -- --minutes N`: the real `serve` (engine child process, DuckDB) and Debian's
// Chromium playing the demo at max speed for N minutes while the driver seeks, switches
// fields and toggles overlays (scripts/soak/driver.ts). Samples RSS and heap every 10 s and
// the window's frame timings; pass = no error, no engine restart, frames throughout and no
// growth beyond 10 % after the warm-up. Writes bench/results/soak.json; exits 1 on a fail.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright';
import { soak, waitLoaded } from './soak/driver';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const minutes = Number(arg('minutes') ?? 5);
const out = resolve(arg('out') ?? 'bench/results/soak.json');
if (!(minutes > 0)) {
  process.stderr.write('usage: npm run soak -- --minutes N [--out FILE]\n');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'spymaster-soak-'));
const dbPath = join(dir, 'soak.duckdb');
const token = randomBytes(24).toString('hex');
const server = spawn(process.execPath, ['--import', 'tsx', 'src-worker/cli/main.ts', 'serve', '--port', '0', '--db', dbPath], {
  env: { ...process.env, SPYMASTER_CACHE_DIR: join(dir, 'cache'), SPYMASTER_SERVE_TOKEN: token },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const log = (l: string) => process.stderr.write(`[soak] ${l}\n`);
try {
  const url = await new Promise<string>((res, rej) => {
    let text = '';
    server.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(text);
      if (m) res(m[1]);
    });
    server.on('exit', (c) => rej(new Error(`serve exited ${c}`)));
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(url);
    await waitLoaded(page);
    log(`demo loaded; soaking for ${minutes} min`);
    const seconds = Math.round(minutes * 60);
    const startedAt = new Date().toISOString();
    const r = await soak(page, { seconds, sampleEverySec: 10, warmupSec: Math.min(120, Math.max(30, Math.round(seconds * 0.2))), maxGrowth: 0.1, dbPath, serverPid: server.pid, log });
    const result = { startedAt, minutes, machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) }, ...r };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `soak ${r.seconds} s: ${r.pass ? 'PASS' : `FAIL (${r.why.join('; ')})`} — growth after warm-up: engine RSS ${(r.growth.engineRss * 100).toFixed(1)} %, ` +
        `page heap ${(r.growth.pageHeap * 100).toFixed(1)} %, server RSS ${r.growth.serverRss === null ? '-' : (r.growth.serverRss * 100).toFixed(1)} %; ` +
        `frame decode p50/p99 ${r.frameDecodeMs.p50}/${r.frameDecodeMs.p99} ms, draw p50/p99 ${r.drawMs.p50}/${r.drawMs.p99} ms, ${r.drawsPerSec} draws/s → ${out}\n`,
    );
    process.exitCode = r.pass ? 0 : 1;
  } finally {
    await browser.close();
  }
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
