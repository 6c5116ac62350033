/// <reference lib="dom" />
// Forecast ▸ Parameters… end to end (real `serve`, engine, DuckDB, Chromium, the demo): the
// popover lists the forecast parameters (not the gold weights) with their values, refuses an
// out-of-range draft before sending it, shows the engine's refusal inline, and applying a new
// particle thrust `beta` recomputes the session's forecasts so the particle path in the margin
// changes; "Reset to defaults" brings the same path and pixels back. Ends on the demo, paused,
// with the defaults in force.
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { diffShare } from './support/png';
import { fullShot, marginPixels as marginPixelsOf, plotBox, settle as settleFrames, useSharedPage, waitForView, windowState, gotoDemo } from './support/workstation';

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
useSharedPage((p) => (page = p), pageErrors);

type Hook = { __spymaster: any };

const settle = () => settleFrames(page);

const marginPixels = (name: string) => marginPixelsOf(page, name);

/** The particle path the margin draws for the playhead window (predicted ticks at 1…30 s). */
async function marginPath(): Promise<number[] | null> {
  return page.evaluate(() => {
    const h = (window as unknown as Hook).__spymaster;
    const now = h.chart.getState().nowIndex;
    const p = now === null ? null : h.engine.forecast.pathAt(now);
    return p && p.family === 'particle' ? p.points.map((q: { predictedTick: number }) => q.predictedTick) : null;
  });
}

const revision = async () => Number(/rev (\d+)/.exec((await page.getByTestId('forecast-params').locator('.params-rev').textContent()) ?? '')?.[1] ?? NaN);

test('Parameters…: change beta → the particle path in the margin changes; reset → it comes back', async () => {
  await gotoDemo(page);
  await page.mouse.move(5, 5);
  await expect(page.getByTestId('forecast-model')).toHaveValue('particle');
  await expect.poll(marginPath, { timeout: 60_000 }).not.toBeNull();
  const before = (await marginPath())!;
  await settle();
  const pixBefore = await marginPixels('fp-01-defaults');

  // The button is in view (the toolbar clips what overflows at its right end).
  const bar = (await page.locator('.toolbar').boundingBox())!;
  const btn = (await page.getByTestId('forecast-params-open').boundingBox())!;
  expect(btn.x + btn.width).toBeLessThan(bar.x + bar.width);
  await page.getByTestId('forecast-params-open').click();
  const pop = page.getByTestId('forecast-params');
  await expect(pop).toBeVisible();
  // Forecast fields only: the gold weights are part of the stored build.
  await expect(pop.getByTestId('param-beta')).toHaveValue(String(DEFAULT_PARAMS.beta));
  await expect(pop.getByTestId('param-extrapolation')).toHaveValue('frozen');
  await expect(pop.getByTestId('param-nu0')).toHaveCount(0);
  // The popover stays left, clear of the margin right of now.
  const s = await windowState(page);
  const b = await plotBox(page);
  const xNow = b.x + ((s.nowIndex! - s.view.t0) / (s.view.t1 - s.view.t0)) * b.width;
  const box = (await pop.boundingBox())!;
  expect(box.x + box.width).toBeLessThan(xNow);

  // Out of range: refused in the form, nothing sent.
  await pop.getByTestId('param-gamma').fill('-1');
  await expect(pop.locator('.params-err')).toHaveText(/'gamma' must be ≥ 0/);
  await expect(pop.getByTestId('params-apply')).toBeDisabled();
  await pop.getByTestId('param-gamma').fill(String(DEFAULT_PARAMS.gamma));
  await expect(pop.getByTestId('params-apply')).toBeDisabled(); // back to the value in force: no change

  // The engine's refusal (a gold field, which the form never offers) is shown inline.
  await page.evaluate(() => (window as unknown as Hook).__spymaster.engine.setParams({ nu0: 2 }));
  await expect(pop.getByTestId('params-refusal')).toContainText(/'nu0' is a gold parameter/);

  // beta ×10: the engine recomputes, the window refetches, the path and its pixels change.
  const rev0 = await revision();
  await pop.getByTestId('param-beta').fill('0.5');
  await expect(pop.getByText('1 change')).toBeVisible();
  await pop.getByTestId('params-apply').click();
  await expect.poll(revision, { timeout: 60_000 }).toBeGreaterThan(rev0);
  await expect(pop.getByTestId('params-refusal')).toHaveCount(0);
  await expect(pop.getByTestId('param-beta')).toHaveValue('0.5');
  // (null while the recomputed rows are refetched: wait for the new path itself.)
  await expect.poll(async () => { const p = await marginPath(); return p !== null && JSON.stringify(p) !== JSON.stringify(before); }, { timeout: 60_000 }).toBe(true);
  const after = (await marginPath())!;
  expect(Math.max(...after.map((t, i) => Math.abs(t - before[i])))).toBeGreaterThan(0.5);
  await settle();
  await fullShot(page, 'fp-02-beta-0.5');
  const pixChanged = await marginPixels('fp-02-beta-0.5');
  expect(diffShare(pixBefore, pixChanged)).toBeGreaterThan(0.002);

  // Reset to defaults: the same path and the same margin as before.
  const rev1 = await revision();
  await pop.getByTestId('params-reset').click();
  await expect.poll(revision, { timeout: 60_000 }).toBeGreaterThan(rev1);
  await expect(pop.getByTestId('param-beta')).toHaveValue(String(DEFAULT_PARAMS.beta));
  await expect.poll(async () => JSON.stringify(await marginPath()), { timeout: 60_000 }).toBe(JSON.stringify(before));
  await settle();
  await fullShot(page, 'fp-03-reset');
  await page.getByTestId('params-close').click();
  await expect(pop).toHaveCount(0);
  await settle();
  const pixReset = await marginPixels('fp-03-reset');
  expect(diffShare(pixBefore, pixReset)).toBeLessThan(0.0005);
  expect(pageErrors).toEqual([]);
});
