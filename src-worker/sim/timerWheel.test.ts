// The timing wheel hands out timed actions in time order, like a heap, across buckets, laps
// of the wheel and far-future entries (hours ahead).
import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { Schedule } from './schedule';
import { TimerWheel } from './timerWheel';

describe('TimerWheel', () => {
  it('pops in the same time order as a binary heap, interleaved with pushes', () => {
    const r = new Rng(99);
    const w = new TimerWheel(16);
    const h = new Schedule(16);
    let now = 0;
    let popped = 0;
    for (let step = 0; step < 200_000; step++) {
      if (r.next() < 0.52 || h.size === 0) {
        // lifetimes from microseconds to hours, as the simulator draws them
        const u = r.next();
        const dt = u < 0.5 ? r.next() * 2e6 : u < 0.9 ? r.next() * 2e10 : r.next() * 2e13;
        const t = now + Math.round(dt);
        w.push(t, step, 0);
        h.push(t, step, 0);
      } else {
        expect(w.peekTime()).toBe(h.peekTime());
        w.pop();
        h.pop();
        expect(w.popTime).toBe(h.popTime);
        now = w.popTime;
        popped++;
      }
    }
    while (h.size > 0) {
      w.pop();
      h.pop();
      expect(w.popTime).toBe(h.popTime);
    }
    expect(w.size).toBe(0);
    expect(w.peekTime()).toBe(Infinity);
    expect(popped).toBeGreaterThan(50_000);
  });
});
