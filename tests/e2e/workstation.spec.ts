/// <reference lib="dom" />
// The workstation end to end: real `serve`, real engine child process, real DuckDB, Debian
// Chromium (SwiftShader WebGL). One page for the whole story, like one person at the desk:
// demo → play → seek → field → zoom/pan → tooltip → bad files → the real ESH4 day.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { diffShare, isGreen, isPainted, isRed, isTurquoise, share } from './support/png';
import { awayFromTheEnd, backToDemo, clockOf, ESH4_FILE, fullShot, openPath, plotBox, plotPixels, useSharedPage, waitForView, windowState } from './support/workstation';


test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];

useSharedPage((p) => (page = p), pageErrors);

test('the demo opens: heatmap cells fill the plot and the turquoise spot line is drawn', async () => {
  await page.goto('/');
  // First run builds and ingests the demo day; later runs hit the cache. The engine is shared
  // by every spec: one that ran before may have left another file open, so open the demo.
  await waitForView(page, 200_000);
  await backToDemo(page);
  let s = await waitForView(page, 200_000);
  expect(s.isDemo).toBe(true);
  expect(s.nowIndex).toBeGreaterThan(60); // opened on a full view, not one lonely column
  s = await awayFromTheEnd(page, s); // (room to play for the next test)
  const img = await plotPixels(page, '01-demo');
  await fullShot(page, '01-demo');
  // Velocity is per-second flow, so most cells are quiet (neutral dark); the active ones are
  // coloured green (building) or red (eroding) on a range symmetric around zero.
  expect(share(img, isPainted)).toBeGreaterThan(0.01);
  expect(share(img, isTurquoise)).toBeGreaterThan(0.001);
  expect(share(img, isGreen) + share(img, isRed)).toBeGreaterThan(0.002);
  const range = await page.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.chart.getState().range);
  expect(range.signed).toBe(true);
  expect(range.lo).toBe(-range.hi);
  await expect(page.getByTestId('clock')).toHaveText(clockOf(s, s.nowIndex!));
  expect(pageErrors).toEqual([]);
});

test('play advances the clock and the heatmap scrolls; pause stops all drawing', async () => {
  const before = await windowState(page);
  const a = await plotPixels(page, '02-before-play');
  await page.getByTestId('speed').selectOption('10');
  await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
  await page.getByTestId('play').click();
  await expect.poll(async () => (await windowState(page)).nowIndex!, { timeout: 60_000 }).toBeGreaterThan(before.nowIndex! + 30);
  await page.keyboard.press('Space'); // pause from the keyboard
  await expect.poll(async () => (await windowState(page)).playback).toBe('paused');
  const after = await waitForView(page);
  await expect(page.getByTestId('clock')).toHaveText(clockOf(after, after.nowIndex!));
  expect(after.view.t0).toBeGreaterThan(before.view.t0 + 30); // the view followed now
  const b = await plotPixels(page, '02-after-play');
  expect(diffShare(a, b)).toBeGreaterThan(0.01);
  // Paused: no animation frames are spent (render on demand only).
  const d0 = (await windowState(page)).draws;
  await page.waitForTimeout(1500);
  expect((await windowState(page)).draws).toBe(d0);
});

test('jump to a clock time seeks there and the time axis follows', async () => {
  const s0 = await windowState(page);
  // Somewhere else in the session, away from both ends (step ±1 must stay inside it).
  const target = Math.abs(s0.nowIndex! - Math.round(s0.windowCount * 0.3)) > 120 ? Math.round(s0.windowCount * 0.3) : Math.round(s0.windowCount * 0.8);
  const axis = async () => {
    const b = await plotBox(page);
    return page.screenshot({ clip: { x: b.x, y: b.y + b.height + 2, width: b.width, height: 24 } });
  };
  const axisBefore = await axis();
  await page.getByTestId('jump-input').fill(clockOf(s0, target));
  await page.getByTestId('jump-go').click();
  await expect(page.getByTestId('clock')).toHaveText(clockOf(s0, target));
  const s = await waitForView(page);
  expect(s.nowIndex).toBe(target);
  expect(s.view.t1).toBeGreaterThan(target);
  expect(s.view.t0).toBeLessThan(target);
  expect(s.seekMs.length).toBeGreaterThan(0); // the seek performance mark was taken
  expect((await axis()).equals(axisBefore)).toBe(false);
  await fullShot(page, '03-seek');
  // Step and Home/End from the keyboard move the playhead too.
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(target + 1);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(target);
  // Skip N minutes: back 2 min with the buttons.
  await page.getByLabel('Skip minutes').fill('2');
  await page.getByRole('button', { name: '−2m' }).click();
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(target - 120);
  await page.getByRole('button', { name: '+2m' }).click();
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(target);
});

test('dragging the timeline scrubber seeks through the session', async () => {
  const s0 = await windowState(page);
  const tl = (await page.getByTestId('timeline').boundingBox())!;
  const xAt = (i: number) => tl.x + (i / (s0.windowCount - 1)) * tl.width;
  const from = s0.nowIndex!;
  const to = Math.round(s0.windowCount * 0.55);
  await page.mouse.move(xAt(from), tl.y + 12);
  await page.mouse.down();
  await page.mouse.move(xAt((from + to) / 2), tl.y + 12, { steps: 4 });
  await page.mouse.move(xAt(to), tl.y + 12, { steps: 4 });
  await page.mouse.up();
  // One pixel of timeline is a few windows: land within that.
  const pxWindows = Math.ceil(s0.windowCount / tl.width) + 1;
  await expect.poll(async () => Math.abs((await windowState(page)).nowIndex! - to), { timeout: 30_000 }).toBeLessThanOrEqual(pxWindows);
  const s = await waitForView(page);
  await expect(page.getByTestId('clock')).toHaveText(clockOf(s, s.nowIndex!));
  await fullShot(page, '03-scrubbed');
});

test('switching the field repaints the heatmap with that field and its palette', async () => {
  await waitForView(page);
  const a = await plotPixels(page, '04-velocity');
  const options = await page.getByTestId('field-select').locator('option').count();
  expect(options).toBe(25); // every gold field, once
  await page.getByTestId('field-select').selectOption('rho');
  await expect.poll(async () => (await windowState(page)).field).toBe('rho');
  const s = await waitForView(page);
  expect(s.signed).toBe(false);
  const b = await plotPixels(page, '04-density');
  await fullShot(page, '04-density');
  expect(diffShare(a, b)).toBeGreaterThan(0.1);
  // Density is dense: the book's resting depth paints most of the ±200-tick band.
  expect(share(b, isPainted)).toBeGreaterThan(0.2);
  // Density uses the sequential palette: no green "building" cells any more.
  expect(share(b, isGreen)).toBeLessThan(share(a, isGreen) / 4);
  // Log scale re-maps the same cells: the colours change, the cells do not.
  await page.getByTestId('log-scale').check();
  await expect.poll(async () => page.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.chart.getState().range.log)).toBe(true);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const c = await plotPixels(page, '04-density-log');
  expect(diffShare(b, c)).toBeGreaterThan(0.05);
  await page.getByTestId('log-scale').uncheck();
});

test('wheel zooms and drag pans in time and price; double-click returns to now', async () => {
  const box = await plotBox(page);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const s0 = await windowState(page);
  const a = await plotPixels(page, '05-before-zoom');
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -600);
  await expect.poll(async () => {
    const v = (await windowState(page)).view;
    return v.t1 - v.t0;
  }).toBeLessThan((s0.view.t1 - s0.view.t0) * 0.5);
  // Wheel over the price axis zooms price.
  await page.mouse.move(box.x + box.width + 30, cy);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => {
    const v = (await windowState(page)).view;
    return v.p1 - v.p0;
  }).toBeLessThan((s0.view.p1 - s0.view.p0) * 0.8);
  await waitForView(page);
  const b = await plotPixels(page, '05-zoomed');
  expect(diffShare(a, b)).toBeGreaterThan(0.05);
  // Drag right = look into the past; drag down = higher prices.
  const z = await windowState(page);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 150, cy + 80, { steps: 6 });
  await page.mouse.up();
  const p = await windowState(page);
  expect(p.view.t0).toBeLessThan(z.view.t0);
  expect(p.view.p0).toBeGreaterThan(z.view.p0);
  expect(p.follow).toBe(false);
  await waitForView(page);
  await fullShot(page, '05-panned');
  await page.mouse.dblclick(cx, cy);
  await expect.poll(async () => (await windowState(page)).follow).toBe(true);
});

test('the crosshair tooltip shows time, price, rel_ticks and every field at the cell', async () => {
  const s = await waitForView(page);
  const box = await plotBox(page);
  // Hover the spot line 20 s before now: a cell that certainly has data.
  const w = s.nowIndex! - 20;
  const spotRow = await page.evaluate((i) => (window as unknown as { __spymaster: any }).__spymaster.chart.getState().data.spotRow[i], w);
  const x = box.x + ((w - 0.5 - s.view.t0) / (s.view.t1 - s.view.t0)) * box.width;
  const y = box.y + box.height - ((spotRow + 2 - s.view.p0) / (s.view.p1 - s.view.p0)) * box.height;
  await page.mouse.move(x, y);
  const tip = page.getByTestId('tooltip');
  await expect(tip).toBeVisible();
  await page.keyboard.press('d'); // every field (the compact tooltip shows a few)
  await expect(tip.locator('tr')).toHaveCount(25);
  await expect(tip.getByTestId('tt-rel')).toHaveText(/^[+-]?\d+$/);
  await expect(tip).toContainText(clockOf(s, w));
  const cells = await tip.locator('td[data-field]').allTextContents();
  expect(cells.filter((c) => /^-?\d/.test(c)).length).toBeGreaterThan(15);
  // The selected field's value in the tooltip is the value the heatmap draws at that cell.
  const hovered = await page.evaluate(() => {
    const h = (window as unknown as { __spymaster: any }).__spymaster;
    const st = h.chart.getState();
    const cell = h.hoveredCell();
    return { wi: cell.windowIndex, row: cell.row, v: st.data.ring.valueAt(cell.windowIndex, cell.row) };
  });
  expect(hovered.wi).toBe(w);
  const shown = Number(await tip.locator(`td[data-field="${s.field}"]`).textContent());
  expect(hovered.v).not.toBeNull();
  expect(Math.abs(shown - hovered.v)).toBeLessThanOrEqual(Math.max(1e-3, Math.abs(hovered.v) * 0.01));
  await fullShot(page, '06-tooltip');
  await page.keyboard.press('d');
  await page.mouse.move(box.x + box.width + 200, box.y - 20);
});

test('bad files show a readable alert and the workstation keeps working', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-bad-'));
  // A real file with a flipped block in the middle of its zstd stream, then cut short.
  const bytes = Buffer.from(readFileSync(ESH4_FILE));
  for (let i = 400_000; i < 404_096; i++) bytes[i] ^= 0xa5;
  const corrupt = join(dir, 'corrupt-esh4.mbo.dbn.zst');
  writeFileSync(corrupt, bytes.subarray(0, 600_000));
  const before = await windowState(page);
  await openPath(page, corrupt);
  const alert = page.locator('[data-testid=alert].alert-error').first();
  await expect(alert).toBeVisible({ timeout: 120_000 });
  await expect(alert).toHaveAttribute('data-code', /^dbn\./);
  const text = (await alert.textContent()) ?? '';
  expect(text.length).toBeGreaterThan(20);
  await expect(page.getByTestId('ingest-overlay')).toHaveCount(0, { timeout: 60_000 });
  await fullShot(page, '07-corrupt-alert');
  // A text file with a DBN name: rejected with its own message.
  const fake = join(dir, 'notes.dbn');
  writeFileSync(fake, 'this is not market data\n'.repeat(100));
  await openPath(page, fake);
  // Count errors only: while a file ingests the engine may also answer history requests with an
  // info alert ("history is unavailable while a file ingests"), which must not be mistaken for it.
  await expect(page.locator('[data-testid=alert].alert-error')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.locator('[data-testid=alert].alert-error').last()).toContainText(/DBN/);
  // Still working: the previous session is there and, once the engine has left the failed
  // ingest (it announces its playback state again), the playhead still moves.
  await expect.poll(async () => (await windowState(page)).playback, { timeout: 60_000 }).not.toBe('ingesting');
  const s = await waitForView(page);
  expect(s.symbol).toBe(before.symbol);
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(s.nowIndex! + 1);
  while ((await page.locator('.alert-x').count()) > 0) await page.locator('.alert-x').first().click();
});

test('opening the real ESH4 file shows ingest progress, then its heatmap around 4800', async () => {
  // Record every ingest state the window shows (the file is small, the overlay is brief).
  await page.evaluate(() => {
    const h = (window as unknown as { __spymaster: any; __ingestSeen: unknown[] });
    h.__ingestSeen = [];
    h.__spymaster.ui.subscribe((s: any) => {
      // (s.build: the same progress once the build shows its windows, progressive display)
      const ing = s.ingest ?? s.build;
      if (ing) h.__ingestSeen.push({ path: ing.path, fraction: ing.progress?.fraction ?? null, overlay: !!document.querySelector('[data-testid=ingest-overlay]') });
    });
  });
  // Just the path, as a person would: the file's trading is the Christmas-night Globex reopen
  // (23:00–24:00 UTC), and the engine picks that hour when the default 09:30–10:30 has none.
  await openPath(page, ESH4_FILE);
  await expect.poll(async () => (await windowState(page)).symbol, { timeout: 200_000 }).toBe('ESH4');
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 200_000 }).toBe(false);
  const seen = (await page.evaluate(() => (window as unknown as { __ingestSeen: { path: string; fraction: number | null }[] }).__ingestSeen)) as {
    path: string;
    fraction: number | null;
  }[];
  // Either it ingested (progress shown) or the cache answered at once (a rerun on the same db).
  const ui = await page.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.ui.getState().cacheHit);
  if (!ui) {
    expect(seen.some((x) => x.path.endsWith('.mbo.dbn.zst'))).toBe(true);
    expect(seen.some((x) => x.fraction !== null && x.fraction >= 0 && x.fraction <= 1)).toBe(true);
  }
  const s = await waitForView(page, 120_000);
  expect(s.spotPrice).not.toBeNull();
  expect(s.spotPrice!).toBeGreaterThan(4700);
  expect(s.spotPrice!).toBeLessThan(4900);
  expect((s.view.p0 + s.view.p1) / 2).toBeGreaterThan(0);
  const img = await plotPixels(page, '08-esh4');
  await fullShot(page, '08-esh4');
  expect(share(img, isPainted)).toBeGreaterThan(0.05);
  expect(share(img, isTurquoise)).toBeGreaterThan(0.0003);
  expect(pageErrors).toEqual([]);
});

test('cancelling an ingest keeps the session that was open', async () => {
  const before = await windowState(page);
  // A different session window of the same file is a new dataset: a real ingest to cancel,
  // built as live at 60× so it lasts 40 s on any machine (a fast one could finish first).
  await openPath(page, ESH4_FILE, { start: '18:20', end: '19:00', tz: 'America/New_York', pace: '60' });
  await expect(page.getByTestId('ingest-overlay')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('ingest-overlay')).toContainText('Ingesting esh4-glbx-mdp3-20231225.mbo.dbn.zst');
  await fullShot(page, '09-ingest-progress');
  // Cancel over the chart, or in the controls once the build shows its first windows.
  await page.locator('[data-testid=cancel-ingest], [data-testid=cancel-build]').first().click();
  await expect(page.locator('[data-testid=alert][data-code="ingest.cancelled"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('ingest-overlay')).toHaveCount(0);
  const s = await waitForView(page);
  expect(s.symbol).toBe('ESH4');
  expect(s.windowCount).toBe(before.windowCount); // still the session opened before
  while ((await page.locator('.alert-x').count()) > 0) await page.locator('.alert-x').first().click();
});

test('an engine crash is reported in words and the workstation comes back', async () => {
  const db = join(process.env.SPYMASTER_E2E_DIR!, 'e2e.duckdb');
  // "[c]" keeps pgrep from matching the shell that runs it.
  const pids = execSync(`pgrep -f "[c]hildEntry.ts --db ${db}" || true`).toString().trim().split('\n').filter(Boolean).map(Number);
  expect(pids.length).toBe(1);
  await page.evaluate(() => {
    const h = window as unknown as { __spymaster: any; __dataBeforeCrash: unknown };
    h.__dataBeforeCrash = h.__spymaster.chart.getState().data;
  });
  process.kill(pids[0], 'SIGKILL');
  const alert = page.locator('[data-testid=alert][data-code="worker.crashed"]');
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText(/engine/i);
  await fullShot(page, '10-engine-crash');
  // The server restarts the engine and greets it for the window: a fresh session_ready arrives
  // (the window rebuilds its session data) and the playhead moves again.
  await expect
    .poll(async () => page.evaluate(() => {
      const h = window as unknown as { __spymaster: any; __dataBeforeCrash: unknown };
      const d = h.__spymaster.chart.getState().data;
      return d !== null && d !== h.__dataBeforeCrash;
    }), { timeout: 120_000 })
    .toBe(true);
  const s = await waitForView(page, 120_000);
  const img = await plotPixels(page, '10-after-restart');
  expect(share(img, isPainted)).toBeGreaterThan(0.01);
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBe(s.nowIndex! + 1);
  expect(pageErrors).toEqual([]);
});

test('a second window replaces the first and draws the same picture from CPU-coloured cells', async ({ browser }) => {
  // Cells are coloured on the CPU into an RGBA8 texture (render/cellColours.ts): no float
  // textures needed, so every GPU (and SwiftShader) takes the same path. A second page
  // replaces the first window.
  const first = await plotPixels(page, '11-first-window');
  const p2 = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const errors: string[] = [];
  p2.on('pageerror', (e) => errors.push(e.message));
  await p2.goto('/');
  await waitForView(p2, 120_000);
  expect(await p2.evaluate(() => (window as unknown as { __spymaster: any }).__spymaster.perf.textureFormat)).toBe('rgba8');
  // The older window is told, in words, that it was replaced, and does not fight back.
  await expect(page.locator('[data-testid=alert][data-code="transport.replaced"]')).toBeVisible();
  // Density is dense enough to judge the picture: cells, the sequential palette, the spot line.
  await p2.getByTestId('field-select').selectOption('rho');
  const s = await waitForView(p2);
  const img = await plotPixels(p2, '11-second-window');
  await fullShot(p2, '11-second-window');
  expect(share(img, isPainted)).toBeGreaterThan(0.2);
  expect(share(img, isTurquoise)).toBeGreaterThan(0.0005);
  expect(s.hasSession).toBe(true);
  expect(first.width).toBe(img.width);
  await expect(p2.locator('.conn')).toContainText('engine');
  expect(errors).toEqual([]);
  await p2.close();
});
