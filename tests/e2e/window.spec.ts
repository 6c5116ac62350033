/// <reference lib="dom" />
// The window as a futures trader judges it (issue 13): the crosshair always describes the cell
// under the pointer, first views show structure, the view stays on the session, alerts hide
// nothing. One page, the demo first, like workstation.spec.ts; screenshots in test-results/screens.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { isGreen, isPainted, share } from './support/png';
import { clockOf, ESH4_FILE, fullShot, openPath, plotBox, plotPixels, useSharedPage, waitForView, windowState, type WindowState, gotoDemo } from './support/workstation';

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
  const s0 = await gotoDemo(page);
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
  // Compact: the selected field, price, time, size at the level and a few key fields, small
  // enough to leave the area being studied visible; D lists every field.
  const box = (await tip.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(230);
  expect(box.height).toBeLessThanOrEqual(200);
  await expect(tip.getByTestId('tt-selected')).toHaveText(/^-?\d|^0$/);
  await expect(tip.getByTestId('tt-size')).toHaveText(/\d+ lots|—/);
  expect(await tip.locator('tr').count()).toBeLessThanOrEqual(5);
  await page.keyboard.press('d');
  await expect(tip.locator('tr')).toHaveCount(25);
  await fullShot(page, 'w02-tooltip-all');
  await page.keyboard.press('d');
  await expect(tip.locator('tr')).toHaveCount(3); // size + two key fields besides the selected one
  expect(pageErrors).toEqual([]);
});

/** Spot rows of the windows the view shows (up to now) and how many lie outside the price rows shown. */
async function spotOutside(): Promise<{ n: number; outside: number }> {
  return page.evaluate(() => {
    const st = (window as unknown as { __spymaster: any }).__spymaster.chart.getState();
    const v = st.view;
    let n = 0;
    let outside = 0;
    for (let w = Math.max(0, Math.ceil(v.t0)); w <= Math.min(st.nowIndex, Math.floor(v.t1)); w++) {
      const s = st.data.spotRow[w];
      if (!Number.isFinite(s)) continue;
      n++;
      if (s < v.p0 || s > v.p1) outside++;
    }
    return { n, outside };
  });
}

test('the view stays on the session and keeps the spot in view: open, jump, zoom out, pan away', async () => {
  // Opening (a jump to the first full view) fits the price rows to the spot track.
  await page.mouse.move(5, 5);
  await page.getByTestId('field-select').selectOption('rho');
  await page.keyboard.press('End');
  await waitForView(page);
  await page.keyboard.press('Home');
  const home = await waitForView(page);
  const sp = await spotOutside();
  expect(sp.n).toBeGreaterThan(100);
  expect(sp.outside).toBe(0);
  // Home shows data: the session's start is at the left edge, not an empty half-plot.
  const span = home.view.t1 - home.view.t0;
  expect(home.view.t0).toBeGreaterThanOrEqual(-0.04 * span);
  expect(home.view.t0).toBeLessThan(0.05 * span);
  const img = await plotPixels(page, 'w05-home');
  expect(share(img, isPainted)).toBeGreaterThan(0.3);
  await fullShot(page, 'w05-home');
  // Zoom far out and drag far left and down: the view keeps to the session with a small margin.
  const b = await plotBox(page);
  await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.5);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 600);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * 0.95, b.y + b.height * 0.95, { steps: 5 });
  await page.mouse.move(b.x + b.width * 0.99, b.y + b.height * 0.99, { steps: 2 });
  await page.mouse.up();
  const s = await waitForView(page);
  const w = s.view.t1 - s.view.t0;
  expect(s.view.t0).toBeGreaterThanOrEqual(-0.04 * w);
  // Right of now only the forecast margin, unless the span is wider than the session so far
  // (then the session's start holds the left edge).
  expect(s.view.t1 <= s.nowIndex! + 0.16 * w || s.view.t0 <= 0).toBe(true);
  expect(s.view.p0).toBeGreaterThanOrEqual(-0.04 * (s.view.p1 - s.view.p0));
  await fullShot(page, 'w05-zoomed-out-panned');
  // End: the last window's view, with its spot in view.
  await page.keyboard.press('End');
  const end = await waitForView(page);
  expect(end.nowIndex).toBe(end.windowCount - 1);
  expect((await spotOutside()).outside).toBe(0);
  await page.mouse.dblclick(b.x + b.width * 0.5, b.y + b.height * 0.5);
  await page.mouse.move(5, 5);
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
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
  // Home on the real file shows data (resting depth fills the plot from the session's start).
  await page.getByTestId('field-select').selectOption('rho');
  await page.keyboard.press('Home');
  await expect.poll(async () => (await windowState(page)).nowIndex).toBeGreaterThan(100);
  await waitForView(page);
  expect(share(await plotPixels(page, 'w06-esh4-home'), isPainted)).toBeGreaterThan(0.3);
  expect((await spotOutside()).outside).toBe(0);
  await fullShot(page, 'w06-esh4-home');
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  expect(pageErrors).toEqual([]);
});

test('alerts hide nothing, say what a bad file looks like, word hints for the browser, and clear when a good file opens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-alerts-'));
  const fake = join(dir, 'notes.dbn');
  writeFileSync(fake, 'this is not market data\n'.repeat(100));
  // The Open dialog's label reads on one line.
  await page.getByTestId('open-file').click();
  const label = page.getByTestId('open-dialog').locator('label > span').first();
  expect((await label.boundingBox())!.height).toBeLessThan(22);
  await fullShot(page, 'w07-open-dialog');
  await page.getByTestId('open-path').fill(fake);
  await page.getByTestId('open-submit').click();
  const err = page.locator('[data-testid=alert].alert-error');
  await expect(err).toHaveCount(1, { timeout: 60_000 });
  await expect(err).toContainText(/looks like text/);
  await openPath(page, join(dir, 'missing.dbn.zst'));
  await expect(err).toHaveCount(2, { timeout: 60_000 });
  await expect(err.last()).not.toContainText('File ▸');
  await expect(err.last()).toContainText('Open file…');
  // Nothing of the plot or its price axis is under an alert.
  const chart = (await page.getByTestId('chart').boundingBox())!;
  for (const a of await err.all()) {
    const b = (await a.boundingBox())!;
    expect(b.y + b.height).toBeLessThanOrEqual(chart.y + 1);
  }
  await waitForView(page);
  await fullShot(page, 'w07-alerts');
  // A good file opens (the demo): the stale errors go.
  await page.getByTestId('open-file').click();
  await page.getByTestId('open-dialog').getByRole('button', { name: 'Open demo session' }).click();
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 120_000 }).toBe(true);
  await expect(err).toHaveCount(0);
  await waitForView(page);
  expect(pageErrors).toEqual([]);
});

test('best bid and ask lines frame the spot; the time axis switches between New York and Chicago', async () => {
  await page.mouse.move(5, 5);
  await page.getByTestId('overlay-trades').uncheck(); // green buy bubbles would count as the bid line
  await page.getByTestId('field-select').selectOption('rho');
  const s = await waitForView(page);
  const book = await page.evaluate((i) => {
    const d = (window as unknown as { __spymaster: any }).__spymaster.chart.getState().data;
    return { bid: d.bidRow[i], ask: d.askRow[i], spot: d.spotRow[i] };
  }, s.nowIndex!);
  expect(book.bid).toBeLessThanOrEqual(book.spot);
  expect(book.ask).toBeGreaterThanOrEqual(book.spot);
  expect(book.ask).toBeGreaterThan(book.bid);
  // The inferno palette has no green: green pixels are the best-bid line.
  const img = await plotPixels(page, 'w08-bid-ask');
  expect(share(img, isGreen)).toBeGreaterThan(0.0003);
  await fullShot(page, 'w08-bid-ask');
  // Log scale on density is a true log axis: it does not turn the plot yellow, and the legend's
  // ticks are values in the field's unit, rounded (no "9.9e-19").
  await page.getByTestId('log-scale').check();
  await expect.poll(async () => (await windowState(page)).field).toBe('rho');
  await page.waitForTimeout(300);
  const logImg = await plotPixels(page, 'w08-rho-log');
  const yellow = share(logImg, (r, g, b) => r > 235 && g > 190 && b < 190);
  expect(yellow).toBeLessThan(0.4);
  for (const t of await page.getByTestId('legend-tick').allTextContents()) expect(t).toMatch(/^-?\d+(\.\d+)?[kMG]?$/);
  await fullShot(page, 'w08-rho-log');
  await page.getByTestId('log-scale').uncheck();
  const ny = (await page.getByTestId('clock').textContent())!;
  await page.getByTestId('time-zone').selectOption('America/Chicago');
  const hh = (t: string) => Number(t.slice(0, 2));
  await expect.poll(async () => hh((await page.getByTestId('clock').textContent())!)).toBe((hh(ny) + 23) % 24);
  await fullShot(page, 'w08-chicago');
  await page.getByTestId('time-zone').selectOption('');
  await expect(page.getByTestId('clock')).toHaveText(ny);
  await page.getByTestId('overlay-trades').check();
  await page.getByTestId('field-select').selectOption('liquidity_velocity');
  expect(pageErrors).toEqual([]);
});

test('measured: field switch, seek → redraw, playing draws/s, reopen → first heatmap (cached demo)', async () => {
  await page.mouse.move(5, 5);
  await waitForView(page);
  const switchMs: Record<string, number> = {};
  for (const f of ['rho', 'liquidity_velocity', 'nu', 'add_intensity', 'liquidity_velocity', 'rho', 'nu']) {
    // From the selector's change to the new field drawn for the whole visible view.
    switchMs[f + (f in switchMs ? ' (again)' : '')] = await page.evaluate(async (field) => {
      const h = (window as unknown as { __spymaster: any }).__spymaster;
      const d0 = h.perf.draws;
      const t0 = performance.now();
      h.engine.selectField(field);
      await new Promise<void>((res) => {
        const tick = () => (h.engine.visibleLoaded() && h.perf.draws > d0 ? res() : requestAnimationFrame(tick));
        tick();
      });
      return Math.round(performance.now() - t0);
    }, f);
  }
  const s0 = await windowState(page);
  await page.getByTestId('jump-input').fill(clockOf(s0, Math.round(s0.windowCount * 0.4)));
  await page.getByTestId('jump-go').click();
  await waitForView(page);
  const seekMs = (await windowState(page)).seekMs.slice(-1)[0];
  await page.getByTestId('speed').selectOption('10');
  // Playing draws/s, trades on and off (paired).
  const playRate = async () => {
    const d0 = (await windowState(page)).draws;
    await page.getByTestId('play').click();
    await page.waitForTimeout(3000);
    const d1 = (await windowState(page)).draws;
    await page.getByTestId('play').click(); // the play button toggles (Space on a focused button would toggle twice)
    await expect.poll(async () => (await windowState(page)).playback).toBe('paused');
    return Math.round(((d1 - d0) / 3) * 10) / 10;
  };
  const withTrades = await playRate();
  await page.getByTestId('overlay-trades').uncheck();
  const withoutTrades = await playRate();
  await page.getByTestId('overlay-trades').check();
  const t0 = Date.now();
  await page.reload();
  await waitForView(page, 120_000);
  const reopenMs = Date.now() - t0;
  const out = { switchMs, seekMs: Math.round(seekMs), drawsPerSec: Math.max(withTrades, withoutTrades), drawsPerSecTrades: withTrades, drawsPerSecNoTrades: withoutTrades, reopenCachedDemoMs: reopenMs, at: new Date().toISOString() };
  console.log('window measurements', JSON.stringify(out));
  // Regression guards, far above the numbers measured on this 2-core VM (see the report).
  for (const v of Object.values(switchMs)) expect(v).toBeLessThan(3000);
  expect(out.drawsPerSec).toBeGreaterThan(0.5); // it plays and draws (1.7–11 draws/s measured; the VM is shared)
});

test('browser mode: a dropped file is uploaded with progress (PUT /api/upload, token header) and opened', async () => {
  // The real endpoint of serve (docs/SECURITY.md): the request is watched, not stubbed.
  // (A file body sent by XHR is not visible to Playwright: the server's answer counts the bytes.)
  const seen: { method: string; url: string; token: string | undefined; bytes: number }[] = [];
  const watch = async (res: import('@playwright/test').Response) => {
    const req = res.request();
    if (!req.url().includes('/api/upload') || res.status() !== 200) return;
    const body = (await res.json()) as { bytes?: number };
    seen.push({ method: req.method(), url: req.url(), token: req.headers()['x-spymaster-token'], bytes: body.bytes ?? -1 });
  };
  page.on('response', watch);
  const bytes = readFileSync(ESH4_FILE);
  await page.evaluate(
    ({ b64, name }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], name));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { b64: bytes.toString('base64'), name: 'esh4 dropped.mbo.dbn.zst' },
  );
  await expect.poll(async () => (await windowState(page)).symbol, { timeout: 200_000 }).toBe('ESH4');
  const token = await page.evaluate(() => sessionStorage.getItem('spymaster.token'));
  await expect.poll(() => seen.length).toBe(1);
  expect(seen[0].method).toBe('PUT');
  expect(seen[0].url).toContain('/api/upload?name=esh4%20dropped.mbo.dbn.zst');
  expect(seen[0].bytes).toBe(bytes.length);
  expect(seen[0].token ?? null).toBe(token);
  await waitForView(page, 120_000);
  await fullShot(page, 'w09-dropped');
  page.off('response', watch);
  // An engine without the endpoint: said in words, with what to do instead.
  await page.route('**/api/upload**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(10)], 'x.dbn'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.locator('[data-testid=alert][data-code="ui.upload_failed"]')).toContainText('does not accept dropped files');
  await page.unroute('**/api/upload**');
  // Leave the shared engine on the demo for the specs after this one.
  await page.getByTestId('open-file').click();
  await page.getByTestId('open-dialog').getByRole('button', { name: 'Open demo session' }).click();
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 120_000 }).toBe(true);
  expect(pageErrors).toEqual([]);
});
