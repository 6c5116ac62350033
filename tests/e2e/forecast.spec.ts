/// <reference lib="dom" />
// The prediction margin end to end (real `serve`, engine, DuckDB, Chromium): on the demo the
// margin right of "now" shows the model's path and band, the pixels there change while
// playing, the model selector switches what is drawn, the tooltip over the margin names the
// horizon, price, confidence and inputs, and after a scrub back the past-forecast path
// (dotted) appears over the history. Ends on the demo, paused, as the other specs expect.
import { expect, test, type Page } from '@playwright/test';
import { diffShare, share } from './support/png';
import { ESH4_FILE, fullShot, marginPixels as marginPixelsOf, openPath, plotBox, plotPixels, settle as settleFrames, useSharedPage, waitForView, windowState, gotoDemo } from './support/workstation';

test.describe.configure({ mode: 'serial' });

// Colours of src-renderer/forecast/drawMargin.ts as composited over the chart.
/** The path (#ff5ccd) and the model's name. */
const isForecast = (r: number, g: number, b: number) => r > 200 && b > 150 && g < 140;
/** The band: a faint magenta wash over the margin's dark background. */
const isBand = (r: number, g: number, b: number) => r > g + 14 && b > g + 14 && r < 140;
/** The past-forecast path (dotted, rgba(255,170,230)). */
const isPast = (r: number, g: number, b: number) => r > 180 && b > 150 && r > g + 40 && b > g + 20 && g > 90;

let page: Page;
const pageErrors: string[] = [];
useSharedPage((p) => (page = p), pageErrors);

type Hook = { __spymaster: any };

const settle = () => settleFrames(page);

const marginPixels = (name: string) => marginPixelsOf(page, name);

/** The forecast the margin draws for the playhead window (selected model), from the window's layer. */
async function marginForecast(): Promise<{ family: string; spot: number; predicted: number[] } | null> {
  return page.evaluate(() => {
    const h = (window as unknown as Hook).__spymaster;
    const now = h.chart.getState().nowIndex;
    const p = now === null ? null : h.engine.forecast.pathAt(now);
    return p ? { family: p.family, spot: p.spotTick, predicted: p.points.map((q: { predictedTick: number }) => q.predictedTick) } : null;
  });
}

test('the demo shows the forecast path and band in the margin, and they move while playing', async () => {
  await gotoDemo(page);
  await page.mouse.move(5, 5);
  await expect.poll(marginForecast, { timeout: 60_000 }).not.toBeNull();
  const fc = (await marginForecast())!;
  expect(fc.family).toBe('particle');
  expect(fc.predicted).toHaveLength(30);
  await settle();
  const on = await marginPixels('fc-01-particle');
  await fullShot(page, 'fc-01-particle');
  expect(share(on, isForecast)).toBeGreaterThan(0.001);
  expect(share(on, isBand)).toBeGreaterThan(0.002);

  // Off: the magenta is the forecast's and nothing else's.
  await page.getByTestId('forecast-toggle').uncheck();
  await settle();
  const off = await marginPixels('fc-02-off');
  expect(share(off, isForecast)).toBeLessThan(share(on, isForecast) / 5);
  await page.getByTestId('forecast-toggle').check();
  await settle();

  // Playing: every window brings its forecast in the frame, and the margin is redrawn.
  await page.getByTestId('speed').selectOption('5');
  await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
  const s0 = await windowState(page);
  await page.getByTestId('play').click();
  await expect.poll(async () => (await windowState(page)).nowIndex!, { timeout: 60_000 }).toBeGreaterThan(s0.nowIndex! + 4);
  const a = await marginPixels('fc-03-playing-a');
  const s1 = await windowState(page);
  await expect.poll(async () => (await windowState(page)).nowIndex!, { timeout: 60_000 }).toBeGreaterThan(s1.nowIndex! + 8);
  const b = await marginPixels('fc-03-playing-b');
  expect(diffShare(a, b)).toBeGreaterThan(0.002);
  const live = await page.evaluate(() => (window as unknown as Hook).__spymaster.engine.forecast.held().live);
  expect(live).toBeGreaterThan(4);
  await page.keyboard.press('Space');
  await expect.poll(async () => (await windowState(page)).playback).toBe('paused');
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});

test('the model selector switches the margin; the tooltip shows horizon, price, confidence and inputs', async () => {
  await page.mouse.move(5, 5);
  await expect.poll(marginForecast, { timeout: 30_000 }).not.toBeNull();
  await settle();
  const particle = await marginPixels('fc-04-particle');
  await page.getByTestId('forecast-model').selectOption('no_change');
  await expect.poll(async () => (await marginForecast())?.family).toBe('no_change');
  const flat = (await marginForecast())!;
  // The baseline keeps the spot at every horizon.
  for (const p of flat.predicted) expect(p).toBeCloseTo(flat.spot, 9);
  await settle();
  const noChange = await marginPixels('fc-05-no-change');
  expect(diffShare(particle, noChange)).toBeGreaterThan(0.002);

  await page.getByTestId('forecast-model').selectOption('particle');
  await expect.poll(async () => (await marginForecast())?.family).toBe('particle');
  // Hover the 10 s horizon of the margin (the sqrt axis: x0 + √(10/30)·width).
  const s = await windowState(page);
  const b = await plotBox(page);
  const xNow = b.x + ((s.nowIndex! - s.view.t0) / (s.view.t1 - s.view.t0)) * b.width;
  const x30 = b.x + b.width - 14;
  await page.mouse.move(xNow + Math.sqrt(10 / 30) * (x30 - xNow), b.y + b.height / 2);
  const tip = page.getByTestId('forecast-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip.getByTestId('ft-horizon')).toHaveText(/^\+10 s · \d\d:\d\d:\d\d$/);
  await expect(tip.getByTestId('ft-price')).toHaveText(/^\d+\.\d\d$/);
  await expect(tip.getByTestId('ft-confidence')).toHaveText(/\d|—/);
  await expect(tip).toContainText('Particle');
  await expect(tip.getByTestId('ft-inputs').locator('tr').first()).toBeVisible();
  await fullShot(page, 'fc-06-tooltip');
  await page.mouse.move(5, 5);
  await expect(tip).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('after a scrub back the past-forecast path appears over the history', async () => {
  const s0 = await windowState(page);
  await page.mouse.move(5, 5);
  // Scrub back two minutes on the timeline.
  const tl = (await page.getByTestId('timeline').boundingBox())!;
  const xAt = (i: number) => tl.x + (i / (s0.windowCount - 1)) * tl.width;
  const to = Math.max(200, s0.nowIndex! - 120);
  await page.mouse.move(xAt(s0.nowIndex!), tl.y + 12);
  await page.mouse.down();
  await page.mouse.move(xAt(to), tl.y + 12, { steps: 6 });
  await page.mouse.up();
  const pxWindows = Math.ceil(s0.windowCount / tl.width) + 1;
  await expect.poll(async () => Math.abs((await windowState(page)).nowIndex! - to), { timeout: 30_000 }).toBeLessThanOrEqual(pxWindows);
  await waitForView(page);
  await page.mouse.move(5, 5);
  await settle();
  const without = await plotPixels(page, 'fc-07-scrubbed');

  await page.getByTestId('forecast-past').check();
  await page.getByTestId('forecast-past-h').selectOption('5');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as Hook).__spymaster.engine.forecast.held()), { timeout: 60_000 })
    .toMatchObject({ pending: 0 });
  const held = await page.evaluate(() => (window as unknown as Hook).__spymaster.engine.forecast.held());
  expect(held.history).toBeGreaterThan(0);
  await settle();
  const withPast = await plotPixels(page, 'fc-08-past');
  await fullShot(page, 'fc-08-past');
  expect(share(withPast, isPast)).toBeGreaterThan(share(without, isPast) + 0.0005);

  await page.getByTestId('forecast-past').uncheck();
  await settle();
  const offAgain = await plotPixels(page, 'fc-09-past-off');
  expect(diffShare(without, offAgain)).toBeLessThan(0.0005);
  expect(pageErrors).toEqual([]);
});

test('a file opened after the demo shows its own forecasts (the old session never answers for it)', async () => {
  // Regression: history asked between session_ready and the new session's attach was answered
  // from the demo's forecasts, decoded against the new file's windows, and held as "none".
  await openPath(page, ESH4_FILE, { start: '18:00', end: '19:00', tz: 'America/New_York' });
  await expect.poll(async () => (await windowState(page)).symbol, { timeout: 200_000 }).toBe('ESH4');
  await waitForView(page, 120_000);
  await page.mouse.move(5, 5);
  await expect.poll(marginForecast, { timeout: 30_000 }).not.toBeNull();
  const fc = (await marginForecast())!;
  // ES around 4800 in December 2023: the origin is the file's spot, not the demo's.
  expect(fc.spot * 0.25).toBeGreaterThan(4700);
  expect(fc.spot * 0.25).toBeLessThan(4900);
  await settle();
  expect(share(await marginPixels('fc-10-esh4'), isForecast)).toBeGreaterThan(0.001);
  await fullShot(page, 'fc-10-esh4');
  // Back to the demo for the specs after this one.
  await page.getByTestId('open-file').click();
  await page.getByTestId('open-dialog').getByRole('button', { name: 'Open demo session' }).click();
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 120_000 }).toBe(true);
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});

// ── The margin's labels at every zoom (issue 13) ─────────────────────────────────────────
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface MarginLayout {
  box: { x0: number; x1: number; top: number; bottom: number };
  labels: (Box & { horizonS: number; text: string })[];
  ticks: (Box & { horizonS: number; text: string })[];
}
interface AxesLayout {
  priceTags: { kind: string; a: number; b: number }[];
  timeTags: { kind: string; a: number; b: number }[];
}
/** This page on the demo's view (run alone, a test starts on a blank page). */
async function ensureDemo(): Promise<void> {
  const opened = await page.evaluate(() => !!(window as unknown as Partial<Hook>).__spymaster);
  if (!opened || !(await windowState(page)).isDemo) await page.goto('/');
  await waitForView(page, 200_000);
}
const boxesApart = (p: Box, q: Box) => p.x + p.w <= q.x || q.x + q.w <= p.x || p.y + p.h <= q.y || q.y + q.h <= p.y;

test('the margin labels name their horizon and never overlap one another, the ticks or the axis tags, zoomed in or out', async () => {
  // Zoomed in on price the band runs past the plot and every label wants the same edge; with
  // now near the right edge the 1/5/10 s points are a few px apart. Two moments and models of
  // the demo: a steep particle fall (09:33:20) and a flat order-flow step up (09:37:00).
  await ensureDemo();
  const chart = (await page.getByTestId('chart').boundingBox())!;
  const b = await plotBox(page);
  const axisX = b.x + b.width + 30;
  const layoutNow = async () => {
    await page.mouse.move(5, 5);
    await settle();
    await page.waitForTimeout(150);
    return page.evaluate(() => {
      const h = (window as unknown as Hook).__spymaster;
      return { m: h.margin.last as MarginLayout | null, axes: h.axes.last as AxesLayout };
    });
  };
  /** Zooms the price axis in about the spot (so it stays in view) until at most `rows` rows show. */
  const zoomPriceTo = async (rows: number) => {
    for (let k = 0; k < 12; k++) {
      const s = await windowState(page);
      if (s.view.p1 - s.view.p0 <= rows) return;
      const spot = (await layoutNow()).axes.priceTags.find((t) => t.kind === 'spot');
      await page.mouse.move(axisX, chart.y + (spot ? (spot.a + spot.b) / 2 : chart.height / 2));
      await page.mouse.wheel(0, -300);
    }
  };
  let checked = 0;
  let maxLabels = 0;
  for (const [at, family] of [
    ['09:33:20', 'particle'],
    ['09:37:00', 'ofi'],
  ] as const) {
    await page.getByTestId('forecast-model').selectOption(family);
    await page.getByTestId('jump-input').fill(at);
    await page.getByTestId('jump-go').click();
    await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
    await waitForView(page);
    await expect.poll(marginForecast, { timeout: 30_000 }).toMatchObject({ family });
    for (const [zoom, rows] of [
      ['default', Infinity],
      ['price-in', 30],
      ['price-in-max', 8],
      ['narrow', 8],
    ] as const) {
      await zoomPriceTo(rows);
      if (zoom === 'narrow') {
        // Zoom time in about now, then drag the history right until now is ~100 px from the
        // plot's right edge (at the full span the session's start stops the drag).
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
        for (let k = 0; k < 3; k++) await page.mouse.wheel(0, -300);
        const { m } = await layoutNow();
        const dx = m!.box.x1 + 14 - m!.box.x0 - 100;
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
        await page.mouse.down();
        await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2, { steps: 4 });
        await page.mouse.up();
      }
      await waitForView(page);
      const { m, axes } = await layoutNow();
      const name = `fc-11-labels-${at.replace(/:/g, '')}-${family}-${zoom}`;
      await fullShot(page, name);
      expect(m, name).not.toBeNull();
      const s = await windowState(page);
      const shownRows = s.view.p1 - s.view.p0;
      const width = m!.box.x1 + 14 - m!.box.x0;
      console.log(`${name}: ${shownRows.toFixed(1)} rows, margin ${width.toFixed(0)} px, labels ${m!.labels.map((l) => l.text).join(' | ')}; ticks ${m!.ticks.map((t) => t.text).join(' ')}`);
      // Inside the margin, clear of one another and of the horizon ticks.
      const all = [...m!.labels, ...m!.ticks];
      for (const l of all) {
        expect(l.x, `${name} ${l.text}`).toBeGreaterThanOrEqual(m!.box.x0);
        expect(l.x + l.w, `${name} ${l.text}`).toBeLessThanOrEqual(m!.box.x1 + 14);
        expect(l.y, `${name} ${l.text}`).toBeGreaterThanOrEqual(m!.box.top);
        expect(l.y + l.h, `${name} ${l.text}`).toBeLessThanOrEqual(m!.box.bottom);
      }
      for (let i = 0; i < all.length; i++)
        for (let j = 0; j < i; j++) expect(boxesApart(all[i], all[j]), `${name}: "${all[j].text}" and "${all[i].text}" overlap`).toBe(true);
      // Clear of the price tags (spot, bid, ask, crosshair) and the time tags (now, crosshair).
      const plotRight = b.width;
      const plotBottom = b.y - chart.y + b.height;
      const tags: Box[] = [
        ...axes.priceTags.map((t) => ({ x: plotRight, y: t.a, w: 76, h: t.b - t.a })),
        ...axes.timeTags.map((t) => ({ x: t.a, y: plotBottom + 4, w: t.b - t.a, h: 18 })),
      ];
      for (const l of all) for (const t of tags) expect(boxesApart(l, t), `${name}: "${l.text}" over a tag`).toBe(true);
      // Each label says which horizon it belongs to.
      for (const l of m!.labels) expect(l.text, name).toMatch(new RegExp(`^${l.horizonS}s [▲▼■] `));
      // The path's end is always labelled when a pill fits; at the default zoom all four are.
      if (width >= 90) expect(m!.labels.map((l) => l.horizonS), name).toContain(30);
      if (zoom === 'default') expect(m!.labels, name).toHaveLength(4);
      if (zoom === 'narrow') expect(width, name).toBeLessThan(130);
      expect(shownRows, name).toBeLessThanOrEqual(rows + 0.01);
      expect(m!.ticks.map((t) => t.horizonS), name).toContain(30);
      maxLabels = Math.max(maxLabels, m!.labels.length);
      checked++;
    }
    // Back to following now (a jump widens the price span to the spot's track again).
    await page.mouse.dblclick(b.x + b.width / 2, b.y + b.height / 2);
    for (let k = 0; k < 3; k++) await page.mouse.wheel(0, 300);
  }
  expect(checked).toBe(8);
  expect(maxLabels).toBe(4);
  await page.getByTestId('forecast-model').selectOption('particle');
  await page.mouse.move(5, 5);
  await page.keyboard.press('End');
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});

test('zoomed out early in the session the margin keeps a readable width instead of stretching 30 s over most of the chart', async () => {
  // The view is clamped to the session: zoomed out with now at 09:30 of the demo, now sits far
  // left and the margin used to run to the plot's right edge (1 s at ~100 px, 30 s at ~1,100 px).
  await ensureDemo();
  const b = await plotBox(page);
  await page.getByTestId('forecast-model').selectOption('particle');
  await page.getByTestId('jump-input').fill('09:30:00');
  await page.getByTestId('jump-go').click();
  await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
  await waitForView(page);
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  for (let k = 0; k < 10; k++) await page.mouse.wheel(0, 300);
  await page.mouse.move(5, 5);
  await waitForView(page);
  await expect.poll(marginForecast, { timeout: 30_000 }).not.toBeNull();
  await settle();
  await fullShot(page, 'fc-12-zoomed-out-early');
  const s = await windowState(page);
  const m = await page.evaluate(() => (window as unknown as Hook).__spymaster.margin.last as MarginLayout | null);
  expect(m).not.toBeNull();
  const xNow = ((s.nowIndex! - s.view.t0) / (s.view.t1 - s.view.t0)) * b.width;
  // Now is far from the right edge, but the margin is at most 22 % of the plot wide.
  expect(b.width - xNow).toBeGreaterThan(0.4 * b.width);
  const width = m!.box.x1 + 14 - m!.box.x0;
  console.log(`now at ${xNow.toFixed(0)} px of ${b.width.toFixed(0)}; margin ${width.toFixed(0)} px; labels ${m!.labels.map((l) => l.text).join(' | ')}`);
  expect(width).toBeLessThanOrEqual(0.22 * b.width + 1);
  expect(m!.labels.length).toBeGreaterThanOrEqual(2);
  for (const l of [...m!.labels, ...m!.ticks]) expect(l.x + l.w).toBeLessThanOrEqual(m!.box.x1 + 14);
  // Back to the default span at the session's end.
  await page.keyboard.press('End');
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  for (let k = 0; k < 10; k++) await page.mouse.wheel(0, -300);
  await page.mouse.dblclick(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.move(5, 5);
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});
