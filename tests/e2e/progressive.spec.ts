/// <reference lib="dom" />
// Progressive display end to end (real `serve`, engine, DuckDB, Chromium): a file whose build
// takes a minute — a simulated ES hour around the 09:30 open (the project's simulator,
// intensity 2.5: ~6 M records, 3,600 windows), written to a fresh path so it is never a cache
// hit, opened "as live, 60×" so the build lasts at least a minute on any machine (a fast one
// built it in 20 s, before the spec could scrub it) — shows its heatmap while it is still being built: drawn and following the newest window
// until the opening view is built, scrubbable over what is built, the build's progress in the
// controls instead of over the chart, the unbuilt part of the timeline hatched, "Live edge"
// following the build; at COMMIT the committed build takes over where the window is. Ends on
// the demo, as the other specs expect.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { backToDemo, fullShot, gotoDemo, openPath, plotPixels, settle, useSharedPage, waitForView, windowState } from './support/workstation';

/** A simulated ES hour, 09:00–10:00 New York (written once per run). */
const SIM_FILE = join(process.env.SPYMASTER_E2E_DIR ?? '/tmp', 'progressive-sim-hour.dbn.zst');

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
useSharedPage((p) => (page = p), pageErrors);

type Hook = { __spymaster: any };

/** Share of plot pixels that are heatmap cells (the field's red or green; not grid, axes or spot). */
function cellShare(img: { width: number; height: number; data: Uint8Array | Buffer }): number {
  let n = 0;
  const px = img.width * img.height;
  for (let i = 0; i < px; i++) {
    const r = img.data[4 * i];
    const g = img.data[4 * i + 1];
    const b = img.data[4 * i + 2];
    // Red (eroding) or green (building) cells; the turquoise spot line has b ≈ g and is left out.
    if ((r > g + 40 && r > b + 40) || (g > r + 40 && g > b + 40)) n++;
  }
  return n / px;
}

const uiSession = () => page.evaluate(() => {
  const s = (window as unknown as Hook).__spymaster.ui.getState();
  return s.session ? { growing: s.session.growing as boolean, datasetId: s.session.datasetId as number, windowCount: s.session.windowCount as number } : null;
});

test('a multi-second build is drawn and scrubbable before it commits, then hands over in place', async () => {
  execFileSync('npx', ['tsx', 'src-worker/cli/main.ts', 'simulate', '--out', SIM_FILE, '--start', '09:00', '--end', '10:00', '--intensity', '2.5', '--seed', '7'], { stdio: 'ignore' });
  await gotoDemo(page);

  try {
    await buildAndWatch();
  } finally {
    // Back to the demo for the specs after this one, even when a check above failed.
    await backToDemo(page);
  }
  expect(pageErrors).toEqual([]);
});

async function buildAndWatch(): Promise<void> {
  const t0 = Date.now();
  await openPath(page, SIM_FILE, { date: '2026-01-06', start: '09:00', end: '10:00', tz: 'America/New_York', pace: '60' });
  // Drawn while building: a growing session, every visible column up to now held.
  const first = await waitForView(page, 120_000, { growing: true });
  const firstDrawnMs = Date.now() - t0;
  expect(first.symbol).toBe('ESH6');
  expect(first.built).not.toBeNull(); // not committed yet
  // The chart lays out the whole session being built (an hour); what is built is less.
  expect(first.windowCount).toBe(3600);
  expect(first.built!).toBeLessThan(3600);
  await expect(page.getByTestId('build-progress')).toBeVisible();
  await expect(page.getByTestId('ingest-overlay')).toHaveCount(0);
  // A few minutes built (the view shows them), still building.
  await expect.poll(async () => (await windowState(page)).built ?? 0, { timeout: 60_000 }).toBeGreaterThan(180);
  await waitForView(page, 60_000, { growing: true });
  await settle(page);
  const early = await plotPixels(page, 'progressive-01-building');
  await fullShot(page, 'progressive-01-building');
  expect(cellShare(early)).toBeGreaterThan(0.003);
  // Without a touch, the playhead follows the newest window until the opening view (the first
  // 900 windows, as a committed session opens) is built, and stays there.
  expect(first.nowIndex!).toBeLessThanOrEqual(900);
  await expect.poll(async () => (await windowState(page)).nowIndex!, { timeout: 60_000 }).toBe(900);
  await settle(page);
  await fullShot(page, 'progressive-01b-following');

  // Scrub over what is built: drag the timeline's playhead back towards the start.
  await expect.poll(async () => (await windowState(page)).built ?? 0, { timeout: 60_000 }).toBeGreaterThan(300);
  const before = await windowState(page);
  const tl = (await page.getByTestId('timeline').boundingBox())!;
  const builtX = tl.x + (before.built! / (before.windowCount - 1)) * tl.width;
  await page.mouse.move(builtX - 2, tl.y + 12);
  await page.mouse.down();
  await page.mouse.move(tl.x + tl.width * 0.05, tl.y + 12, { steps: 8 });
  await page.mouse.up();
  const scrubbed = await waitForView(page, 60_000, { growing: true });
  expect(scrubbed.nowIndex!).toBeLessThan(before.built! / 2);
  await settle(page);
  const back = await plotPixels(page, 'progressive-02-scrubbed');
  await fullShot(page, 'progressive-02-scrubbed');
  expect(cellShare(back)).toBeGreaterThan(0.003);
  // The trader took the playhead: it stays where it was scrubbed to while the build goes on.
  const held = (await windowState(page)).nowIndex;
  await page.waitForTimeout(600);
  if ((await windowState(page)).built !== null) expect((await windowState(page)).nowIndex).toBe(held);
  // Dragging past the built edge stops at it.
  await page.mouse.move(tl.x + tl.width * 0.05, tl.y + 12);
  await page.mouse.down();
  await page.mouse.move(tl.x + tl.width - 2, tl.y + 12, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await windowState(page)).playback, { timeout: 30_000 }).not.toBe('seeking');
  const atEdge = await windowState(page);
  if (atEdge.built !== null) expect(atEdge.nowIndex!).toBeLessThanOrEqual(atEdge.built - 1);

  // Live edge: back to the newest window, following the build again.
  expect((await uiSession())?.growing).toBe(true); // (the build must still run here for this spec to mean anything)
  {
    await page.getByTestId('follow-build').click();
    const a = (await windowState(page)).built!;
    await expect.poll(async () => (await windowState(page)).nowIndex!, { timeout: 30_000 }).toBeGreaterThanOrEqual(a - 1);
    // … and keeps following while the build grows.
    if ((await uiSession())?.growing) await expect.poll(async () => (await windowState(page)).nowIndex!, { timeout: 30_000 }).toBeGreaterThan(a + 20);
    await settle(page);
    await fullShot(page, 'progressive-03-live-edge');
  }

  // COMMIT: the committed build takes over; the playhead does not go back to the start.
  await expect.poll(async () => (await uiSession())?.datasetId ?? -1, { timeout: 200_000 }).toBeGreaterThan(0);
  const committedMs = Date.now() - t0;
  const done = await waitForView(page, 120_000);
  expect(done.built).toBeNull();
  expect(done.windowCount).toBe(3600);
  expect(done.nowIndex!).toBeGreaterThan(300);
  await expect(page.getByTestId('build-progress')).toHaveCount(0);
  await settle(page);
  const after = await plotPixels(page, 'progressive-04-committed');
  await fullShot(page, 'progressive-04-committed');
  expect(cellShare(after)).toBeGreaterThan(0.003);
  console.log(`progressive: first heatmap drawn ${firstDrawnMs} ms after open, committed after ${committedMs} ms`);
  // The pace held: an hour at 60× takes at least a minute to build.
  expect(committedMs).toBeGreaterThan(58_000);
}
