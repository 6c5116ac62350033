import { formatClock } from '../data/exchangeTime';
import { msOfIndex } from '../data/sessionGeom';
import { cvdSeries, volumeProfile } from '../profile/profileData';
import { drawCvd, drawProfile } from '../profile/drawProfile';
import { cvdGeometry, profileBars, profileBox, visibleWindowRange } from '../profile/profileGeometry';
import { CHUNK, type ChartState } from '../state/chartStore';
import type { OverlayLayer } from './overlayLayer';
import type { Layer, MarksInput } from './types';

// The volume profile (traded volume per price over the visible windows, by aggressor side) at
// the data's right edge and the cumulative volume delta strip along the plot's bottom. Reads
// the trades the trades layer keeps per chunk (st.data.trades); its loader is that layer's,
// asked even while the bubbles are hidden. The CVD cumulates from the session's first window
// (a trader reads it against the session, not against wherever the view starts), so this
// layer asks for every trades chunk from window 0 up to now; until they are all in, the strip
// says it is anchored at the view's start.

/** What the CVD strip last showed, for the e2e tests (window.__spymaster.cvd). */
export const cvdReadout: { last: { anchorIndex: number; fromSessionStart: boolean; last: number; hi: number } | null } = { last: null };

export class ProfileLayer implements Layer {
  readonly id = 'profile' as const;
  readonly reads = [] as const;

  constructor(private readonly trades: OverlayLayer) {}

  visible(st: ChartState): boolean {
    return st.showProfile && !st.data?.tradesUnavailable;
  }

  reset(): void {}

  ensureLoaded(): void {
    this.trades.load(0);
  }

  chunkEntered(): void {
    this.trades.load(0);
  }

  drawMarks({ ctx, plot, st }: MarksInput): void {
    if (!st.data || st.nowIndex === null || !st.data.trades.size) return;
    const range = visibleWindowRange(st.view, st.nowIndex);
    if (!range) return;
    const [lo, hi] = range;
    // Anchored at the session's first window once every trades chunk up to the view's end is held.
    const held = st.data.overlayChunks.get('trades');
    let whole = true;
    for (let c = 0; c <= Math.floor(hi / CHUNK) && whole; c++) whole = held?.get(c) === 'loaded';
    const anchor = whole ? 0 : lo;
    const series = cvdSeries(st.data.trades.values(), anchor, hi).subarray(lo - anchor);
    const since = st.geom ? formatClock(msOfIndex(st.geom, anchor - 1), st.geom.info.timeZone) : '';
    const cvd = cvdGeometry(series, lo, st.view, plot, st.nowIndex);
    if (cvd) drawCvd(ctx, cvd, whole ? `since session start ${since}` : `since view start ${since} (loading)`);
    cvdReadout.last = cvd ? { anchorIndex: anchor, fromSessionStart: whole, last: cvd.last, hi } : null;
    const box = profileBox(st.view, plot, st.nowIndex, cvd !== null);
    if (!box) return;
    const profile = volumeProfile(st.data.trades.values(), lo, hi);
    drawProfile(ctx, profileBars(profile, st.view, plot, box), box, profile.maxTotal);
  }
}
