/// <reference lib="dom" />
// The window as a futures trader judges it (issue 13): the crosshair always describes the cell
// under the pointer, first views show structure, the view stays on the session, alerts hide
// nothing. One page, the demo first, like workstation.spec.ts; screenshots in test-results/screens.
import { expect, test, type Page } from '@playwright/test';
import { clockOf, fullShot, plotBox, useSharedPage, waitForView, windowState, type WindowState } from './support/workstation';

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
useSharedPage((p) => (page = p), pageErrors);

/** Window index under a page point for the view the window holds now (column i spans [i−1, i]). */
async function cellUnder(x: number, y: number): Promise<{ wi: number; row: number; s: WindowState }> {
  const s = await windowState(page);
  const b = await plotBox(page);
  const t = s.view.t0 + ((x - b.x) / b.width) * (s.view.t1 - s.view.t0);
  const p = s.view.p0 + ((b.y + b.height - y) / b.height) * (s.view.p1 - s.view.p0);
  return { wi: Math.floor(t) + 1, row: Math.round(p), s };
}

async function tooltipClock(): Promise<string> {
  const head = (await page.getByTestId('tooltip').locator('.tt-head span').first().textContent()) ?? '';
  return head.split(' ').pop()!;
}

test('the crosshair and tooltip follow the view under a still mouse: wheel zoom, seek, step', async () => {
  await page.goto('/');
  const s0 = await waitForView(page, 200_000);
  const b = await plotBox(page);
  // A point a third of the way into the plot, left of now.
  const x = b.x + b.width * 0.35;
  const y = b.y + b.height * 0.5;
  await page.mouse.move(x, y);
  const tip = page.getByTestId('tooltip');
  await expect(tip).toBeVisible();
  const c0 = await cellUnder(x, y);
  expect(await tooltipClock()).toBe(clockOf(s0, c0.wi));
  // Wheel zoom in under the still mouse: the column under the pointer changes.
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await windowState(page)).view.t1 - (await windowState(page)).view.t0).toBeLessThan(s0.view.t1 - s0.view.t0 - 50);
  await waitForView(page);
  const c1 = await cellUnder(x, y);
  expect(c1.wi).not.toBe(c0.wi);
  await expect.poll(tooltipClock).toBe(clockOf(c1.s, c1.wi));
  await fullShot(page, 'w01-after-wheel');
  // Step the playhead 10 s (the view follows now): the tooltip moves with it.
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(c1.s.nowIndex! + 10);
  await waitForView(page);
  const c2 = await cellUnder(x, y);
  expect(c2.wi).toBe(c1.wi + 10);
  await expect.poll(tooltipClock).toBe(clockOf(c2.s, c2.wi));
  // The hook's derived cell is the one under the pointer for the view held now.
  const derived = await page.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.hoveredCell());
  expect(derived.windowIndex).toBe(c2.wi);
  expect(derived.row).toBe(c2.row);
  await fullShot(page, 'w02-after-step');
  expect(pageErrors).toEqual([]);
});
