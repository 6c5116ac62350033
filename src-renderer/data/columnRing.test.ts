import { describe, expect, it } from 'vitest';
import { ColumnRing } from './columnRing';

describe('ColumnRing', () => {
  it('holds one window per slot and forgets a window when a later one takes its slot', () => {
    const ring = new ColumnRing(10, 4);
    const o = ring.claim(3);
    ring.value[o + 2 * 2] = 7.5;
    ring.value[o + 2 * 2 + 1] = 1;
    expect(ring.valueAt(3, 2)).toBe(7.5);
    expect(ring.valueAt(3, 1)).toBeNull(); // present flag 0 = no data, not zero
    ring.claim(13); // same slot
    expect(ring.has(3)).toBe(false);
    expect(ring.valueAt(13, 2)).toBeNull(); // the slot was cleared, not inherited
  });

  it('clear() forgets every window; a window claimed again after it starts empty (field switch)', () => {
    const ring = new ColumnRing(10, 4);
    const o = ring.claim(3);
    ring.value[o + 2 * 2] = 7.5;
    ring.value[o + 2 * 2 + 1] = 1;
    ring.takeDirtyRuns();
    ring.clear();
    expect(ring.has(3)).toBe(false);
    expect(ring.valueAt(3, 2)).toBeNull();
    expect(ring.sample(0, 9).length).toBe(0);
    expect(ring.takeDirtyRuns()).toEqual([[0, 10]]);
    ring.claim(3);
    expect(ring.valueAt(3, 2)).toBeNull(); // the old field's value is not carried over
  });

  it('reports dirty slots as contiguous runs once', () => {
    const ring = new ColumnRing(10, 2);
    for (const w of [4, 2, 3, 8, 19]) ring.claim(w);
    expect(ring.takeDirtyRuns()).toEqual([
      [2, 3],
      [8, 2],
    ]);
    expect(ring.takeDirtyRuns()).toEqual([]);
    expect(ring.takeOwnerDirty()).toBe(true);
    expect(ring.takeOwnerDirty()).toBe(false);
  });

  it('samples only present cells of held windows in range', () => {
    const ring = new ColumnRing(8, 3);
    for (const w of [1, 2]) {
      const o = ring.claim(w);
      for (let r = 0; r < 3; r++) {
        ring.value[o + r * 2] = w * 10 + r;
        ring.value[o + r * 2 + 1] = r === 1 ? 0 : 1;
      }
    }
    expect([...ring.sample(0, 5)].sort((a, b) => a - b)).toEqual([10, 12, 20, 22]);
    expect([...ring.sample(2, 2)]).toEqual([20, 22]);
  });
});

describe('ColumnRing laps', () => {
  it('marks cells with the window lap so a stale column from another lap is told apart', () => {
    const ring = new ColumnRing(10, 1);
    expect(ring.markOf(3)).toBe(1);
    expect(ring.markOf(13)).toBe(2);
    expect(ring.markOf(10)).toBe(2);
    expect(ring.markOf(9)).toBe(1);
  });
});
