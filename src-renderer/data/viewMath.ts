import { MARGIN_SHARE, MAX_SPAN, MIN_SPAN, type View } from '../state/chartStore';

// Pure view arithmetic for zoom, pan and follow; the chart component and tests share it.

export function clampSpan(span: number): number {
  return Math.max(MIN_SPAN, Math.min(MAX_SPAN, span));
}

/** Zoom time by `factor` (>1 zooms out) keeping `anchorT` under the cursor. */
export function zoomTime(v: View, anchorT: number, factor: number): View {
  const span = clampSpan((v.t1 - v.t0) * factor);
  const a = (anchorT - v.t0) / (v.t1 - v.t0);
  return { ...v, t0: anchorT - a * span, t1: anchorT + (1 - a) * span };
}

export function zoomPrice(v: View, anchorP: number, factor: number, nPrices: number): View {
  const span = Math.max(8, Math.min(Math.max(nPrices, 8), (v.p1 - v.p0) * factor));
  const a = (anchorP - v.p0) / (v.p1 - v.p0);
  return { ...v, p0: anchorP - a * span, p1: anchorP + (1 - a) * span };
}

export function pan(v: View, dt: number, dp: number): View {
  return { t0: v.t0 + dt, t1: v.t1 + dt, p0: v.p0 + dp, p1: v.p1 + dp };
}

/**
 * Follow mode: "now" sits at the left edge of the prediction margin; price recentres on spot
 * when spot leaves the middle 60 % of the visible prices (not every tick, so the picture is calm).
 */
export function followView(v: View, now: number, spotRow: number): View {
  const span = v.t1 - v.t0;
  const t1 = now + span * MARGIN_SHARE;
  let { p0, p1 } = v;
  if (Number.isFinite(spotRow)) {
    const ps = p1 - p0;
    if (spotRow < p0 + ps * 0.2 || spotRow > p1 - ps * 0.2) {
      p0 = spotRow - ps / 2;
      p1 = spotRow + ps / 2;
    }
  }
  return { t0: t1 - span, t1, p0, p1 };
}

/** Nice step for axis ticks: 1, 2, 5 × 10^k covering `raw`. */
export function niceStep(raw: number): number {
  const k = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * k >= raw) return m * k;
  return 10 * k;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

export function timeStep(secondsPerPx: number, minPx: number): number {
  for (const s of TIME_STEPS) if (s / secondsPerPx >= minPx) return s;
  return 43200;
}
