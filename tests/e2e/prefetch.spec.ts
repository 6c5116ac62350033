/// <reference lib="dom" />
// Issue 13 "Checks": a first switch to a field never shown redraws from the slab cache once the
// background prefetch of the visible view's other fields has settled (layers/fieldPrefetch.ts),
// and playing at max speed sends no prefetch. On the demo; screenshots in test-results/screens.
import { expect, test, type Page } from '@playwright/test';
import { fullShot, useSharedPage, waitForView, windowState, gotoDemo } from './support/workstation';
import { timeFieldSwitch } from './support/fieldSwitch';

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
useSharedPage((p) => (page = p), pageErrors);

const prefetchStats = () =>
  page.evaluate(() => {
    const h = (window as unknown as { __spymaster: any }).__spymaster;
    const p = h.engine.heatmap.prefetch;
    return { ...p.stats, settled: p.settled() as boolean, cacheMB: h.chart.getState().data.slabCache.bytesHeld / 2 ** 20 };
  });

/** Issue 13 target for a field switch; the guard allows 3× (the shared VM swings ±30 % and other jobs run). */
const TARGET_MS = 150;

interface SwitchResult {
  /** Change event → the frame showing the whole visible view of the new field committed (in the page). */
  ms: number;
  /** Chart slabs asked of the engine for this switch (0: replayed from the slab cache). */
  roundTrips: number;
  phases: Record<string, number | null>;
}

/** Selects a field as the trader does and times it in the page, from the select's change event to the new field on screen. */
async function switchTo(field: string): Promise<SwitchResult> {
  const t = await timeFieldSwitch(page, field, { timeoutMs: 30_000, pollingMs: 20 });
  const r = (v: number | null) => (v === null ? null : Math.round(v));
  const p = t.phases;
  return {
    ms: Math.round(t.ms),
    roundTrips: t.roundTrips,
    phases: { replayed: r(p.replayedMs), range: r(p.rangeMs), slab: r(p.slabMs), drawStart: r(p.drawStartMs), upload: r(p.uploadMs), drawn: r(p.drawnMs), presented: r(p.presentedMs) },
  };
}

test('a switch right after the first heatmap (nothing prefetched yet) is drawn within 4× the target', async () => {
  await gotoDemo(page);
  // At once, before the window's prefetch (700 ms of quiet) held anything: one slab from the
  // engine, which must answer it ahead of its background work (session grids in slices,
  // duckColumns.ts lanes), and a ring cleared without zeroing it (columnRing.ts).
  const r = await switchTo('u_wave_energy');
  console.log('switch right after the first heatmap', JSON.stringify({ ...r, at: new Date().toISOString() }));
  // A guard, not the benchmark (fieldSwitchBench.ts): the bench's switch right after the first
  // heatmap was drawn at 0.7–1.2 s before this work under load 6–9 (the slab waited behind the
  // session's grid scans), 0.09–0.36 s after (here 174–357 ms drawn at load ~5, the engine's
  // part 3–34 ms); with the engine's envelopes on a raw pipe instead of IPC (issue 13, branch
  // switch) 198 and 227 ms drawn (08:52, load ~7; 09:09, load ~3). 4× the target leaves room
  // for the VM's swings.
  expect(r.phases.drawn).not.toBeNull();
  expect(r.phases.drawn!).toBeLessThanOrEqual(4 * TARGET_MS);
  expect(r.ms).toBeLessThanOrEqual(1000);
  expect(pageErrors).toEqual([]);
});

test('a first switch to a field never shown draws from the prefetched slabs (demo, paused)', async () => {
  const s0 = await windowState(page);
  if (s0.playback === 'playing') await page.getByTestId('play').click();
  await expect.poll(async () => (await windowState(page)).playback).toMatch(/paused|ready/);
  const settleStart = Date.now();
  await expect.poll(async () => (await prefetchStats()).settled, { timeout: 90_000, intervals: [250, 500, 1000] }).toBe(true);
  const settled = { ...(await prefetchStats()), settleMs: Date.now() - settleStart };
  expect(settled.requests).toBeGreaterThan(0);
  expect(settled.cacheMB).toBeLessThanOrEqual(64);
  // Three fields the window never showed this session (the demo opens on liquidity velocity), then back.
  const results: Record<string, SwitchResult> = {};
  for (const f of ['nu', 'rho', 'add_intensity', 'liquidity_velocity']) {
    expect(f).not.toBe((await windowState(page)).field);
    results[f] = await switchTo(f);
  }
  await fullShot(page, 'p01-after-first-switches');
  console.log('prefetch measurements', JSON.stringify({ settled, switches: results, at: new Date().toISOString() }));
  for (const r of Object.values(results)) expect(r.roundTrips).toBe(0); // replayed from memory: no slab asked of the engine
  // A guard, not the benchmark (tests/e2e/bench/fieldSwitchBench.ts): 3× the target for the
  // median; the page's very first switch also pays one-time costs (JIT, first touch of the
  // ring), so the worst gets a ceiling of ~7×.
  const ms = Object.values(results).map((r) => r.ms).sort((a, b) => a - b);
  expect(ms[Math.floor(ms.length / 2)]).toBeLessThanOrEqual(3 * TARGET_MS);
  expect(ms[ms.length - 1]).toBeLessThanOrEqual(1000);
  expect(pageErrors).toEqual([]);
});

test('a switch right after a seek to a view not held yet waits for one slab from memory, not a query', async () => {
  // The view moves somewhere nothing is held for any field: the switch waits for one slab from
  // the engine's in-memory session grids (fieldGridCache.ts), not for a query.
  const s = await windowState(page);
  await page.evaluate((i) => (window as unknown as { __spymaster: any }).__spymaster.engine.seekIndex(i), Math.max(300, (s.nowIndex ?? 0) - 600));
  await waitForView(page);
  const r = await switchTo('kappa');
  console.log('switch after seek', JSON.stringify({ ...r, at: new Date().toISOString() }));
  // One slab round trip: measured 336–414 ms under load 9–10 (0.5–1.3 s before the engine kept
  // every field's session grid); the ceiling catches a return to per-query slabs.
  expect(r.ms).toBeLessThanOrEqual(1000);
  await fullShot(page, 'p02-switch-after-seek');
  expect(pageErrors).toEqual([]);
});

test('playing at max speed sends no prefetch', async () => {
  await page.getByTestId('speed').selectOption('max');
  const before = (await prefetchStats()).requests;
  await page.getByTestId('play').click();
  await expect.poll(async () => (await windowState(page)).playback).toBe('playing');
  await page.waitForTimeout(2500);
  const during = (await prefetchStats()).requests;
  await page.getByTestId('play').click();
  await expect.poll(async () => (await windowState(page)).playback).toMatch(/paused|ready/);
  expect(during).toBe(before);
  expect(pageErrors).toEqual([]);
});
