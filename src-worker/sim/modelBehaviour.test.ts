// The model's behaviours a trader looks for, observed in the generated stream itself: walls,
// iceberg refills, flickering orders, order lifetimes from milliseconds to minutes, mass
// cancels in one event, and activity that scales linearly with --intensity.
import { describe, expect, it } from 'vitest';
import type { MboBatch } from '../dbn/mboBatch';
import { makeFuturesSim, planSimulation, simulateFuturesBatches } from './index';

/** Live records after `fromSec` (UTC): past the start, when the snapshot's own churn has settled. */
function count(o: Parameters<typeof simulateFuturesBatches>[0], fromSec: number): number {
  let n = 0;
  for (const b of simulateFuturesBatches(o)) for (let i = 0; i < b.count; i++) if (b.tsRecvSec[i] >= fromSec) n++;
  return n;
}

describe('futures model behaviour', () => {
  it('shows walls, icebergs, flickering orders, mass cancels and ms-to-minutes lifetimes', () => {
    const sim = makeFuturesSim(planSimulation({ start: '09:30', end: '09:36', intensity: 0.5, seed: 17 }));
    const born = new Map<number, number>();
    const lifetimes: number[] = [];
    let maxCancelsInEvent = 0;
    let cancelsInEvent = 0;
    let bigAdds = 0;
    for (const b of sim.batches() as Iterable<MboBatch>) {
      for (let i = 0; i < b.count; i++) {
        const t = (b.tsRecvSec[i] - 1.7e9) * 1e9 + b.tsRecvNano[i];
        const oid = b.orderIdHi[i] * 4294967296 + b.orderIdLo[i];
        if (b.action[i] === 0x41 && !(b.flags[i] & 0x20)) {
          born.set(oid, t);
          if (b.size[i] >= 100) bigAdds++;
        }
        if (b.action[i] === 0x43) {
          cancelsInEvent++;
          const t0 = born.get(oid);
          if (t0 !== undefined) lifetimes.push((t - t0) / 1e9);
          born.delete(oid);
        }
        if (b.flags[i] & 0x80) {
          maxCancelsInEvent = Math.max(maxCancelsInEvent, cancelsInEvent);
          cancelsInEvent = 0;
        }
      }
    }
    expect(sim.stats.walls).toBeGreaterThan(2);
    expect(sim.stats.wallPulls).toBeGreaterThan(0);
    expect(sim.stats.icebergRefills).toBeGreaterThan(0);
    expect(sim.stats.flickers).toBeGreaterThan(5);
    expect(bigAdds).toBeGreaterThan(20);
    expect(maxCancelsInEvent).toBeGreaterThan(3);
    lifetimes.sort((a, b) => a - b);
    expect(lifetimes[Math.floor(lifetimes.length * 0.05)]).toBeLessThan(0.02); // milliseconds
    expect(lifetimes[lifetimes.length - 1]).toBeGreaterThan(120); // minutes
  });

  it('scales linearly with intensity', () => {
    // the latent story (volatility regime, fair value, news) does not depend on intensity
    const from = Date.UTC(2026, 0, 6, 15, 2) / 1000;
    const a = count({ start: '10:00', end: '10:06', intensity: 0.2, seed: 2 }, from);
    const b = count({ start: '10:00', end: '10:06', intensity: 0.4, seed: 2 }, from);
    const c = count({ start: '10:00', end: '10:06', intensity: 0.8, seed: 2 }, from);
    for (const ratio of [b / a, c / b]) {
      expect(ratio).toBeGreaterThan(1.7);
      expect(ratio).toBeLessThan(2.3);
    }
  });
});
