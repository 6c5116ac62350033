/// <reference lib="dom" />
// Volume profile and CVD strip end to end (real `serve`, engine, DuckDB, Chromium) on the
// demo: the toolbar's Profile toggle draws the buy/sell histogram at now's edge and the CVD
// strip along the plot's bottom — loading the trades itself while the bubbles are off — and
// toggling it off leaves the plot exactly as before.
import { expect, test, type Page } from '@playwright/test';
import { diffShare, type Image } from './support/png';
import { fullShot, plotPixels, useSharedPage, waitForView, gotoDemo } from './support/workstation';

test.describe.configure({ mode: 'serial' });

// src-renderer/profile/profileGeometry.ts
const PROFILE_W = 60;
const CVD_STRIP_H = 50;
// Bar colours (the trade bubbles' fills, over the panel's dark backing) and the CVD line's.
const isBarGreen = (r: number, g: number, b: number) => g > 130 && g > r + 60 && g > b + 40;
const isBarRed = (r: number, g: number, b: number) => r > 150 && r > g + 90 && r > b + 80;
const isCvdLine = (r: number, g: number, b: number) => isBarGreen(r, g, b) || isBarRed(r, g, b);

let page: Page;
const pageErrors: string[] = [];

useSharedPage((p) => (page = p), pageErrors);

/** Share of pixels that match `pred` in `on` but did not in `base` (what a layer newly drew). */
function newShare(base: Image, on: Image, pred: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  const a = base.data;
  const b = on.data;
  for (let i = 0; i < b.length; i += 4) if (pred(b[i], b[i + 1], b[i + 2]) && !pred(a[i], a[i + 1], a[i + 2])) n++;
  return n / (on.width * on.height);
}

function crop(img: Image, x0: number, y0: number, x1: number, y1: number): Image {
  const [a, b] = [Math.max(0, Math.round(x0)), Math.min(img.width, Math.round(x1))];
  const [c, d] = [Math.max(0, Math.round(y0)), Math.min(img.height, Math.round(y1))];
  const out = new Uint8Array((b - a) * (d - c) * 4);
  for (let y = c; y < d; y++) out.set(img.data.subarray((y * img.width + a) * 4, (y * img.width + b) * 4), (y - c) * (b - a) * 4);
  return { width: b - a, height: d - c, data: out };
}

async function settle(): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** now's x in the plot (the profile's right edge), and how many trade rows are held. */
async function layout(plotW: number): Promise<{ right: number; tradeRows: number }> {
  return page.evaluate((w) => {
    const s = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
    const v = s.view;
    let tradeRows = 0;
    for (const d of s.data.trades.values()) tradeRows += d.n;
    return { right: Math.min(w, ((s.nowIndex - v.t0) / (v.t1 - v.t0)) * w), tradeRows };
  }, plotW);
}

test('the Profile toggle draws the volume profile and the CVD strip, and leaves no trace when off', async () => {
  await gotoDemo(page);
  // A fixed place, late in the demo (09:25–09:45), whatever the specs before left: a 15-minute
  // view full of trades, so the histogram's bars are measured on the same picture every run.
  await page.getByTestId('jump-input').fill('09:42:00');
  await page.getByTestId('jump-go').click();
  await expect(page.getByTestId('clock')).toHaveText('09:42:00');
  await waitForView(page);
  await page.mouse.move(5, 5); // no crosshair over the plot
  // Bubbles off: the profile must bring the trades it needs by itself.
  await page.getByTestId('overlay-trades').uncheck();
  await expect(page.getByTestId('overlay-profile')).not.toBeChecked();
  await settle();
  const base = await plotPixels(page, 'vp-01-off');

  await page.getByTestId('overlay-profile').check();
  await expect.poll(async () => (await layout(base.width)).tradeRows, { timeout: 30_000 }).toBeGreaterThan(0);
  await settle();
  const on = await plotPixels(page, 'vp-02-profile');
  await fullShot(page, 'vp-02-profile');
  const { right } = await layout(on.width);
  await page.screenshot({ path: 'test-results/screens/vp-02-profile-zoom.png', clip: { x: Math.max(0, right - 700), y: 300, width: 800, height: 560 } });
  expect(right).toBeGreaterThan(PROFILE_W * 2);

  // The histogram: green and red bars inside the PROFILE_W px left of now, above the strip.
  const prof = crop(on, right - PROFILE_W, 0, right, on.height - CVD_STRIP_H);
  const profBase = crop(base, right - PROFILE_W, 0, right, base.height - CVD_STRIP_H);
  // (The panel's backing darkens the heatmap's own greens and reds below these thresholds.)
  expect(newShare(profBase, prof, isBarGreen)).toBeGreaterThan(0.01);
  expect(newShare(profBase, prof, isBarRed)).toBeGreaterThan(0.01);
  // The strip: the CVD line (1.5 px across a 50 px band: ~3 % of it), its zero line and label.
  const strip = crop(on, 0, on.height - CVD_STRIP_H, right, on.height);
  const stripBase = crop(base, 0, base.height - CVD_STRIP_H, right, base.height);
  expect(diffShare(stripBase, strip)).toBeGreaterThan(0.01);
  expect(newShare(stripBase, strip, isCvdLine)).toBeGreaterThan(0.002);
  // Nothing is drawn right of now: the prediction margin stays the forecast's.
  if (right < on.width - 4) expect(diffShare(crop(base, right + 2, 0, base.width, base.height), crop(on, right + 2, 0, on.width, on.height))).toBeLessThan(0.0005);

  await page.getByTestId('overlay-profile').uncheck();
  await settle();
  const off = await plotPixels(page, 'vp-03-off-again');
  expect(diffShare(base, off)).toBeLessThan(0.0002);

  // Leave the demo as the other specs expect it: bubbles on, profile off.
  await page.getByTestId('overlay-trades').check();
  expect(pageErrors).toEqual([]);
});
