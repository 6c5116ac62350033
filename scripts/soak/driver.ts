/// <reference lib="dom" />
// The soak's work and measurements, shared by `npm run soak` (scripts/soak.ts, minutes to
// hours) and the CI spec (tests/e2e/soak.spec.ts, under a minute): the window plays the demo
// at max speed while the driver seeks, switches fields and toggles overlays; every sample
// reads the engine's and the server's RSS from /proc, the page's JS heap (CDP) and the
// window's own frame timings (window.__spymaster.perf: live-frame decode and draw times).
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright';

export interface SoakSample {
  tSec: number;
  engineRssMb: number;
  serverRssMb: number | null;
  pageHeapMb: number;
  draws: number;
  actions: number;
}

export interface SoakResult {
  seconds: number;
  warmupSec: number;
  samples: SoakSample[];
  actions: Record<string, number>;
  frameDecodeMs: { n: number; p50: number; p99: number };
  drawMs: { n: number; p50: number; p99: number };
  /** Live frames drawn per second of the run (max speed: the window's own pace). */
  drawsPerSec: number;
  growth: { engineRss: number; pageHeap: number; serverRss: number | null };
  pageErrors: string[];
  errorAlerts: string[];
  engineRestarts: number;
  pass: boolean;
  why: string[];
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

/** The engine child of the serve command that uses this database. */
export function enginePid(dbPath: string): number | null {
  const out = execSync(`pgrep -f "[c]hildEntry.ts --db ${dbPath}" || true`).toString().trim().split('\n').filter(Boolean).map(Number);
  return out.length ? out[0] : null;
}

function quantiles(xs: number[]): { n: number; p50: number; p99: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100 : NaN);
  return { n: s.length, p50: q(0.5), p99: q(0.99) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Growth of the median of the last 3 samples over the median of the first 3 after warm-up. */
function growth(samples: SoakSample[], pick: (s: SoakSample) => number | null): number | null {
  const v = samples.map(pick).filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length < 4) return null;
  const k = Math.min(3, Math.floor(v.length / 2));
  return Math.round((median(v.slice(-k)) / median(v.slice(0, k)) - 1) * 1000) / 1000;
}

export async function waitLoaded(page: Page, timeout = 300_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const h = (window as any).__spymaster;
      const s = h?.chart.getState();
      return !!(s && s.geom && s.nowIndex !== null && h.engine.visibleLoaded());
    },
    undefined,
    { timeout, polling: 100 },
  );
}

/** Drains the window's perf lists (so each sample sees only new frames). */
async function drainPerf(page: Page): Promise<{ frameDecode: number[]; draw: number[]; draws: number }> {
  return page.evaluate(() => {
    const p = (window as any).__spymaster.perf;
    const out = { frameDecode: [...p.frameDecode], draw: [...p.draw], draws: p.draws };
    p.frameDecode.length = 0;
    p.draw.length = 0;
    return out;
  });
}

export interface SoakOptions {
  seconds: number;
  sampleEverySec: number;
  warmupSec: number;
  /** Allowed growth after warm-up (0.10 = 10 %). */
  maxGrowth: number;
  dbPath: string;
  serverPid?: number;
  log?: (line: string) => void;
}

/** Runs the soak on a page that already shows the demo. */
export async function soak(page: Page, o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => undefined);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapMb = async () => {
    // Retained heap only: collect garbage first, or GC timing would read as growth or shrink.
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = metrics.find((x) => x.name === 'JSHeapUsedSize');
    return m ? Math.round(m.value / 104857.6) / 10 : NaN;
  };
  const actions: Record<string, number> = {};
  const did = (a: string) => (actions[a] = (actions[a] ?? 0) + 1);
  const fields = await page.getByTestId('field-select').locator('option').evaluateAll((os) => os.map((x) => (x as HTMLOptionElement).value));
  await page.getByTestId('speed').selectOption('max');
  const ensurePlaying = async () => {
    const state = await page.evaluate(() => (window as any).__spymaster.chart.getState().playback);
    if (state !== 'playing') {
      await page.keyboard.press('Home');
      await page.getByTestId('play').click();
      did('replay_from_start');
    }
  };
  await ensurePlaying();

  const pids: number[] = [];
  const alertsSeen = new Set<string>();
  const samples: SoakSample[] = [];
  const frameDecode: number[] = [];
  const draw: number[] = [];
  let rng = 12345;
  const rand = (n: number) => {
    rng = (rng * 1103515245 + 12345) >>> 0;
    return (rng >>> 16) % n; // the high bits: an LCG's low bits cycle with a short period
  };
  const start = Date.now();
  let nextSample = start + o.sampleEverySec * 1000;
  let drawsAtWarmup = 0;
  let nActions = 0;
  while (Date.now() - start < o.seconds * 1000) {
    // One action every ~0.7 s, like a trader clicking around while the tape runs.
    const a = rand(10);
    try {
      if (a < 3) {
        // Seek: click the timeline somewhere, or jump to the session start.
        if (a === 0) await page.keyboard.press('Home');
        else {
          const box = await page.getByTestId('timeline').boundingBox();
          if (box) await page.mouse.click(box.x + 4 + rand(Math.max(1, Math.floor(box.width) - 8)), box.y + box.height / 2);
        }
        did('seek');
      } else if (a < 5) {
        await page.getByTestId('field-select').selectOption(fields[rand(fields.length)]);
        did('field');
      } else if (a < 7) {
        await page.getByTestId(rand(2) ? 'overlay-trades' : 'overlay-walls').click();
        did('overlay');
      } else if (a < 8) {
        await page.mouse.wheel(0, rand(2) ? -240 : 240);
        did('zoom');
      }
      await ensurePlaying();
      nActions++;
    } catch (e) {
      pageErrors.push(`driver: ${(e as Error).message.split('\n')[0]}`);
    }
    await page.waitForTimeout(500 + rand(400));
    if (Date.now() >= nextSample) {
      nextSample += o.sampleEverySec * 1000;
      for (const t of await page.locator('[data-testid=alert].alert-error, [data-testid=alert][data-code^="worker."]').allTextContents()) alertsSeen.add(t);
      const pid = enginePid(o.dbPath);
      if (pid && !pids.includes(pid)) pids.push(pid);
      const p = await drainPerf(page);
      const tSec = Math.round((Date.now() - start) / 1000);
      if (tSec >= o.warmupSec) {
        frameDecode.push(...p.frameDecode);
        draw.push(...p.draw);
        if (!drawsAtWarmup) drawsAtWarmup = p.draws;
      }
      const s: SoakSample = { tSec, engineRssMb: pid ? rssMb(pid) : NaN, serverRssMb: o.serverPid ? rssMb(o.serverPid) : null, pageHeapMb: await heapMb(), draws: p.draws, actions: nActions };
      samples.push(s);
      log(`t=${s.tSec}s engine ${s.engineRssMb} MB, server ${s.serverRssMb ?? '-'} MB, page heap ${s.pageHeapMb} MB, draws ${s.draws}, actions ${s.actions}`);
    }
  }
  const errorAlerts = [...alertsSeen];
  const after = samples.filter((s) => s.tSec >= o.warmupSec);
  const seconds = Math.round((Date.now() - start) / 1000);
  const g = { engineRss: growth(after, (s) => s.engineRssMb) ?? NaN, pageHeap: growth(after, (s) => s.pageHeapMb) ?? NaN, serverRss: growth(after, (s) => s.serverRssMb) };
  const last = samples[samples.length - 1];
  const why: string[] = [];
  if (pageErrors.length) why.push(`${pageErrors.length} page errors`);
  if (errorAlerts.length) why.push(`${errorAlerts.length} error alerts`);
  if (pids.length > 1) why.push(`the engine restarted ${pids.length - 1} times`);
  for (const [k, v] of Object.entries(g)) if (v !== null && v > o.maxGrowth) why.push(`${k} grew ${(v * 100).toFixed(1)} % after warm-up`);
  if (after.length < 4) why.push('too few samples after warm-up');
  for (let k = 1; k < samples.length; k++) if (samples[k].draws <= samples[k - 1].draws) why.push(`no frame drawn between t=${samples[k - 1].tSec}s and t=${samples[k].tSec}s`);
  return {
    seconds,
    warmupSec: o.warmupSec,
    samples,
    actions,
    frameDecodeMs: quantiles(frameDecode),
    drawMs: quantiles(draw),
    drawsPerSec: last && drawsAtWarmup ? Math.round(((last.draws - drawsAtWarmup) / Math.max(1, last.tSec - o.warmupSec)) * 10) / 10 : NaN,
    growth: g,
    pageErrors: pageErrors.slice(0, 20),
    errorAlerts,
    engineRestarts: Math.max(0, pids.length - 1),
    pass: why.length === 0,
    why,
  };
}
