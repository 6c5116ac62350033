import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { DIVERGING, SEQUENTIAL, normalise, valueAt, type ColorRange } from '../data/colorScale';
import { formatValue } from '../data/formatValue';
import { fieldGloss } from '../data/fieldGlossary';
import { chartStore, setContrast } from '../state/chartStore';

// The colour legend: the palette with ticks placed where their values are drawn (so a log
// scale or a contrast change moves them), in the field's units, rounded for the eye; and the
// contrast control beside it.

/** Tick values: the ends, zero for signed fields, and round values between where there is room. */
export function legendTicks(r: ColorRange): number[] {
  const round = (v: number) => {
    if (v === 0) return 0;
    const k = Math.pow(10, Math.floor(Math.log10(Math.abs(v))));
    return Math.round(v / k) * k;
  };
  const ends = r.signed ? [-r.hi, 0, r.hi] : [r.lo, r.hi];
  const inner = (r.signed ? [0.75, 0.25] : [0.33, 0.66]).map((t) => round(valueAt(t, r)));
  const kept = [...ends];
  // Labels need ~30 % of the bar each; a tick closer than that to a kept one is dropped.
  for (const v of inner) if (kept.every((k) => Math.abs(normalise(k, r) - normalise(v, r)) >= 0.3)) kept.push(v);
  return [...new Set(kept)].sort((a, b) => a - b);
}

export function Legend() {
  const range = useStore(chartStore, (s) => s.range);
  const field = useStore(chartStore, (s) => s.field);
  const contrast = useStore(chartStore, (s) => s.contrast);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current!;
    const ctx = c.getContext('2d')!;
    const pal = range.signed ? DIVERGING : SEQUENTIAL;
    const img = ctx.createImageData(256, 1);
    img.data.set(pal);
    ctx.putImageData(img, 0, 0);
  }, [range.signed]);
  const unit = fieldGloss(field).unit;
  const top = Math.max(Math.abs(range.lo), Math.abs(range.hi));
  const ticks = legendTicks(range);
  return (
    <div className="legend" data-testid="legend" title={`${range.signed ? 'Symmetric range: 95th percentile of |value| of the active cells; green = building, red = eroding' : '2nd–95th percentile of the active cells'}${range.log ? ' · log scale' : ''}`}>
      <div className="legend-bar">
        <canvas ref={ref} width={256} height={1} />
        <div className="legend-ticks">
          {ticks.map((v) => (
            <span key={v} data-testid="legend-tick" style={{ left: `${normalise(v, range) * 100}%` }}>
              {formatValue(v, top)}
            </span>
          ))}
        </div>
      </div>
      {unit && <span className="legend-unit">{unit}</span>}
      <label className="contrast" title="Contrast: to the right the many small values come out of the background, to the left only the strongest cells show; the middle is chosen from the data">
        Contrast
        <input
          type="range"
          data-testid="contrast"
          min={-2}
          max={2}
          step={0.25}
          value={Math.log2(contrast)}
          onChange={(e) => setContrast(Math.pow(2, Number(e.target.value)))}
        />
      </label>
    </div>
  );
}
