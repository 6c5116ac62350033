// The mid-dynamics statistics on hand-made top-of-book streams whose answers are worked out by
// hand (prices in ticks; grid second k sees the book left by the last event before k).
import { describe, expect, it } from 'vitest';
import { MarketStatsBuilder } from './marketStats';

describe('market statistics', () => {
  it('clock-time, event-time, autocorrelation and signature on a five-event stream', () => {
    const b = new MarketStatsBuilder({ fromSec: 0, toSec: 6, horizons: [1, 2], maxIntervalSec: 2 });
    b.push(0.5, 100, 101, 5, 1); // mid 100.5, bid queue bigger
    b.push(1.5, 101, 102, 1, 5); // +1 tick (QI before: up → hit)
    b.push(2.5, 100, 101, 3, 3); // −1 tick (QI before: down → hit), a reversal
    b.push(3.5, 100, 102, 2, 3); // +½ tick (QI before: balanced → not counted), a reversal
    b.push(4.5, 101, 102, 2, 4); // +½ tick (QI before: down → miss), a continuation
    const s = b.finish();
    // grid: k=0 no book, then 100.5, 101.5, 100.5, 101, 101.5 with QI +, −, 0, −, −
    expect(s.fromSec).toBe(0);
    expect(s.toSec).toBe(6);
    expect(s.validSeconds).toBe(5);
    const [h1, h2] = s.clock;
    expect(h1.pChanged).toEqual({ value: 1, n: 4 });
    expect(h1.noChangeMaeTicks).toEqual({ value: 0.75, n: 4 });
    expect(h1.qiHit).toEqual({ value: 2 / 3, n: 3 });
    expect(h1.persistence).toEqual({ value: 1 / 3, n: 3 });
    expect(h2.pChanged).toEqual({ value: 2 / 3, n: 3 });
    expect(h2.noChangeMaeTicks.value).toBeCloseTo(0.5, 12);
    expect(h2.qiHit).toEqual({ value: 1, n: 1 });
    expect(h2.persistence.n).toBe(0);
    expect(s.event.midChanges).toBe(4);
    expect(s.event.halfTickShare).toEqual({ value: 0.5, n: 4 });
    expect(s.event.reversalShare).toEqual({ value: 2 / 3, n: 3 });
    expect(s.event.qiHitNextChange).toEqual({ value: 2 / 3, n: 3 });
    // 1-s changes +1, −1, +½, +½ (mean ¼): Σ products −1.1875 / Σ squares 2.25
    expect(s.acf1.n).toBe(3);
    expect(s.acf1.value).toBeCloseTo(-1.1875 / 2.25, 12);
    expect(s.signature.intervalSec).toEqual([1, 2]);
    expect(s.signature.varPerSecTicks2[0]).toBeCloseTo(0.625, 12);
    expect(s.signature.varPerSecTicks2[1]).toBeCloseTo(1.25 / 3 / 2, 12);
    expect(s.signature.n).toEqual([4, 3]);
  });

  it('counts only changes inside the window and leaves a crossed book out of the grid', () => {
    const b = new MarketStatsBuilder({ fromSec: 10, toSec: 14, horizons: [1] });
    b.push(5, 100, 101, 1, 1);
    b.push(7, 101, 102, 1, 1); // a change before the window: not counted, not a "previous" change
    b.push(12, 102, 103, 4, 1); // +1 inside the window
    b.push(12.5, 103, 103, 1, 1); // locked: no mid
    b.push(20, 103, 104, 1, 1); // after the window
    const s = b.finish();
    expect(s.event.midChanges).toBe(1);
    expect(s.event.reversalShare.n).toBe(0);
    expect(s.event.qiHitNextChange.n).toBe(0); // the queues were equal before it
    expect(s.validSeconds).toBe(3); // 10, 11, 12 see 101.5; 13 sees the locked book
    expect(s.clock[0].pChanged).toEqual({ value: 0, n: 2 });
  });
});
