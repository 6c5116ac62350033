/// <reference lib="dom" />
// The window as a Bookmap / Sierra Chart user reads it (issue 13), end to end at 1920×1080 on
// the real `serve`, engine, DuckDB and Chromium: round-number price grid, walls/voids markers
// that stand out on every palette (measured pixel contrast on the demo and the real ESH4 hour),
// axis labels that give way to the spot/bid/ask/now/crosshair tags (checked on the axes'
// pixels too), a CVD cumulated from the session's start whatever the view, and a labelled,
// switchable time zone. Screenshots in test-results/screens/tr-*. Ends on the demo.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodePng, type Image } from './support/png';
import { ESH4_FILE, SHOTS, openPath, plotPixels, settle, waitForView, windowState, gotoDemo } from './support/workstation';
import type { WallsVoids } from '../../src-renderer/data/overlayData';
import { plotRect } from '../../src-renderer/data/viewMath';
import { markerBox, wallVoidMarkers } from '../../src-renderer/render/overlayMarks';

test.describe.configure({ mode: 'serial' });

interface Span {
  a: number;
  b: number;
  text: string;
}
interface Axes {
  priceStep: number;
  priceLabels: (Span & { price: number })[];
  priceTags: (Span & { kind: string })[];
  timeLabels: Span[];
  timeTags: (Span & { kind: string })[];
  zone: string;
  zoneLabel: string;
}

let page: Page;
const pageErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await gotoDemo(page);
});
test.afterAll(async () => {
  await page?.close();
});

const hook = `(window.__spymaster)`;
const axes = (): Promise<Axes> => page.evaluate(`${hook}.axes.last`) as Promise<Axes>;

async function chartBox() {
  return (await page.getByTestId('chart').boundingBox())!;
}

async function shot(name: string): Promise<Image> {
  return decodePng(await page.screenshot({ path: join(SHOTS, `tr-${name}.png`) }));
}

/**
 * A wide view (as much of the session as the clamp allows) at the end of the session, and
 * about 100 price rows (the default's span) round the spot; the mouse off the plot.
 */
async function wideView(): Promise<void> {
  const box = await chartBox();
  await page.mouse.move(box.x + 900, box.y + 300);
  for (let k = 0; k < 8; k++) await page.mouse.wheel(0, 300);
  await page.keyboard.press('End');
  const axisX = box.x + box.width - 40;
  await page.mouse.move(axisX, box.y + 300);
  for (let k = 0; k < 6; k++) await page.mouse.wheel(0, 300);
  await waitForView(page);
  await page.waitForTimeout(700);
  const spot = (await axes()).priceTags.find((t) => t.kind === 'spot');
  await page.mouse.move(axisX, box.y + (spot ? (spot.a + spot.b) / 2 : box.height / 2));
  for (let k = 0; k < 2; k++) await page.mouse.wheel(0, -300);
  await page.mouse.move(5, 5);
  await waitForView(page);
}

const overlaps = (p: { a: number; b: number }, q: { a: number; b: number }) => p.b > q.a && p.a < q.b;

test('price grid and labels sit on round prices at every zoom (ES tick 0.25)', async () => {
  const box = await chartBox();
  const axisX = box.x + box.width - 40;
  const midY = box.y + box.height / 2;
  const steps = new Set<number>();
  // Zoom the price axis in to its limit, then out to the whole grid, a few notches at a time.
  for (const [notches, dir] of [
    [0, 1],
    [8, -1],
    [4, 1],
    [4, 1],
    [4, 1],
    [8, 1],
  ] as const) {
    await page.mouse.move(axisX, midY);
    for (let k = 0; k < notches; k++) await page.mouse.wheel(0, 300 * dir);
    await page.mouse.move(5, 5);
    await settle(page);
    await page.waitForTimeout(200);
    const a = await axes();
    steps.add(a.priceStep);
    await shot(`grid-step-${a.priceStep}`);
    expect([0.25, 0.5, 1, 2, 5, 10, 25, 50, 100]).toContain(a.priceStep);
    expect(a.priceLabels.length).toBeGreaterThan(3);
    for (const l of a.priceLabels) {
      // A multiple of the step (6555.00 with a 5-point step, never 6553.25), printed as ES prints.
      expect(Math.abs(l.price / a.priceStep - Math.round(l.price / a.priceStep))).toBeLessThan(1e-9);
      expect(l.text).toBe(l.price.toFixed(2));
      if (a.priceStep >= 1) expect(l.text).toMatch(/\.00$/);
    }
    const ys = a.priceLabels.map((l) => (l.a + l.b) / 2).sort((p, q) => p - q);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(33);
  }
  console.log('price steps seen', [...steps].sort((p, q) => p - q).join(', '));
  expect(steps.size).toBeGreaterThanOrEqual(3);
  expect([...steps].some((s) => s >= 1)).toBe(true);
  expect([...steps].some((s) => s < 1)).toBe(true);
  expect(pageErrors).toEqual([]);
});

/** The axis background (#0a0d12) within a tolerance: no glyph, tag or line there. */
const isAxisBg = (img: Image, x: number, y: number) => {
  const i = (Math.round(y) * img.width + Math.round(x)) * 4;
  return Math.abs(img.data[i] - 10) < 24 && Math.abs(img.data[i + 1] - 13) < 24 && Math.abs(img.data[i + 2] - 18) < 24;
};

test('axis labels never overlap the now, spot, bid, ask or crosshair tags (mouse at many places, zoomed in and out)', async () => {
  await page.mouse.move(5, 5);
  await page.getByTestId('field-select').selectOption('rho');
  await waitForView(page);
  const box = await chartBox();
  const plotBottom = box.y + box.height - 28;
  const plotRight = box.x + box.width - 76;
  let checked = 0;
  for (const zoom of ['default', 'time-in', 'price-out'] as const) {
    if (zoom === 'time-in') {
      await page.mouse.move(plotRight - 200, box.y + box.height / 2);
      for (let k = 0; k < 4; k++) await page.mouse.wheel(0, -300);
    } else if (zoom === 'price-out') {
      await page.mouse.move(plotRight + 30, box.y + box.height / 2);
      for (let k = 0; k < 6; k++) await page.mouse.wheel(0, 300);
    }
    await waitForView(page);
    const s = await windowState(page);
    const xNow = box.x + ((s.nowIndex! - s.view.t0) / (s.view.t1 - s.view.t0)) * (box.width - 76);
    const spot = (await axes()).priceTags.find((t) => t.kind === 'spot');
    const ySpot = spot ? box.y + (spot.a + spot.b) / 2 : box.y + box.height / 2;
    // Just left of now (the two time tags side by side), on the spot, a tick or two off it (the
    // crosshair tag against spot/bid/ask), far left, near the plot's bottom and top.
    const spots: [number, number][] = [
      [xNow - 40, ySpot],
      [xNow - 75, ySpot + 6],
      [xNow - 110, ySpot - 10],
      [xNow - 5, ySpot + 25],
      [box.x + 30, box.y + 40],
      [box.x + 400, plotBottom - 4],
      [box.x + 800, ySpot - 60],
      [box.x + 1200, ySpot + 90],
    ];
    for (const [i, [x, y]] of spots.entries()) {
      await page.mouse.move(x, y);
      await settle(page);
      const a = await axes();
      const img = await shot(`axes-${zoom}-${i}`);
      // The tooltip stays inside the plot: it never hangs over the axes and their tags.
      const tip = await page.getByTestId('tooltip').boundingBox();
      if (tip) {
        expect(tip.y + tip.height).toBeLessThanOrEqual(plotBottom + 1);
        expect(tip.x + tip.width).toBeLessThanOrEqual(plotRight + 1);
      }
      const kinds = a.priceTags.map((t) => t.kind);
      expect(kinds).toContain('cross');
      expect(a.timeTags.map((t) => t.kind)).toContain('cross');
      if (spot) expect(kinds).toEqual(expect.arrayContaining(['spot', 'bid', 'ask']));
      // Spot, bid and ask tags are stacked, never on top of each other.
      const book = a.priceTags.filter((t) => t.kind !== 'cross');
      for (const p of book) for (const q of book) if (p !== q) expect(overlaps(p, q)).toBe(false);
      for (const l of a.priceLabels) for (const t of a.priceTags) expect(overlaps(l, t), `${l.text} under the ${t.kind} tag ${t.text}`).toBe(false);
      for (const l of a.timeLabels) for (const t of a.timeTags) expect(overlaps(l, t), `${l.text} under the ${t.kind} tag ${t.text}`).toBe(false);
      // On the pixels: just outside each time tag, at the labels' height, the axis is empty
      // (no "09:38:5" peeking out from under "09:40:12").
      for (const t of a.timeTags) {
        const covered = (x: number) => a.timeTags.some((o) => o !== t && x >= o.a - 1 && x <= o.b + 1);
        for (const x of [t.a - 2, t.a - 3, t.b + 2, t.b + 3]) {
          if (x < box.x + 2 || x > plotRight - 2 || covered(x)) continue;
          for (let y = plotBottom + 9; y <= plotBottom + 19; y++) expect(isAxisBg(img, box.x + x, y), `pixel ${x},${y - plotBottom} beside the ${t.kind} tag`).toBe(true);
        }
      }
      // …and just above/below each price tag on the price axis.
      for (const t of a.priceTags) {
        const covered = (y: number) => a.priceTags.some((o) => o !== t && y >= o.a - 1 && y <= o.b + 1);
        for (const y of [t.a - 2, t.b + 2]) {
          if (y < 8 || y > box.height - 30 || covered(y)) continue;
          for (let x = plotRight + 8; x <= plotRight + 66; x++) expect(isAxisBg(img, x, box.y + y), `pixel ${x - plotRight},${y} beside the ${t.kind} tag`).toBe(true);
        }
      }
      checked++;
    }
  }
  expect(checked).toBe(24);
  // Back to following now at the default zoom.
  await page.mouse.move(box.x + 600, box.y + 300);
  await page.keyboard.press('End');
  expect(pageErrors).toEqual([]);
});

test('the time axis names its zone and switches between New York and Chicago', async () => {
  await page.mouse.move(5, 5);
  await waitForView(page);
  await page.waitForTimeout(700); // past any seek's hold of the last picture
  const ny = await axes();
  expect(ny.zone).toBe('America/New_York');
  expect(ny.zoneLabel).toBe('EST'); // the demo is a January session
  await page.getByTestId('time-zone').selectOption('America/Chicago');
  await expect.poll(async () => (await axes()).zone).toBe('America/Chicago');
  const chi = await axes();
  expect(chi.zoneLabel).toBe('CST');
  await shot('zone-chicago');
  // The same grid instant reads an hour earlier in Chicago.
  let compared = 0;
  for (const l of ny.timeLabels) {
    const c = chi.timeLabels.find((m) => Math.abs((m.a + m.b) / 2 - (l.a + l.b) / 2) < 1);
    if (!c) continue;
    const h = (t: string) => Number(t.slice(0, 2));
    expect(c.text.slice(2)).toBe(l.text.slice(2));
    expect(h(c.text)).toBe((h(l.text) + 23) % 24);
    compared++;
  }
  expect(compared).toBeGreaterThan(4);
  await page.getByTestId('time-zone').selectOption('');
  await expect.poll(async () => (await axes()).zoneLabel).toBe('EST');
  expect(pageErrors).toEqual([]);
});

test('the CVD strip cumulates from the session start: the value at now does not depend on the view', async () => {
  await wideView();
  await page.getByTestId('overlay-profile').check();
  await waitForView(page);
  const readout = () => page.evaluate(`${hook}.cvd.last`) as Promise<{ anchorIndex: number; fromSessionStart: boolean; last: number; hi: number } | null>;
  await expect.poll(async () => (await readout())?.fromSessionStart, { timeout: 30_000 }).toBe(true);
  const wide = (await readout())!;
  expect(wide.anchorIndex).toBe(0);
  await shot('cvd-wide');
  // Independently: Σ buy − sell aggressor volume of every trade row up to now.
  const expected = await page.evaluate((hi) => {
    const d = (window as unknown as { __spymaster: any }).__spymaster.chart.getState().data;
    let v = 0;
    for (const t of d.trades.values()) for (let i = 0; i < t.n; i++) if (t.wi[i] <= hi) v += t.side[i] === 66 ? t.volume[i] : t.side[i] === 65 ? -t.volume[i] : 0;
    return v;
  }, wide.hi);
  expect(wide.last).toBe(expected);
  // Zoom time in around now: the view now starts minutes later, the CVD at now is the same.
  const box = await chartBox();
  const s = await windowState(page);
  const xNow = box.x + ((s.nowIndex! - s.view.t0) / (s.view.t1 - s.view.t0)) * (box.width - 76);
  await page.mouse.move(xNow - 2, box.y + 300);
  for (let k = 0; k < 5; k++) await page.mouse.wheel(0, -300);
  await page.mouse.move(5, 5);
  await waitForView(page);
  const s2 = await windowState(page);
  expect(s2.view.t0).toBeGreaterThan(s.view.t0 + 120);
  const narrow = (await readout())!;
  await shot('cvd-narrow');
  expect(narrow.hi).toBe(wide.hi);
  expect(narrow.anchorIndex).toBe(0);
  expect(narrow.last).toBe(wide.last);
  await page.keyboard.press('End');
  await page.getByTestId('overlay-profile').uncheck();
  expect(pageErrors).toEqual([]);
});

/** WCAG contrast ratio of two sRGB colours (1 = identical, 21 = black on white). */
function contrast(r1: number, g1: number, b1: number, r2: number, g2: number, b2: number): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const lum = (r: number, g: number, b: number) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const [l1, l2] = [lum(r1, g1, b1), lum(r2, g2, b2)];
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/**
 * For each wall/void marker on screen: the share of its pixels (box plus one pixel round it)
 * whose colour with the markers on stands at ≥ 3:1 contrast (WCAG for graphics) against the
 * heatmap pixel under it with the markers off. A marker counts as visible when a quarter of
 * its pixels do. Returns the share of visible markers and how many were measured.
 */
async function markerContrast(name: string): Promise<{ visible: number; n: number }> {
  await page.getByTestId('overlay-walls').uncheck();
  await page.mouse.move(5, 5);
  await settle(page);
  await page.waitForTimeout(200);
  const off = await plotPixels(page, `tr-walls-${name}-off`);
  await page.getByTestId('overlay-walls').check();
  // Every walls/voids chunk the view shows has arrived.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const s = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
        const held = s.data.overlayChunks.get('walls_voids');
        const lo = Math.max(0, Math.floor(s.view.t0));
        const hi = Math.min(s.nowIndex, Math.ceil(s.view.t1));
        for (let c = Math.floor(lo / 300); c <= Math.floor(hi / 300); c++) if (held?.get(c) !== 'loaded') return false;
        return true;
      }),
      { timeout: 30_000 },
    )
    .toBe(true);
  await waitForView(page);
  await page.waitForTimeout(300);
  const on = await plotPixels(page, `tr-walls-${name}-on`);
  const st = (await page.evaluate(() => {
    const s = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
    const el = document.querySelector('[data-testid="chart"]')!.getBoundingClientRect();
    return {
      view: s.view,
      nowIndex: s.nowIndex,
      w: el.width,
      h: el.height,
      chunks: [...s.data.wallsVoids.values()].map((d: any) => ({ n: d.n, wi: [...d.wi], row: [...d.row], kind: [...d.kind], rank: [...d.rank] })),
    };
  })) as { view: { t0: number; t1: number; p0: number; p1: number }; nowIndex: number; w: number; h: number; chunks: { n: number; wi: number[]; row: number[]; kind: number[]; rank: number[] }[] };
  const chunks = st.chunks.map((c) => ({ n: c.n, wi: Int32Array.from(c.wi), row: Float32Array.from(c.row), kind: Uint8Array.from(c.kind), rank: Uint8Array.from(c.rank) }) as unknown as WallsVoids);
  const plot = plotRect(st.w, st.h);
  const marks = wallVoidMarkers(chunks, st.view, plot, st.nowIndex);
  let n = 0;
  let visible = 0;
  for (const m of marks) {
    // The marker's pixels as drawn (on whole pixels) and the one-pixel ring round them.
    const bx = markerBox(m);
    const x0 = Math.max(0, bx.x - 1 - plot.x);
    const x1 = Math.min(on.width - 1, bx.x + bx.w - plot.x);
    const y0 = Math.max(0, bx.y - 1 - plot.y);
    const y1 = Math.min(on.height - 1, bx.y + bx.h - plot.y);
    if (x1 - x0 < 1 || y1 - y0 < 1) continue;
    let strong = 0;
    let all = 0;
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const i = (y * on.width + x) * 4;
        all++;
        if (contrast(on.data[i], on.data[i + 1], on.data[i + 2], off.data[i], off.data[i + 1], off.data[i + 2]) >= 3) strong++;
      }
    n++;
    if (strong >= all / 4) visible++;
  }
  return { visible: n ? visible / n : 0, n };
}

async function hideOthers(): Promise<void> {
  await wideView();
  await page.getByTestId('overlay-trades').uncheck();
  await page.getByTestId('overlay-profile').uncheck();
  await page.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.chart.setState({ showSpot: false }));
}

async function restoreOthers(): Promise<void> {
  await page.getByTestId('overlay-walls').uncheck();
  await page.getByTestId('overlay-trades').check();
  await page.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.chart.setState({ showSpot: true }));
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
}

test('walls/voids markers stand out on every palette: measured contrast on the demo', async () => {
  await hideOthers();
  const out: Record<string, { visible: number; n: number }> = {};
  // rho: the inferno-like sequential palette; liquidity_velocity: the red/green diverging one.
  for (const field of ['rho', 'liquidity_velocity', 'nu']) {
    await page.getByTestId('field-select').selectOption(field);
    await waitForView(page);
    out[field] = await markerContrast(`demo-${field}`);
  }
  console.log('demo marker contrast', JSON.stringify(out));
  for (const r of Object.values(out)) {
    expect(r.n).toBeGreaterThan(200);
    expect(r.visible).toBeGreaterThan(0.95);
  }
  await restoreOthers();
  expect(pageErrors).toEqual([]);
});

test('walls/voids markers stand out on the real ESH4 hour, then back on the demo', async () => {
  await openPath(page, ESH4_FILE);
  await expect.poll(async () => (await windowState(page)).symbol, { timeout: 200_000 }).toBe('ESH4');
  await waitForView(page, 120_000);
  await hideOthers();
  const out: Record<string, { visible: number; n: number }> = {};
  for (const field of ['rho', 'liquidity_velocity']) {
    await page.getByTestId('field-select').selectOption(field);
    await waitForView(page);
    out[field] = await markerContrast(`esh4-${field}`);
  }
  console.log('ESH4 marker contrast', JSON.stringify(out));
  for (const r of Object.values(out)) {
    expect(r.n).toBeGreaterThan(200);
    expect(r.visible).toBeGreaterThan(0.95);
  }
  await restoreOthers();
  // A trader's look at the real hour: walls, trades, profile and CVD on, crosshair on the book.
  await page.getByTestId('field-select').selectOption('rho');
  await page.getByTestId('overlay-walls').check();
  await page.getByTestId('overlay-profile').check();
  await waitForView(page);
  const box = await chartBox();
  await page.mouse.move(box.x + 1300, box.y + 420);
  await page.waitForTimeout(500);
  await shot('esh4-trader-view');
  await page.getByTestId('overlay-walls').uncheck();
  await page.getByTestId('overlay-profile').uncheck();
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  // Leave the shared engine on the demo for the specs after this one.
  await page.getByTestId('open-file').click();
  await page.getByTestId('open-dialog').getByRole('button', { name: 'Open demo session' }).click();
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 120_000 }).toBe(true);
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});

test('right of now the clock axis gives way to the forecast margin: no clock labels there, the crosshair reads the horizon', async () => {
  // The margin has its own √ horizon axis (1…30 s over ~200 px): a clock label under it
  // ("09:41" beside the 10 s tick) or a crosshair tag of the linear clock ("19:00:02" while
  // the margin's tooltip says "+7 s · 19:00:07") gives two times for one place.
  if (!(await windowState(page)).isDemo) await page.goto('/');
  await page.mouse.move(5, 5);
  await page.keyboard.press('End');
  await waitForView(page);
  await page.getByTestId('forecast-toggle').check();
  await settle(page);
  const box = await chartBox();
  const plotW = box.width - 76;
  const state = await windowState(page);
  const xNow = ((state.nowIndex! - state.view.t0) / (state.view.t1 - state.view.t0)) * plotW;
  const margin = (await page.evaluate(`${hook}.margin.last`)) as { box: { x0: number; x1: number } } | null;
  expect(margin).not.toBeNull();
  expect(margin!.box.x1 - margin!.box.x0).toBeGreaterThan(120);
  const on = await axes();
  await shot('clock-stops-at-now');
  expect(on.timeLabels.length).toBeGreaterThan(4);
  for (const l of on.timeLabels) expect(l.b, `time label ${l.text} under the forecast margin`).toBeLessThanOrEqual(xNow + 1);

  // The crosshair over the 10 s horizon: its time tag names the horizon and the same clock as the tooltip.
  const x10 = margin!.box.x0 + Math.sqrt(10 / 30) * (margin!.box.x1 - margin!.box.x0);
  await page.mouse.move(box.x + x10, box.y + box.height / 2);
  const tip = page.getByTestId('forecast-tooltip');
  await expect(tip).toBeVisible();
  await settle(page);
  await shot('margin-crosshair');
  const cross = (await axes()).timeTags.find((t) => t.kind === 'cross');
  expect(cross?.text).toMatch(/^\+10s \d\d:\d\d:\d\d$/);
  const tipTime = (await tip.getByTestId('ft-horizon').textContent())!.match(/(\d\d:\d\d:\d\d)$/)![1];
  expect(cross!.text.endsWith(tipTime)).toBe(true);

  // Forecast off: the future is plain clock time again, labelled as such.
  await page.mouse.move(5, 5);
  await page.getByTestId('forecast-toggle').uncheck();
  await settle(page);
  const off = await axes();
  expect(off.timeLabels.some((l) => l.a > xNow)).toBe(true);
  await page.getByTestId('forecast-toggle').check();
  await settle(page);
  expect(pageErrors).toEqual([]);
});

test('at 1920 × 1080 the toolbar is one row and the field selector shows the default field\'s full name', async () => {
  // Two rows cost the chart 28 px of a 1080-px screen for the engine's status word (or
  // "ESH6 · demo · cached"), and the default field read "Liquidity building / eroding (Liquidity ve".
  if (!(await windowState(page)).isDemo) await page.goto('/');
  await waitForView(page);
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  await waitForView(page);
  await shot('toolbar-1920');
  const m = await page.evaluate(() => {
    const tb = document.querySelector('.toolbar')!.getBoundingClientRect();
    const sel = document.querySelector('[data-testid=field-select]') as HTMLSelectElement;
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = getComputedStyle(sel).font;
    const conn = document.querySelector('.conn')?.textContent ?? '';
    // The text area of a closed <select>: its inner width less the padding and the arrow (~20 px).
    const style = getComputedStyle(sel);
    const room = sel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    return { height: tb.height, text: sel.selectedOptions[0].text, textW: ctx.measureText(sel.selectedOptions[0].text).width, room, conn };
  });
  console.log('toolbar', JSON.stringify(m));
  expect(m.text).toContain('Liquidity building / eroding');
  expect(m.height).toBeLessThanOrEqual(46);
  expect(m.textW).toBeLessThanOrEqual(m.room);
  // The engine's state and what is open are still on screen (in the transport bar).
  expect(m.conn).toContain('engine');
  await expect(page.getByTestId('session-label')).toContainText('ESH6 · demo');
  // With past forecasts on, their horizon selector joins the toolbar: still one row.
  await page.getByTestId('forecast-past').check();
  expect(await page.evaluate(() => document.querySelector('.toolbar')!.getBoundingClientRect().height)).toBeLessThanOrEqual(46);
  await page.getByTestId('forecast-past').uncheck();
  expect(pageErrors).toEqual([]);
});

test('the timeline shows the whole session: the part not loaded yet is a visible track, not the footer\'s colour', async () => {
  // A fresh page holds only the view's windows (09:30–09:45 of the demo's 09:25–09:45).
  await page.goto('/');
  await waitForView(page, 200_000);
  await page.mouse.move(5, 5);
  await settle(page);
  const tl = (await page.getByTestId('timeline').boundingBox())!;
  const img = decodePng(await page.screenshot({ path: join(SHOTS, 'tr-timeline.png'), clip: { x: tl.x, y: tl.y, width: tl.width, height: tl.height } }));
  const s = await windowState(page);
  const loaded0 = await page.evaluate(() => {
    const st = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
    for (let i = 0; i < st.geom.windowCount; i++) if (st.data.ring.has(i)) return i;
    return -1;
  });
  // A window before the first loaded one and before the view: unloaded track.
  const at = Math.floor(Math.min(loaded0, s.view.t0) / 2);
  expect(at).toBeGreaterThan(10);
  const x = Math.round((at / (s.windowCount - 1)) * (img.width - 1));
  const i = (13 * img.width + x) * 4;
  const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
  // The footer is #11151c.
  const diff = Math.abs(r - 0x11) + Math.abs(g - 0x15) + Math.abs(b - 0x1c);
  console.log(`timeline at window ${at} (x ${x}): rgb(${r}, ${g}, ${b}), ${diff} from the footer`);
  expect(diff).toBeGreaterThanOrEqual(24);
  expect(pageErrors).toEqual([]);
});

test('after a mouse click on a toolbar control the keyboard drives the replay: Space plays and pauses, ← steps', async () => {
  // Space used to toggle the just-clicked "Trades" checkbox (or open the just-used select)
  // instead of playing; a jump typed in the box kept the keyboard in it.
  if (!(await windowState(page)).isDemo) await page.goto('/');
  await waitForView(page);
  await page.mouse.move(5, 5);
  const playback = async () => (await windowState(page)).playback;
  if ((await playback()) === 'playing') await page.getByTestId('play').click();
  await expect.poll(playback).toBe('paused');
  const spaceToggles = async (what: string) => {
    await page.keyboard.press('Space');
    await expect.poll(playback, { message: `Space after ${what}` }).toBe('playing');
    await page.keyboard.press('Space');
    await expect.poll(playback, { message: `Space again after ${what}` }).toBe('paused');
  };
  // A jump typed and sent (mid-session: at the session's last window there is nothing to
  // play): ← then steps back one second.
  await page.getByTestId('jump-input').fill('09:35:00');
  await page.getByTestId('jump-go').click();
  await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
  await waitForView(page);
  const at = (await windowState(page)).nowIndex!;
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(at - 1);
  await expect(page.getByTestId('jump-input')).not.toBeFocused();
  // A checkbox clicked twice with the mouse (trades off, on): Space plays, the box stays on.
  await page.getByTestId('overlay-trades').click();
  await page.getByTestId('overlay-trades').click();
  await spaceToggles('the Trades checkbox');
  await expect(page.getByTestId('overlay-trades')).toBeChecked();
  // A field picked in the selector.
  await page.getByTestId('field-select').selectOption('rho');
  await waitForView(page);
  await spaceToggles('the field selector');
  await expect(page.getByTestId('field-select')).toHaveValue('rho');
  // The Play button clicked: one Space pauses (not a second press of the button as well).
  await page.getByTestId('play').click();
  await expect.poll(playback).toBe('playing');
  await page.keyboard.press('Space');
  await expect.poll(playback).toBe('paused');
  await page.waitForTimeout(300);
  expect(await playback()).toBe('paused');
  // Keyboard use of a control is left alone: focus it and change it with the arrows.
  await page.getByTestId('field-select').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('field-select')).toBeFocused();
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // End goes to the session's last window; the specs after this one step and play from where
  // they find the demo, so leave it mid-session.
  await page.keyboard.press('End');
  await waitForView(page);
  await page.getByTestId('jump-input').fill('09:40:00');
  await page.getByTestId('jump-go').click();
  await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});
