/// <reference lib="dom" />
// The window as a futures trader judges it (issue 13): the crosshair always describes the cell
// under the pointer, first views show structure, the view stays on the session, alerts hide
// nothing. One page, the demo first, like workstation.spec.ts; screenshots in test-results/screens.
import { expect, test, type Page } from '@playwright/test';
import { isPainted, share } from './support/png';
import { clockOf, ESH4_FILE, fullShot, openPath, plotBox, plotPixels, useSharedPage, waitForView, windowState, type WindowState } from './support/workstation';

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

/**
 * Share of plot pixels that show something (not the background or the neutral near-black), and
 * the share of the plot's cells that are active (non-zero data) for the same view: a sparse
 * field (fills happen at few levels) cannot paint more than its active cells.
 */
async function fieldShares(tag: string): Promise<Record<string, { painted: number; active: number }>> {
  const fields = await page.getByTestId('field-select').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const out: Record<string, { painted: number; active: number }> = {};
  for (const f of fields) {
    await page.getByTestId('field-select').selectOption(f);
    await expect.poll(async () => (await windowState(page)).field).toBe(f);
    await waitForView(page);
    await page.waitForTimeout(50);
    const img = await plotPixels(page, `${tag}-${f}`);
    const active = await page.evaluate(() => {
      const st = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
      const v = st.view;
      let n = 0;
      let on = 0;
      for (let w = Math.ceil(v.t0); w <= Math.floor(v.t1); w += 2)
        for (let r = Math.ceil(v.p0); r <= Math.floor(v.p1); r++) {
          n++;
          const x = w <= st.nowIndex ? st.data.ring.valueAt(w, r) : null;
          if (x !== null && x !== 0 && Number.isFinite(x)) on++;
        }
      return n ? on / n : 0;
    });
    out[f] = { painted: share(img, isPainted), active };
  }
  return out;
}

function expectStructure(shares: Record<string, { painted: number; active: number }>): void {
  for (const [f, { painted, active }] of Object.entries(shares)) {
    // Dense fields: at least 8 % of the plot shows structure; sparse ones: most active cells show.
    expect(painted, `${f}: painted ${painted.toFixed(3)} of the plot, ${active.toFixed(3)} of its cells active`).toBeGreaterThan(Math.min(0.08, 0.5 * active));
  }
}

test('every field of the demo shows structure on first open (share of painted plot pixels)', async () => {
  await page.mouse.move(5, 5);
  const shares = await fieldShares('w03-demo');
  console.log('demo painted/active shares', JSON.stringify(shares));
  expectStructure(shares);
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  await fullShot(page, 'w03-demo-velocity');
});

test('every field of the real ESH4 file shows structure on first open', async () => {
  await openPath(page, ESH4_FILE);
  await expect.poll(async () => (await windowState(page)).symbol, { timeout: 200_000 }).toBe('ESH4');
  await waitForView(page, 120_000);
  await fullShot(page, 'w04-esh4-open');
  const shares = await fieldShares('w04-esh4');
  console.log('esh4 painted/active shares', JSON.stringify(shares));
  expectStructure(shares);
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  await waitForView(page);
  await fullShot(page, 'w04-esh4-velocity');
  expect(pageErrors).toEqual([]);
});
