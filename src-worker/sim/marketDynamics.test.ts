// Issue 12: at the activity of the real quiet ESH4 hour the simulated mid moves like the real
// one at the forecast horizons — no clock-time momentum, queue imbalance still predictive, a
// 30-s wander comparable to real (0.95 ticks). One fixed seed, a whole quiet hour (≈ 2 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateToFile } from './index';
import { computeMboStats } from './report';

const dir = mkdtempSync(join(tmpdir(), 'sim-dyn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulated mid dynamics in a quiet hour (09:30–10:30, intensity 0.03, seed 42)', () => {
  it('shows no momentum at 1/5/30 s and keeps the queue imbalance predictive', async () => {
    const out = join(dir, 'quiet.dbn');
    const s = await simulateToFile({ out, start: '09:30', end: '10:30', intensity: 0.03, seed: 42 });
    const { market: m } = await computeMboStats(out, { instrumentId: s.instrumentId });
    expect(m.validSeconds).toBeGreaterThan(3590);
    const [h1, h5, h30] = m.clock;
    expect([h1.horizonSec, h5.horizonSec, h30.horizonSec]).toEqual([1, 5, 30]);
    for (const h of [h1, h5, h30]) {
      expect(h.persistence.n).toBeGreaterThan(100); // the real hour has 98 at 1 s
      expect(h.persistence.value).toBeLessThanOrEqual(0.55);
    }
    expect(h1.qiHit.value).toBeGreaterThanOrEqual(0.68);
    expect(h5.qiHit.value).toBeGreaterThanOrEqual(0.6);
    expect(m.event.qiHitNextChange.n).toBeGreaterThan(1000);
    expect(m.event.qiHitNextChange.value).toBeGreaterThanOrEqual(0.68);
    // as active as the real hour (P(changed in 1 s) 0.105) and a 30-s wander like its 0.95 ticks
    expect(h1.pChanged.value).toBeGreaterThan(0.05);
    expect(h1.pChanged.value).toBeLessThan(0.25);
    expect(h30.noChangeMaeTicks.value).toBeGreaterThan(0.6);
    expect(h30.noChangeMaeTicks.value).toBeLessThan(1.5);
    // the mid bounces (changes mostly reverse) and does not trend: flat-to-falling signature
    expect(m.event.reversalShare.value).toBeGreaterThan(0.5);
    expect(m.acf1.value).toBeLessThan(0.05);
    const sig = m.signature.varPerSecTicks2;
    expect(sig[59]).toBeLessThan(1.3 * sig[4]);
  });
});
