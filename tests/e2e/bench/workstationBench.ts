/// <reference lib="dom" />
// Workstation benchmark (BENCHMARKS.md "Workstation"): the real `serve` command, the demo
// session, Debian Chromium with SwiftShader (software) WebGL, performance marks read from
// the window's test hook. Writes bench/results/workstation.json.
//   npx tsx tests/e2e/bench/workstationBench.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright';

const ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN);
  const r = (v: number) => Math.round(v * 100) / 100;
  return { n: s.length, median: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1] ?? NaN) };
}

async function startServe(): Promise<{ url: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-bench-'));
  const p = spawn('npx', ['tsx', 'src-worker/cli/main.ts', 'serve', '--port', '0', '--db', join(dir, 'bench.duckdb')], {
    env: { ...process.env, SPYMASTER_CACHE_DIR: join(dir, 'cache') },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) resolve(m[1]);
    });
    p.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { url, stop: () => process.kill(-p.pid!, 'SIGTERM') };
}

async function waitLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const h = (window as any).__spymaster;
    const s = h.chart.getState();
    return s.geom && s.nowIndex !== null && h.engine.visibleLoaded();
  }, undefined, { timeout: 300_000, polling: 50 });
}

/** Sets the view to `span` seconds ending just past now and 401 price rows centred on spot. */
async function setView(page: Page, span: number): Promise<void> {
  await page.evaluate((span) => {
    const h = (window as any).__spymaster;
    const s = h.chart.getState();
    const spot = s.data.spotRow[s.nowIndex];
    const mid = Number.isFinite(spot) ? spot : (s.view.p0 + s.view.p1) / 2;
    const t1 = s.nowIndex + span * 0.12;
    h.chart.setState({ view: { t0: t1 - span, t1, p0: mid - 200.5, p1: mid + 200.5 }, follow: true });
  }, span);
}

async function main(): Promise<void> {
  const serve = await startServe();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(serve.url);
    await waitLoaded(page);
    const env = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl')!;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const h = (window as any).__spymaster;
      const s = h.chart.getState();
      return {
        renderer: ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
        userAgent: navigator.userAgent,
        windowCount: s.geom.windowCount,
        textureSlots: s.data.ring.slots,
        textureRows: s.data.ring.rows,
        cellTexture: h.perf.textureFormat,
      };
    });

    // 1. Seek anywhere → the visible 15-minute × 401-tick view redrawn. Cold: the ring is
    //    emptied first, so every seek fetches its slabs from DuckDB through the engine.
    await setView(page, 900);
    const n = env.windowCount;
    const targets = Array.from({ length: 12 }, (_, i) => Math.round(((i * 7) % 12 + 0.5) * (n / 12)));
    // One seek: request → drawn (perf.seek), and where the build records them, → slab applied
    // (cold only) and → frame committed.
    const seekOnce = async (target: number, cold: boolean) =>
      page.evaluate(
        async ({ target, cold }) => {
          const h = (window as any).__spymaster;
          const s = h.chart.getState();
          if (cold) {
            s.data.ring.clear();
            s.data.chunks.clear();
          }
          const before = h.perf.seek.length;
          const loaded0 = h.perf.seekLoaded?.length ?? 0;
          const presented0 = h.perf.seekPresented?.length ?? 0;
          h.engine.seekIndex(target);
          const t0 = performance.now();
          while (h.perf.seek.length === before && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 2));
          while (h.perf.seekPresented && h.perf.seekPresented.length === presented0 && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 2));
          return {
            drawn: h.perf.seek[h.perf.seek.length - 1] as number,
            loaded: (h.perf.seekLoaded?.length ?? 0) > loaded0 ? (h.perf.seekLoaded[h.perf.seekLoaded.length - 1] as number) : null,
            presented: h.perf.seekPresented ? (h.perf.seekPresented[h.perf.seekPresented.length - 1] as number) : null,
          };
        },
        { target, cold },
      );
    await page.evaluate(() => {
      const h = (window as any).__spymaster;
      h.perf.slabRoundTrip.length = 0;
      h.perf.slabApply.length = 0;
    });
    const seekCold: number[] = [];
    const seekWarm: number[] = [];
    const coldLoaded: number[] = [];
    const coldPresented: number[] = [];
    const warmPresented: number[] = [];
    for (const t of targets) {
      const c = await seekOnce(t, true);
      seekCold.push(c.drawn);
      if (c.loaded !== null) coldLoaded.push(c.loaded);
      if (c.presented !== null) coldPresented.push(c.presented);
      const w = await seekOnce(Math.max(0, t - 60), false); // same region, already held
      seekWarm.push(w.drawn);
      if (w.presented !== null) warmPresented.push(w.presented);
    }

    const slabs = await page.evaluate(() => {
      const h = (window as any).__spymaster;
      return { roundTrip: [...h.perf.slabRoundTrip], apply: [...h.perf.slabApply] };
    });

    // (?? : the same script measures builds from before these marks existed, for A/B runs)
    const heldDraws = await page.evaluate(() => (window as any).__spymaster.perf.heldDraws ?? null);

    // 2. Live frames while playing as fast as possible (engine paced by frame acks), with the
    //    view 3,000 s wide (zoomed out: more columns than pixels) and 15 minutes wide.
    await seekOnce(0, false);
    const play = async (span: number) => {
      await seekOnce(0, false);
      await setView(page, span);
      await waitLoaded(page);
      // The engine refuses play while it is still settling the seek.
      await page.waitForFunction(() => (window as any).__spymaster.chart.getState().playback !== 'seeking');
      await page.evaluate(() => {
        const h = (window as any).__spymaster;
        h.perf.frameDecode.length = 0;
        h.perf.upload.length = 0;
        h.perf.draw.length = 0;
        h.engine.send({ kind: 'set_speed', speed: 'max' });
      });
      // Play; asked again if the engine was still settling the seek and refused it.
      for (let attempt = 0; ; attempt++) {
        await page.evaluate(() => (window as any).__spymaster.engine.send({ kind: 'play' }));
        const ok = await page
          .waitForFunction(() => (window as any).__spymaster.chart.getState().playback === 'playing', undefined, { timeout: 3000 })
          .then(() => true, () => false);
        if (ok) break;
        if (attempt === 5) throw new Error('the engine did not start playing');
      }
      const d0 = await page.evaluate(() => ({ draws: (window as any).__spymaster.perf.draws, now: (window as any).__spymaster.chart.getState().nowIndex, t: performance.now() }));
      await page.waitForTimeout(8000);
      const d1 = await page.evaluate(() => ({ draws: (window as any).__spymaster.perf.draws, now: (window as any).__spymaster.chart.getState().nowIndex, t: performance.now() }));
      await page.evaluate(() => (window as any).__spymaster.engine.send({ kind: 'pause' }));
      await page.waitForFunction(() => (window as any).__spymaster.chart.getState().playback !== 'playing');
      const live = await page.evaluate(() => {
        const h = (window as any).__spymaster;
        return { frameDecode: [...h.perf.frameDecode], upload: [...h.perf.upload], draw: [...h.perf.draw] };
      });
      const drawsPerSec = ((d1.draws - d0.draws) * 1000) / (d1.t - d0.t);
      return {
        viewSeconds: span,
        windowsPlayed: d1.now - d0.now,
        seconds: Math.round((d1.t - d0.t) / 10) / 100,
        framesPerSec: Math.round(((d1.now - d0.now) * 1000) / (d1.t - d0.t) * 10) / 10,
        drawsPerSec: Math.round(drawsPerSec * 10) / 10,
        frameIntervalMs: Math.round(1000 / drawsPerSec * 10) / 10,
        frameDecodeMs: stats(live.frameDecode),
        textureUploadMs: stats(live.upload),
        drawMs: stats(live.draw),
      };
    };
    const live3000 = await play(3000);
    const live900 = await play(900);
    await page.screenshot({ path: 'bench/out/workstation-15min.png' }).catch(() => undefined);

    // 3. Render-bound frame rate: redraw the full 1920×1080 view every animation frame, zoomed
    //    in (15 min × 401 ticks: one buffer pixel per cell) and zoomed out (3,000 s: one buffer
    //    pixel per device pixel across time, per cell across price).
    const redraw = () =>
      page.evaluate(async () => {
        const h = (window as any).__spymaster;
        h.perf.draw.length = 0;
        const start = h.perf.draws;
        const t0 = performance.now();
        while (performance.now() - t0 < 5000) {
          h.chart.setState((s: any) => ({ dataVersion: s.dataVersion + 1 }));
          await new Promise((r) => requestAnimationFrame(() => r(null)));
        }
        return { fps: ((h.perf.draws - start) * 1000) / (performance.now() - t0), draw: [...h.perf.draw] as number[] };
      });
    const renderBoundWide = await redraw();
    await setView(page, 900);
    await waitLoaded(page);
    const renderBound = await redraw();

    // 4. Idle when paused: no draws, and the renderer's main-thread CPU per second.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    };
    await page.waitForTimeout(1000);
    const idleDraws0 = await page.evaluate(() => (window as any).__spymaster.perf.draws);
    const m0 = await metric();
    await page.waitForTimeout(5000);
    const m1 = await metric();
    const idleDraws1 = await page.evaluate(() => (window as any).__spymaster.perf.draws);
    const idleSec = m1.Timestamp - m0.Timestamp;

    const result = {
      benchmark: 'workstation',
      date: new Date().toISOString(),
      machine: `${cpus().length}-core VM, Node ${process.version}, Debian Chromium (SwiftShader software WebGL)`,
      loadAvg1m: Math.round(loadavg()[0] * 100) / 100,
      env,
      viewport: '1920x1080',
      seekColdMs: stats(seekCold),
      seekColdSteps: {
        note: 'request → slab completing the view applied → draw issued (seekColdMs) → frame committed (next rAF + task); last picture kept while the slab is on its way',
        slabAppliedMs: stats(coldLoaded),
        frameCommittedMs: stats(coldPresented),
        heldDraws,
      },
      seekWarmMs: stats(seekWarm),
      seekWarmFrameCommittedMs: stats(warmPresented),
      seekSlabs: { roundTripMs: stats(slabs.roundTrip), windowApplyMs: stats(slabs.apply) },
      liveFrames: live3000,
      liveFrames15min: live900,
      renderBound15min: { fps: Math.round(renderBound.fps * 10) / 10, drawMs: stats(renderBound.draw) },
      renderBound3000s: { fps: Math.round(renderBoundWide.fps * 10) / 10, drawMs: stats(renderBoundWide.draw) },
      idlePaused: {
        seconds: Math.round(idleSec * 10) / 10,
        draws: idleDraws1 - idleDraws0,
        mainThreadCpuMsPerSec: Math.round(((m1.TaskDuration - m0.TaskDuration) * 1000 / idleSec) * 100) / 100,
        scriptMsPerSec: Math.round(((m1.ScriptDuration - m0.ScriptDuration) * 1000 / idleSec) * 100) / 100,
      },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/workstation.json', JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    serve.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
