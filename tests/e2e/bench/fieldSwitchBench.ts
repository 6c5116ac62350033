/// <reference lib="dom" />
// Workstation as a trader uses it (issue 13 "Checks"), on the demo and the real ESH4 file:
// open → first heatmap (cold: fresh database and cache; cached: the same engine folder
// reopened by a new `serve`), field switch latency (every field, first and repeated), seek →
// redraw and playing draws/s. The real `serve` command, Debian Chromium (SwiftShader WebGL) at
// 1920×1080, a 15-minute view. Writes bench/results/workstation-trader.json and prints the
// BENCHMARKS.md table.
//   npx tsx tests/e2e/bench/fieldSwitchBench.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { timeFieldSwitch } from '../support/fieldSwitch';

const ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ESH4 = resolve('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');
/** A trader looks at a field for a moment before the next flip (the background prefetch runs meanwhile). */
const LOOK_MS = Number(process.env.LOOK_MS ?? 700);

const r1 = (v: number) => Math.round(v * 10) / 10;
function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN);
  return { n: s.length, median: r1(q(0.5)), p95: r1(q(0.95)), max: r1(s[s.length - 1] ?? NaN) };
}

async function startServe(dir: string): Promise<{ url: string; stop(): void }> {
  const p = spawn('npx', ['tsx', 'src-worker/cli/main.ts', 'serve', '--port', '0', '--db', join(dir, 'bench.duckdb')], {
    env: { ...process.env, SPYMASTER_CACHE_DIR: join(dir, 'cache') },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) res(m[1]);
    });
    p.on('exit', (c) => rej(new Error(`serve exited ${c}`)));
  });
  return { url, stop: () => process.kill(-p.pid!, 'SIGTERM') };
}

/** ms since `since` (page clock; 0 = navigation start) when the session's view is loaded and drawn (the engine opens the demo by itself). */
async function firstHeatmap(page: Page, symbol: string | null, since: number, committed = false): Promise<number> {
  return page.evaluate(
    async ({ symbol, since, committed }) => {
      const h = (window as any).__spymaster;
      const t0 = performance.now();
      const w = window as any;
      for (;;) {
        const s = h.chart.getState();
        // committed: the build's own session, not the growing one shown while it runs.
        const ready = s.geom && (symbol === null || s.geom.info.symbol === symbol) && !(committed && s.geom.info.growing);
        // session_ready reached the window: the engine's part (build or cache) is done.
        if (ready && w.__sessionReadyAt === undefined) w.__sessionReadyAt = performance.now() - since;
        if (ready && s.nowIndex !== null && h.engine.visibleLoaded()) {
          const d = h.perf.draws;
          while (h.perf.draws === d) await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - since;
        }
        if (performance.now() - t0 > 300_000) throw new Error('no heatmap in 300 s');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    { symbol, since, committed },
  );
}

/** The session_ready time noted by the last firstHeatmap (ms from its `since`). */
const sessionReadyAt = (page: Page) => page.evaluate(() => Math.round((window as any).__sessionReadyAt ?? NaN));

async function openFile(page: Page, path: string, committed = false): Promise<number> {
  const t0 = await page.evaluate((path) => {
    const h = (window as any).__spymaster;
    (window as any).__sessionReadyAt = undefined;
    const t = performance.now();
    h.engine.send({ kind: 'open_file', path });
    return t;
  }, path);
  return (await firstHeatmap(page, 'ESH4', t0, committed)) as number;
}

/** 15-minute view ending just past now, 401 ticks round spot, paused. */
async function fifteenMinutes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const h = (window as any).__spymaster;
    if (h.chart.getState().playback === 'playing') h.engine.send({ kind: 'pause' });
  });
  await page.waitForFunction(() => (window as any).__spymaster.chart.getState().playback !== 'playing');
  await page.evaluate(() => {
    const h = (window as any).__spymaster;
    const s = h.chart.getState();
    const spot = s.data.spotRow[s.nowIndex];
    const mid = Number.isFinite(spot) ? spot : (s.view.p0 + s.view.p1) / 2;
    const t1 = Math.max(s.nowIndex, 900) + 20;
    if (s.nowIndex < 900) h.engine.seekIndex(900);
    h.chart.setState({ view: { t0: t1 - 900, t1, p0: mid - 200.5, p1: mid + 200.5 }, follow: true });
    h.engine.ensureVisibleLoaded();
  });
  await page.waitForFunction(() => (window as any).__spymaster.engine.visibleLoaded(), undefined, { timeout: 60_000, polling: 20 });
}

interface Switch {
  field: string;
  ms: number;
  roundTrips: number;
  /** The window's own phases (engine/perf.ts FieldSwitchMark), ms from the change handler. */
  phases: Record<string, number | null> | null;
}

/** Selector change → the new field over the whole visible view on screen, timed in the page (support/fieldSwitch.ts). */
async function switchTo(page: Page, field: string): Promise<Switch> {
  const t = await timeFieldSwitch(page, field, { timeoutMs: 60_000, pollingMs: 10 });
  const r = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  const p = t.phases;
  const phases = { handlerAfterMs: r(p.handlerAfterMs), replayedMs: r(p.replayedMs), rangeMs: r(p.rangeMs), slabMs: r(p.slabMs), decodedMs: r(p.slabDecodedMs), appliedMs: r(p.slabAppliedMs), drawStartMs: r(p.drawStartMs), uploadMs: r(p.uploadMs), drawnMs: r(p.drawnMs), presentedMs: r(p.presentedMs) };
  return { field, ms: r1(t.ms), roundTrips: t.roundTrips, phases };
}

/** Waits until the background prefetch holds every field of the view; ms waited. */
async function prefetchSettled(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(() => (window as any).__spymaster.engine.heatmap.prefetch.settled(), undefined, { timeout: 120_000, polling: 50 });
  return Date.now() - t0;
}

interface Rounds {
  /** One switch right after the first heatmap of the view (nothing prefetched yet). */
  immediate: Switch;
  /** From the immediate switch until the prefetch held every field of the view. */
  settleMs: number;
  /** Every other field once (first time shown), then every field again. */
  first: Switch[];
  repeated: Switch[];
}

async function switchRounds(page: Page): Promise<Rounds> {
  const immediate = await switchTo(page, 'nu');
  const settleMs = await prefetchSettled(page);
  const fields: string[] = await page.evaluate(() => {
    const h = (window as any).__spymaster;
    const all = h.ui.getState().fields as string[];
    const cur = h.chart.getState().field as string;
    return [...all.filter((f) => f !== cur && f !== 'liquidity_velocity'), 'liquidity_velocity', cur];
  });
  const first: Switch[] = [];
  const repeated: Switch[] = [];
  for (const f of fields) {
    first.push(await switchTo(page, f));
    await page.waitForTimeout(LOOK_MS);
  }
  for (const f of fields) {
    repeated.push(await switchTo(page, f));
    await page.waitForTimeout(LOOK_MS);
  }
  return { immediate, settleMs, first, repeated };
}

async function seekRedraw(page: Page, shift = 0): Promise<number[]> {
  const n: number = await page.evaluate(() => (window as any).__spymaster.chart.getState().geom.windowCount);
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    const target = Math.round((((i * 5) % 8) + 0.5 + shift) * (n / 8));
    out.push(
      await page.evaluate(async (target) => {
        const h = (window as any).__spymaster;
        // Cold: the ring (3,600 slots: the whole ESH4 hour once seen) is emptied first, so every
        // seek fetches its view's slab from the engine, as in workstationBench.ts.
        const s = h.chart.getState();
        s.data.ring.clear();
        s.data.chunks.clear();
        const before = h.perf.seek.length;
        h.engine.seekIndex(target);
        const t0 = performance.now();
        while (h.perf.seek.length === before && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 2));
        return h.perf.seek[h.perf.seek.length - 1] as number;
      }, target),
    );
    await page.waitForTimeout(300);
  }
  return out.map(r1);
}

async function playingDraws(page: Page, speed: number | 'max'): Promise<number> {
  await page.evaluate((speed) => {
    const h = (window as any).__spymaster;
    h.engine.seekIndex(60);
    h.engine.send({ kind: 'set_speed', speed });
  }, speed);
  await page.waitForFunction(() => ['paused', 'ready'].includes((window as any).__spymaster.chart.getState().playback), undefined, { timeout: 30_000 });
  for (let attempt = 0; ; attempt++) {
    await page.evaluate(() => (window as any).__spymaster.engine.send({ kind: 'play' }));
    const ok = await page.waitForFunction(() => (window as any).__spymaster.chart.getState().playback === 'playing', undefined, { timeout: 3000 }).then(() => true, () => false);
    if (ok) break;
    if (attempt === 5) throw new Error('the engine did not start playing');
  }
  await page.waitForTimeout(1000);
  const d0 = await page.evaluate(() => ({ d: (window as any).__spymaster.perf.draws, t: performance.now() }));
  await page.waitForTimeout(6000);
  const d1 = await page.evaluate(() => ({ d: (window as any).__spymaster.perf.draws, t: performance.now() }));
  await page.evaluate(() => (window as any).__spymaster.engine.send({ kind: 'pause' }));
  await page.waitForFunction(() => (window as any).__spymaster.chart.getState().playback !== 'playing');
  return r1(((d1.d - d0.d) * 1000) / (d1.t - d0.t));
}

async function newPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  // tsx (esbuild keepNames) wraps named closures in __name(): give the page a no-op one.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(url);
  return page;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-fswitch-'));
  const load = [loadavg()[0]];
  const started = new Date().toISOString();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  const out: Record<string, any> = {};
  try {
    if (process.env.QUICK) {
      // Iterating on the switch only: one engine, demo then the real file.
      const serve = await startServe(dir);
      try {
        const page = await newPage(browser, serve.url);
        await firstHeatmap(page, null, 0);
        await fifteenMinutes(page);
        if (process.env.QUICK === 'immediate') {
          // Only the switch right after the first heatmap (the slowest first switch), demo then ESH4.
          const demo = await switchTo(page, 'nu');
          console.log('demo', JSON.stringify(demo));
          // The real file opens on the default field, as in the full run.
          await switchTo(page, 'liquidity_velocity');
          // The file opened: its committed session's first heatmap (IMMEDIATE_GROWING=1: the
          // growing session's, while the build still runs and its COMMIT may land mid-switch).
          await openFile(page, ESH4, !process.env.IMMEDIATE_GROWING);
          await fifteenMinutes(page);
          const esh4 = await switchTo(page, 'nu');
          const drawnOf = (x: Switch) => r1((x.phases?.drawnMs as number) + (x.phases?.handlerAfterMs as number));
          console.log(JSON.stringify({ at: new Date().toISOString(), load: loadavg().map(r1), demo: { ms: demo.ms, drawn: drawnOf(demo), rt: demo.roundTrips, ...demo.phases }, esh4: { ms: esh4.ms, drawn: drawnOf(esh4), rt: esh4.roundTrips, ...esh4.phases } }));
          return;
        }
        if (process.env.QUICK === 'seek') {
          await openFile(page, ESH4);
          await fifteenMinutes(page);
          await prefetchSettled(page);
          const slabs = () => page.evaluate(() => { const p = (window as any).__spymaster.perf; const o = { rt: [...p.slabRoundTrip], loaded: [...p.seekLoaded] }; p.slabRoundTrip.length = 0; p.seekLoaded.length = 0; return o; });
          await slabs();
          const withPrefetch = await seekRedraw(page);
          const a = await slabs();
          await page.evaluate(() => ((window as any).__spymaster.engine.heatmap.prefetch.schedule = () => undefined));
          const without = await seekRedraw(page, 0.25);
          const b = await slabs();
          console.log(JSON.stringify({ withPrefetch, rtA: a.rt.map(Math.round), loadedA: a.loaded.map(Math.round), without, rtB: b.rt.map(Math.round), loadedB: b.loaded.map(Math.round), load: loadavg() }));
          return;
        }
        const demo = await switchRounds(page);
        await openFile(page, ESH4);
        await fifteenMinutes(page);
        const esh4 = await switchRounds(page);
        const rows = await page.evaluate(() => (window as any).__spymaster.chart.getState().data.ring.rows);
        writeFileSync('bench/out/fswitch-quick.json', JSON.stringify({ at: new Date().toISOString(), load: loadavg(), rows, demo, esh4 }, null, 1));
        const line = (x: Switch[]) => x.map((v) => `${v.field}:${v.ms}${v.roundTrips ? '*' : ''}`).join(' ');
        for (const [k, r] of [['demo', demo], ['esh4', esh4]] as const) console.log(k, 'immediate', r.immediate.ms, r.immediate.phases, 'settle', r.settleMs, '\nfirst', line(r.first), '\nrepeat', line(r.repeated));
      } finally {
        serve.stop();
        await browser.close();
      }
      return;
    }
    // Engine 1, fresh folder: cold builds of the demo and the real file; switches on the real file.
    let serve = await startServe(dir);
    try {
      const page = await newPage(browser, serve.url);
      out.demoOpenColdMs = r1(await firstHeatmap(page, null, 0));
      out.demoSessionReadyColdMs = await sessionReadyAt(page);
      out.esh4OpenColdMs = r1(await openFile(page, ESH4));
      out.esh4SessionReadyColdMs = await sessionReadyAt(page);
      await fifteenMinutes(page);
      out.esh4Switch = await switchRounds(page);
      out.esh4SeekRedrawMs = await seekRedraw(page);
      load.push(loadavg()[0]);
      await page.close();
    } finally {
      serve.stop();
    }
    await new Promise((r) => setTimeout(r, 1500));
    // Engine 2, the same folder: both builds cached; switches, seeks and playback on the demo.
    serve = await startServe(dir);
    try {
      const page = await newPage(browser, serve.url);
      out.demoOpenCachedMs = r1(await firstHeatmap(page, null, 0));
      out.demoSessionReadyCachedMs = await sessionReadyAt(page);
      await fifteenMinutes(page);
      out.demoSwitch = await switchRounds(page);
      out.demoSeekRedrawMs = await seekRedraw(page);
      await fifteenMinutes(page);
      out.demoPlayingDrawsPerSec = { x10: await playingDraws(page, 10), max: await playingDraws(page, 'max') };
      out.esh4OpenCachedMs = r1(await openFile(page, ESH4));
      out.esh4SessionReadyCachedMs = await sessionReadyAt(page);
      load.push(loadavg()[0]);
      await page.close();
    } finally {
      serve.stop();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const drawn = (x: Switch) => (x.phases?.drawnMs as number) + (x.phases?.handlerAfterMs as number);
  const sw = (s: Rounds) => ({
    immediate: { ms: s.immediate.ms, drawnMs: r1(drawn(s.immediate)), roundTrips: s.immediate.roundTrips },
    prefetchSettleMs: s.settleMs,
    first: { ...stats(s.first.map((x) => x.ms)), drawn: stats(s.first.map(drawn)), withRoundTrip: s.first.filter((x) => x.roundTrips > 0).length },
    repeated: { ...stats(s.repeated.map((x) => x.ms)), drawn: stats(s.repeated.map(drawn)), withRoundTrip: s.repeated.filter((x) => x.roundTrips > 0).length },
  });
  const result = {
    benchmark: 'workstation-trader',
    started,
    finished: new Date().toISOString(),
    machine: `${cpus().length}-core ${cpus()[0]?.model ?? ''}, Node ${process.version}, Debian Chromium headless, SwiftShader WebGL, 1920x1080`,
    loadAvg1m: load.map((v) => Math.round(v * 100) / 100),
    lookMsBetweenSwitches: LOOK_MS,
    summary: {
      demo: { openColdMs: out.demoOpenColdMs, openCachedMs: out.demoOpenCachedMs, switch: sw(out.demoSwitch), seekRedrawMs: stats(out.demoSeekRedrawMs), playingDrawsPerSec: out.demoPlayingDrawsPerSec },
      esh4: { openColdMs: out.esh4OpenColdMs, openCachedMs: out.esh4OpenCachedMs, switch: sw(out.esh4Switch), seekRedrawMs: stats(out.esh4SeekRedrawMs) },
    },
    raw: out,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/workstation-trader.json', JSON.stringify(result, null, 2) + '\n');
  const d = result.summary.demo;
  const e = result.summary.esh4;
  const row = (what: string, demo: string, esh4: string, target: string) => `| ${what} | ${demo} | ${esh4} | ${target} |`;
  console.log(
    [
      `Run ${started} → ${result.finished}, load ${result.loadAvg1m.join(' → ')}, ${result.machine}`,
      '| measure | demo | real ESH4 | target |',
      '|---|---|---|---|',
      row('open → first heatmap, cold (fresh database)', `${d.openColdMs} ms`, `${e.openColdMs} ms`, ''),
      row('open → first heatmap, cached build', `${d.openCachedMs} ms`, `${e.openCachedMs} ms`, ''),
      row('— of which open → session ready (cold / cached)', `${out.demoSessionReadyColdMs} / ${out.demoSessionReadyCachedMs} ms`, `${out.esh4SessionReadyColdMs} / ${out.esh4SessionReadyCachedMs} ms`, ''),
      row('field switch right after the first heatmap (nothing prefetched): on screen / drawn', `${d.switch.immediate.ms} / ${d.switch.immediate.drawnMs} ms`, `${e.switch.immediate.ms} / ${e.switch.immediate.drawnMs} ms`, '≤ 150 ms'),
      row('— then every field of the view prefetched after', `${d.switch.prefetchSettleMs} ms`, `${e.switch.prefetchSettleMs} ms`, ''),
      row('field switch, first time to each field: on screen median / max', `${d.switch.first.median} / ${d.switch.first.max} ms`, `${e.switch.first.median} / ${e.switch.first.max} ms`, '≤ 150 ms'),
      row('— drawn (draw issued): median / max', `${d.switch.first.drawn.median} / ${d.switch.first.drawn.max} ms`, `${e.switch.first.drawn.median} / ${e.switch.first.drawn.max} ms`, ''),
      row('— switches that waited for a slab from the engine', `${d.switch.first.withRoundTrip} of ${d.switch.first.n}`, `${e.switch.first.withRoundTrip} of ${e.switch.first.n}`, ''),
      row('field switch, repeated: on screen median / max', `${d.switch.repeated.median} / ${d.switch.repeated.max} ms`, `${e.switch.repeated.median} / ${e.switch.repeated.max} ms`, '≤ 150 ms'),
      row('— drawn: median / max', `${d.switch.repeated.drawn.median} / ${d.switch.repeated.drawn.max} ms`, `${e.switch.repeated.drawn.median} / ${e.switch.repeated.drawn.max} ms`, ''),
      row('seek → redraw (view not held: ring emptied first), median / max', `${d.seekRedrawMs.median} / ${d.seekRedrawMs.max} ms`, `${e.seekRedrawMs.median} / ${e.seekRedrawMs.max} ms`, ''),
      row('playing, draws/s at 10× / max', `${d.playingDrawsPerSec.x10} / ${d.playingDrawsPerSec.max}`, '', ''),
    ].join('\n'),
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
