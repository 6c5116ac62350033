import { describe, expect, it } from 'vitest';
import { isMajorLine, labelsClearOfTags, priceGridLines, priceGridStep, stackPriceTags } from './axisTicks';

// Labels at least 34 px apart (overlay.ts); ES and NQ tick 0.25, CL 0.01, ZN 1/64, a 1-point tick.
const MIN_PX = 34;

describe('price grid step', () => {
  it('ES / NQ (tick 0.25): quarter points up close, then 1, 2, 5, 10, 25, 50, 100 points; never 2.5 or an odd tick', () => {
    // price per px → step
    const cases: [number, number][] = [
      [0.25 / 40, 0.25], // a tick is 40 px tall: every tick labelled
      [0.01, 0.5],
      [0.02, 1],
      [0.05, 2],
      [0.1, 5],
      [0.2, 10],
      [0.5, 25],
      [1, 50],
      [2.5, 100],
      [5, 250],
    ];
    for (const [ppp, step] of cases) expect(priceGridStep(0.25, ppp, MIN_PX)).toBe(step);
    // Every step the ES axis can take, over zooms from 50 px a tick to 2,000 points on the plot.
    const seen = new Set<number>();
    for (let ppp = 0.005; ppp < 3; ppp *= 1.07) seen.add(priceGridStep(0.25, ppp, MIN_PX));
    expect([...seen].sort((a, b) => a - b)).toEqual([0.25, 0.5, 1, 2, 5, 10, 25, 50, 100]);
  });

  it('the lines are at least minPx apart and the step is a whole number of ticks', () => {
    for (const tick of [0.25, 0.01, 1, 0.5, 1 / 64]) {
      for (let ppp = tick / 50; ppp < tick * 500; ppp *= 1.13) {
        const s = priceGridStep(tick, ppp, MIN_PX);
        expect(s / ppp).toBeGreaterThanOrEqual(MIN_PX * (1 - 1e-9));
        const q = s / tick;
        expect(Math.abs(q - Math.round(q))).toBeLessThan(1e-6);
      }
    }
    expect(priceGridStep(0.01, 0.001, MIN_PX)).toBe(0.05);
    expect(priceGridStep(1, 0.01, MIN_PX)).toBe(1);
  });
});

describe('price grid lines', () => {
  it('fall on multiples of the step, whatever the first price of the grid', () => {
    expect(priceGridLines(6553.25, 6571.75, 5)).toEqual([6555, 6560, 6565, 6570]);
    expect(priceGridLines(6553.25, 6554.5, 0.25)).toEqual([6553.25, 6553.5, 6553.75, 6554, 6554.25, 6554.5]);
    expect(priceGridLines(4791.3, 4812, 10)).toEqual([4800, 4810]);
    expect(priceGridLines(71.234, 71.3, 0.02)).toEqual([71.24, 71.26, 71.28, 71.3]);
    expect(priceGridLines(10, 9, 1)).toEqual([]);
  });

  it('marks every fifth step as major', () => {
    expect(isMajorLine(6550, 1)).toBe(true);
    expect(isMajorLine(6551, 1)).toBe(false);
    expect(isMajorLine(6550, 10)).toBe(true);
    expect(isMajorLine(6560, 10)).toBe(false);
  });
});

describe('axis labels and tags', () => {
  it('drops exactly the labels that meet a tag (with a gap)', () => {
    const labels = [
      { a: 0, b: 10, text: 'A' },
      { a: 20, b: 30, text: 'B' },
      { a: 40, b: 50, text: 'C' },
    ];
    expect(labelsClearOfTags(labels, [{ a: 29, b: 35 }]).map((l) => l.text)).toEqual(['A', 'C']);
    expect(labelsClearOfTags(labels, [{ a: 31, b: 38 }]).map((l) => l.text)).toEqual(['A', 'C']); // 1 px apart < gap 2
    expect(labelsClearOfTags(labels, [{ a: 33, b: 37 }]).map((l) => l.text)).toEqual(['A', 'B', 'C']);
    expect(labelsClearOfTags(labels, []).length).toBe(3);
  });

  it('stacks ask above and bid below the spot tag when the spread is narrower than a tag', () => {
    expect(stackPriceTags(100, 96, 104, 16)).toEqual({ spot: 100, ask: 84, bid: 116 });
    expect(stackPriceTags(100, 60, 140, 16)).toEqual({ spot: 100, ask: 60, bid: 140 });
    expect(stackPriceTags(null, 98, 102, 16)).toEqual({ spot: null, ask: 92, bid: 108 });
    expect(stackPriceTags(100, null, null, 16)).toEqual({ spot: 100, ask: null, bid: null });
  });
});
