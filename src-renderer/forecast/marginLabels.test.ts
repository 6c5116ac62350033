import { describe, expect, it } from 'vitest';
import type { PlotRect } from '../render/heatmap';
import type { View } from '../state/chartStore';
import { handPath } from './testing/handPath';
import { marginBox, marginGeometry, type LabelRect } from './marginGeometry';
import { LABEL_H, pathSpanY, pillText, placeLabels, placeTicks } from './marginLabels';

// The margin's labels with hand-made forecasts on a 1000 × 400 px plot (now = window 0). A
// monospace-like width: 6 px a character.

const plot: PlotRect = { x: 0, y: 0, w: 1000, h: 400 };
const rowOfTick = (tick: number) => tick - 1000;
const widthOf = (t: string) => 6 * t.length;

const path = handPath;

const apart = (a: LabelRect, b: LabelRect) => a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;

function layout(view: View, moves: number[], half: number[]) {
  const box = marginBox(view, plot, 0)!;
  const geo = marginGeometry(path(1020, moves, half), box, view, plot, rowOfTick)!;
  const rects = placeLabels(geo.labels, geo.path, widthOf, box, 0, 400);
  return { box, geo, rects };
}

function expectClean({ box, geo, rects }: ReturnType<typeof layout>) {
  const shown = rects.filter((r): r is LabelRect => r !== null);
  for (let i = 0; i < shown.length; i++) {
    const r = shown[i];
    expect(r.x).toBeGreaterThanOrEqual(box.x0);
    expect(r.x + r.w).toBeLessThanOrEqual(1000);
    expect(r.y).toBeGreaterThanOrEqual(0);
    expect(r.y + r.h).toBeLessThanOrEqual(400);
    // Clear of the predicted path over the pill's width.
    const span = pathSpanY(geo.path, r.x, r.x + r.w)!;
    expect(r.y >= span[1] || r.y + r.h <= span[0]).toBe(true);
    for (let j = 0; j < i; j++) expect(apart(r, shown[j])).toBe(true);
  }
}

describe('margin labels', () => {
  it('name their horizon: "10s ▲ +1"', () => {
    expect(pillText({ horizonS: 10, text: '▲ +1' })).toBe('10s ▲ +1');
  });

  it('sit outside the band (below a fall, above a rise) and never overlap, even on a steep path', () => {
    // 40 rows in view (10 px a tick); a fall of 0.3 tick a second, narrow band.
    const l = layout({ t0: -880, t1: 120, p0: 0, p1: 40 }, Array.from({ length: 30 }, (_, i) => -(i + 1) * 0.3), Array(30).fill(0.3));
    expect(l.rects.every((r) => r !== null)).toBe(true);
    expectClean(l);
    l.geo.labels.forEach((lab, i) => {
      const r = l.rects[i]!;
      expect(r.y >= lab.yBandLo || r.y + r.h <= lab.yBandHi).toBe(true);
    });
    // The path's end, placed first, is labelled below its band (a fall).
    expect(l.rects[3]!.y).toBeGreaterThanOrEqual(l.geo.labels[3].yBandLo);
  });

  it('zoomed in on price (the band far past the plot), all four still show, apart and off the path', () => {
    // 4 rows in view (100 px a tick): a rise of 0.5 tick a second, band ±2…±15 ticks — every
    // label wants the plot's top edge (the old placement could only clamp them to the top or
    // bottom edge, and put the rest over one another).
    for (const moves of [Array.from({ length: 30 }, (_, i) => 0.5 * (i + 1)), Array(30).fill(2.9), Array(30).fill(-0.4)]) {
      const l = layout({ t0: -880, t1: 120, p0: 18, p1: 22 }, moves, Array.from({ length: 30 }, (_, i) => 2 + i / 2));
      expectClean(l);
      expect(l.rects.filter((r) => r).length).toBe(4);
    }
  });

  it('in a narrow margin the pills stack, none over another; a pill wider than the margin is not drawn', () => {
    // Now at x = 900: an 86 px margin holds one pill per row at most, 1/5/10 s a few px apart.
    const l = layout({ t0: -900, t1: 100, p0: 18, p1: 22 }, Array(30).fill(2.9), Array(30).fill(6));
    expectClean(l);
    // 30 s (the path's end) is placed first.
    expect(l.rects[3]).not.toBeNull();
    const w = widthOf(pillText(l.geo.labels[3])) + 8;
    // Pills wider than the margin are not drawn at all.
    const tiny = layout({ t0: -960, t1: 40, p0: 0, p1: 40 }, Array(30).fill(1), Array(30).fill(1));
    expect(tiny.box.x1 + 14 - tiny.box.x0 - 4).toBeLessThan(w);
    expect(tiny.rects.every((r) => r === null)).toBe(true);
  });

  it('finds the path\'s extent under a pill, between vertices too', () => {
    const p = [
      { x: 0, y: 100 },
      { x: 10, y: 80 },
      { x: 30, y: 120 },
    ];
    expect(pathSpanY(p, 5, 20)).toEqual([80, 100]);
    expect(pathSpanY(p, 40, 50)).toBeNull();
    expect(LABEL_H).toBe(14);
  });
});

describe('margin horizon ticks', () => {
  it('drop the ticks that would touch one kept before them (30 s first, 1 s last)', () => {
    // A 60 px margin: 1 s at 11, 5 s at 24.5, 10 s at 34.6, 30 s at 60.
    const xs = [1, 5, 10, 30].map((h) => ({ horizonS: h, x: Math.sqrt(h / 30) * 60, w: h < 10 ? 12 : 18 }));
    const r = placeTicks(xs, 0, 10);
    expect(r[3]).not.toBeNull();
    expect(r[1]).not.toBeNull();
    expect(r[2]).toBeNull();
    const shown = r.filter((q): q is LabelRect => q !== null);
    for (let i = 0; i < shown.length; i++) for (let j = 0; j < i; j++) expect(apart(shown[i], shown[j])).toBe(true);
    // A wide margin keeps all four.
    expect(placeTicks(xs.map((t) => ({ ...t, x: t.x * 5 })), 0, 10).every((q) => q !== null)).toBe(true);
  });
});
