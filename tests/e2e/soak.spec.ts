// The soak in under a minute (CI; the long run is `npm run soak -- --minutes N`): the demo at
// max speed with seeks, field switches and overlay toggles against the suite's real server.
// The short run cannot judge slow leaks, so its memory bound is looser (25 %) than the long
// run's 10 %; errors, engine restarts and stalled frames fail it the same way. The engine is
// shared with the other specs: the playhead, speed and field are put back as they were.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { soak, waitLoaded } from '../../scripts/soak/driver';
import { clockOf, waitForView, windowState } from './support/workstation';

test('soak: 50 s of max-speed play with seeks, field switches and overlay toggles', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  try {
    await page.goto('/');
    await waitLoaded(page, 200_000);
    const before = await waitForView(page);
    const speed = await page.getByTestId('speed').inputValue();
    const r = await soak(page, { seconds: 50, sampleEverySec: 5, warmupSec: 15, maxGrowth: 0.25, dbPath: join(process.env.SPYMASTER_E2E_DIR!, 'e2e.duckdb') });
    console.log(JSON.stringify({ growth: r.growth, frameDecodeMs: r.frameDecodeMs, drawMs: r.drawMs, drawsPerSec: r.drawsPerSec, actions: r.actions }));
    expect(r.why).toEqual([]);
    expect(r.samples.length).toBeGreaterThanOrEqual(8);
    expect(Object.values(r.actions).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(r.drawMs.n).toBeGreaterThan(50);

    // Put the shared engine back: paused at the same playhead, same speed and field.
    if ((await windowState(page)).playback === 'playing') await page.keyboard.press('Space');
    await expect.poll(async () => (await windowState(page)).playback).not.toBe('playing');
    await page.getByTestId('speed').selectOption(speed);
    await page.getByTestId('field-select').selectOption(before.field);
    await page.getByTestId('jump-input').fill(clockOf(before, before.nowIndex!));
    await page.getByTestId('jump-go').click();
    await expect.poll(async () => (await windowState(page)).nowIndex, { timeout: 30_000 }).toBe(before.nowIndex);
  } finally {
    await page.close();
  }
});
