/// <reference lib="dom" />
// Helpers shared by the workstation specs: the window's read-only test hook
// (window.__spymaster), plot-area screenshots decoded to pixels, and waiting on the engine.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodePng, type Image } from './png';

export const SHOTS = join(process.cwd(), 'test-results', 'screens');
mkdirSync(SHOTS, { recursive: true });

/** The real ESH4 2023-12-25 file the specs open through the UI path. */
export const ESH4_FILE = resolve('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');

/**
 * One 1600×900 page for a serial spec file: opened before its tests (handed to `use`), closed
 * after them; uncaught page errors are collected in `pageErrors` for the specs to assert empty.
 */
export function useSharedPage(use: (page: Page) => void, pageErrors: string[]): void {
  let page: Page | undefined;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    use(page);
  });
  test.afterAll(async () => {
    await page?.close();
  });
}

/** Matches src-renderer/render/overlay.ts (axis widths) so clips cover only the heatmap. */
const AXIS_RIGHT = 76;
const AXIS_BOTTOM = 28;
const PLOT_TOP = 6;

export interface WindowState {
  hasSession: boolean;
  nowIndex: number | null;
  view: { t0: number; t1: number; p0: number; p1: number };
  follow: boolean;
  field: string;
  signed: boolean;
  playback: string;
  windowCount: number;
  nPrices: number;
  firstMs: number;
  timeZone: string;
  symbol: string | null;
  isDemo: boolean;
  spotPrice: number | null;
  loaded: boolean;
  draws: number;
  seekMs: number[];
  /** The session on show is still being built (progressive display): windows built so far, else null. */
  built: number | null;
}

export async function windowState(page: Page): Promise<WindowState> {
  return page.evaluate(() => {
    const h = (window as unknown as { __spymaster: any }).__spymaster;
    const s = h.chart.getState();
    const g = s.geom;
    const spotRow = g && s.nowIndex !== null ? s.data.spotRow[s.nowIndex] : NaN;
    return {
      hasSession: !!g,
      nowIndex: s.nowIndex,
      view: s.view,
      follow: s.follow,
      field: s.field,
      signed: s.range.signed,
      playback: s.playback,
      windowCount: g?.windowCount ?? 0,
      nPrices: g?.nPrices ?? 0,
      firstMs: g?.firstMs ?? 0,
      timeZone: g?.info.timeZone ?? 'UTC',
      symbol: g?.info.symbol ?? null,
      isDemo: g?.info.isDemo ?? false,
      spotPrice: Number.isFinite(spotRow) ? (Number(g.priceMinInt) + spotRow * Number(g.tickInt)) / 1e9 : null,
      loaded: h.engine.visibleLoaded(),
      draws: h.perf.draws,
      seekMs: [...h.perf.seek],
      built: s.built ?? null,
    };
  });
}

/**
 * Waits until a session is open and every visible column up to now is drawn — a committed
 * session, unless `growing` (a build still running shows its windows first: progressive display).
 */
export async function waitForView(page: Page, timeout = 60_000, opts: { growing?: boolean } = {}): Promise<WindowState> {
  await expect
    .poll(async () => {
      const s = await windowState(page);
      return s.hasSession && s.nowIndex !== null && s.loaded && (opts.growing ? s.built !== null : s.built === null);
    }, { timeout, intervals: [100, 250, 500] })
    .toBe(true);
  // One more frame so the last slab is on screen, not just in the ring.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return windowState(page);
}

export async function plotBox(page: Page) {
  const b = (await page.getByTestId('chart').boundingBox())!;
  return { x: b.x, y: b.y + PLOT_TOP, width: b.width - AXIS_RIGHT, height: b.height - PLOT_TOP - AXIS_BOTTOM };
}

/** Screenshot of the heatmap plot area (saved as an artifact) decoded to RGBA. */
export async function plotPixels(page: Page, name: string): Promise<Image> {
  const clip = await plotBox(page);
  const buf = await page.screenshot({ clip, path: join(SHOTS, `${name}-plot.png`) });
  return decodePng(buf);
}

export async function fullShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Local wall-clock "HH:MM:SS" of window `index` in the session's zone (as the axis prints it). */
export function clockOf(s: WindowState, index: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: s.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(s.firstMs + index * 1000));
}

export async function openPath(page: Page, path: string, session: { start?: string; end?: string; tz?: string; date?: string; pace?: string } = {}): Promise<void> {
  await page.getByTestId('open-file').click();
  await page.getByTestId('open-path').fill(path);
  for (const [k, v] of Object.entries(session)) {
    if (k === 'pace') await page.getByTestId('open-pace').selectOption(v);
    else await page.getByTestId(`open-${k}`).fill(v);
  }
  await page.getByTestId('open-submit').click();
}

/**
 * The shared engine back on the demo, as every spec expects to find it (and must leave it): a
 * spec that failed half-way may have left another session open — this puts the demo back
 * instead of letting the next spec test the wrong session.
 */
export async function backToDemo(page: Page): Promise<void> {
  const s = await windowState(page).catch(() => null);
  if (s?.isDemo && s.built === null) return;
  // A build still running refuses another open: cancel it (the session before it comes back).
  for (const id of ['cancel-build', 'cancel-ingest']) {
    const b = page.getByTestId(id);
    if (await b.isVisible().catch(() => false)) await b.click().catch(() => undefined);
  }
  await expect(page.getByTestId('cancel-build')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('cancel-ingest')).toHaveCount(0, { timeout: 60_000 });
  if ((await windowState(page)).isDemo) return void (await waitForView(page));
  await page.getByTestId('open-file').click();
  await page.getByTestId('open-dialog').getByRole('button', { name: 'Open demo session' }).click();
  await expect.poll(async () => (await windowState(page)).isDemo, { timeout: 120_000 }).toBe(true);
  await waitForView(page);
}

/** Opens the page and waits for the demo's first heatmap (opening the demo if another session is on). */
export async function gotoDemo(page: Page, timeout = 200_000): Promise<WindowState> {
  await page.goto('/');
  await expect.poll(async () => (await windowState(page)).hasSession && !(await windowState(page)).built, { timeout }).toBe(true);
  await backToDemo(page);
  return awayFromTheEnd(page, await waitForView(page, timeout));
}

/**
 * A playhead with room to play and step: a spec before may have left the shared session at its
 * last window (End), where play and step do nothing. Then it jumps to three quarters in.
 */
export async function awayFromTheEnd(page: Page, s: WindowState): Promise<WindowState> {
  if (s.nowIndex === null || s.nowIndex < s.windowCount - 60) return s;
  await page.getByTestId('jump-input').fill(clockOf(s, Math.floor(s.windowCount * 0.75)));
  await page.getByTestId('jump-go').click();
  await expect.poll(async () => (await windowState(page)).nowIndex! < s.windowCount - 60).toBe(true);
  await expect.poll(async () => (await windowState(page)).playback).not.toBe('seeking');
  return waitForView(page);
}

/** Two animation frames: what the last state change draws is on screen. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** The prediction margin (right of now, inside the plot), saved as `<name>-margin.png` and decoded. */
export async function marginPixels(page: Page, name: string): Promise<Image> {
  const s = await windowState(page);
  const b = await plotBox(page);
  const xNow = b.x + ((s.nowIndex! - s.view.t0) / (s.view.t1 - s.view.t0)) * b.width;
  const clip = { x: Math.ceil(xNow) + 2, y: b.y, width: Math.floor(b.x + b.width - xNow - 4), height: b.height };
  expect(clip.width).toBeGreaterThan(60);
  return decodePng(await page.screenshot({ clip, path: join(SHOTS, `${name}-margin.png`) }));
}
