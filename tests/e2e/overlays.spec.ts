/// <reference lib="dom" />
// Overlays end to end (real `serve`, engine, DuckDB, Chromium): walls/voids markers and trade
// bubbles appear when toggled on and leave no trace when toggled off; on the real ESH4 hour
// the tooltip shows a wall's strength. Ends on the demo again, as the other specs expect.
import { expect, test, type Page } from '@playwright/test';
import { diffShare, share } from './support/png';
import { ESH4_FILE, fullShot, openPath, plotBox, plotPixels, useSharedPage, waitForView, windowState, gotoDemo } from './support/workstation';

test.describe.configure({ mode: 'serial' });

// Marker colours of src-renderer/render/overlayMarks.ts, as composited over the heatmap.
// Walls are light to sky blue (#bae6fd, #7dd3fc, #38bdf8 by rank), a hue neither palette has.
const isWallBlue = (r: number, g: number, b: number) => b > 200 && b > r + 60 && b > g + 15 && g > 150;
const isBubbleGreen = (r: number, g: number, b: number) => g > 150 && g > r + 60 && g > b + 40;
const isBubbleRed = (r: number, g: number, b: number) => r > 190 && r > g + 110 && r > b + 100;

let page: Page;
const pageErrors: string[] = [];

useSharedPage((p) => (page = p), pageErrors);

/** Waits until the overlay's chunks under the view have arrived and been drawn. */
async function overlayDrawn(kind: 'wallsVoids' | 'trades'): Promise<void> {
  await expect
    .poll(() => page.evaluate((k) => (window as unknown as { __spymaster: any }).__spymaster.chart.getState().data?.[k].size ?? 0, kind), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function settle(): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('trade bubbles and wall/void markers appear when toggled on and vanish when toggled off', async () => {
  await gotoDemo(page);
  await page.mouse.move(5, 5); // no crosshair over the plot
  // Trades are on by default (a Bookmap user expects the volume dots).
  await expect(page.getByTestId('overlay-trades')).toBeChecked();
  await overlayDrawn('trades');
  await page.getByTestId('overlay-trades').uncheck();
  await settle();
  const base = await plotPixels(page, 'ov-01-off');

  await page.getByTestId('overlay-trades').check();
  await overlayDrawn('trades');
  const trades = await plotPixels(page, 'ov-02-trades');
  expect(diffShare(base, trades)).toBeGreaterThan(0.0005);
  expect(share(trades, isBubbleGreen) + share(trades, isBubbleRed)).toBeGreaterThan(share(base, isBubbleGreen) + share(base, isBubbleRed));

  await page.getByTestId('overlay-walls').check();
  await overlayDrawn('wallsVoids');
  const both = await plotPixels(page, 'ov-03-walls-trades');
  expect(share(both, isWallBlue)).toBeGreaterThan(share(base, isWallBlue) + 0.0005);

  await page.getByTestId('overlay-trades').uncheck();
  await page.getByTestId('overlay-walls').uncheck();
  await settle();
  const off = await plotPixels(page, 'ov-04-off-again');
  // Same view, same heatmap: nothing of either overlay is left.
  expect(diffShare(base, off)).toBeLessThan(0.0002);
  expect(pageErrors).toEqual([]);
});

test('on the real ESH4 hour the overlays draw around 4800 and the tooltip shows a wall’s strength', async () => {
  await page.getByTestId('overlay-trades').check();
  await page.getByTestId('overlay-walls').check();
  await openPath(page, ESH4_FILE);
  await expect.poll(async () => (await windowState(page)).symbol, { timeout: 200_000 }).toBe('ESH4');
  await waitForView(page, 120_000);
  await overlayDrawn('trades');
  await overlayDrawn('wallsVoids');
  await page.mouse.move(5, 5);
  const img = await plotPixels(page, 'ov-05-esh4');
  await fullShot(page, 'ov-05-esh4');
  expect(share(img, isWallBlue)).toBeGreaterThan(0.0005);
  // The first Globex quarter-hour trades thinly (mostly 1–5 lots): small bubbles of both colours.
  expect(share(img, isBubbleGreen)).toBeGreaterThan(0.00003);
  expect(share(img, isBubbleRed)).toBeGreaterThan(0.00003);

  // Hover a nearest (rank 1) wall of a visible window a minute before now.
  const target = await page.evaluate(() => {
    const s = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
    const want = s.nowIndex - 60;
    for (const d of s.data.wallsVoids.values()) {
      for (let i = 0; i < d.n; i++) {
        if (d.wi[i] === want && d.kind[i] === 87 && d.rank[i] === 1 && d.row[i] > s.view.p0 + 2 && d.row[i] < s.view.p1 - 2) {
          return { wi: d.wi[i], row: d.row[i], strength: d.strength[i], view: s.view };
        }
      }
    }
    return null;
  });
  expect(target).not.toBeNull();
  const b = await plotBox(page);
  const v = target!.view;
  const x = b.x + ((target!.wi - 0.5 - v.t0) / (v.t1 - v.t0)) * b.width;
  const y = b.y + b.height - ((target!.row - v.p0) / (v.p1 - v.p0)) * b.height;
  await page.mouse.move(x, y);
  await expect(page.getByTestId('tt-wall').first()).toContainText(/^Wall [▲▼] #1 · strength \d/);
  await fullShot(page, 'ov-06-esh4-tooltip');
  await page.mouse.move(5, 5);

  // Back to the demo, where the other specs start.
  await page.getByTestId('overlay-trades').uncheck();
  await page.getByTestId('overlay-walls').uncheck();
  await page.getByTestId('open-file').click();
  await page.getByRole('button', { name: 'Open demo session' }).click();
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 120_000 }).toBe(true);
  expect(pageErrors).toEqual([]);
});
