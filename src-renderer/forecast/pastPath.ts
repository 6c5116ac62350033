import type { PlotRect } from '../render/heatmap';
import type { View } from '../state/chartStore';
import { axesOf } from './marginGeometry';

// The past-forecast path (pure, tested): at each visible time t up to now, where the model
// put the spot when it forecast h seconds ahead from window t − h. Drawn dotted over the
// spot line so forecast and what happened can be compared; gaps (no forecast held, invalid
// book) break the path.

/** Predicted absolute tick for time t made h s before it, NaN when not held. */
export type PredictedAt = (originWindow: number, horizonS: number) => number;

export function pastPathSegments(predictedAt: PredictedAt, horizonS: number, view: View, plot: PlotRect, nowIndex: number, rowOfTick: (tick: number) => number): { x: number; y: number }[][] {
  const { xOf, yOf } = axesOf(view, plot);
  const lo = Math.max(horizonS, Math.floor(view.t0));
  const hi = Math.min(nowIndex, Math.ceil(view.t1));
  // One vertex per window, or per pixel when zoomed out (like the spot line).
  const stride = Math.max(1, Math.floor((view.t1 - view.t0) / plot.w));
  const segments: { x: number; y: number }[][] = [];
  let seg: { x: number; y: number }[] | null = null;
  for (let t = lo; t <= hi; t += stride) {
    const tick = predictedAt(t - horizonS, horizonS);
    if (!Number.isFinite(tick)) {
      seg = null;
      continue;
    }
    if (!seg) segments.push((seg = []));
    seg.push({ x: xOf(t), y: yOf(rowOfTick(tick)) });
  }
  return segments;
}
