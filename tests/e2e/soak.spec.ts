// The soak in under a minute (CI; the long run is `npm run soak -- --minutes N`): the demo at
// max speed with seeks, field switches and overlay toggles against the suite's real server.
// The short run cannot judge slow leaks, so its memory bound is looser (25 %) than the long
// run's 10 %; errors, engine restarts and stalled frames fail it the same way.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { soak, waitLoaded } from '../../scripts/soak/driver';

test('soak: 50 s of max-speed play with seeks, field switches and overlay toggles', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  try {
    await page.goto('/');
    await waitLoaded(page, 200_000);
    const r = await soak(page, { seconds: 50, sampleEverySec: 5, warmupSec: 15, maxGrowth: 0.25, dbPath: join(process.env.SPYMASTER_E2E_DIR!, 'e2e.duckdb') });
    console.log(JSON.stringify({ growth: r.growth, frameDecodeMs: r.frameDecodeMs, drawMs: r.drawMs, drawsPerSec: r.drawsPerSec, actions: r.actions }));
    expect(r.why).toEqual([]);
    expect(r.samples.length).toBeGreaterThanOrEqual(8);
    expect(Object.values(r.actions).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(r.drawMs.n).toBeGreaterThan(50);
  } finally {
    await page.close();
  }
});
