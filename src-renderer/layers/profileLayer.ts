import { cvdSeries, volumeProfile } from '../profile/profileData';
import { drawCvd, drawProfile } from '../profile/drawProfile';
import { cvdGeometry, profileBars, profileBox, visibleWindowRange } from '../profile/profileGeometry';
import type { ChartState } from '../state/chartStore';
import type { OverlayLayer } from './overlayLayer';
import type { Layer, MarksInput } from './types';

// The volume profile (traded volume per price over the visible windows, by aggressor side) at
// the data's right edge and the cumulative volume delta strip along the plot's bottom. Reads
// the trades the trades layer keeps per chunk (st.data.trades); its loader is that layer's,
// asked even while the bubbles are hidden.

export class ProfileLayer implements Layer {
  readonly id = 'profile' as const;
  readonly reads = [] as const;

  constructor(private readonly trades: OverlayLayer) {}

  visible(st: ChartState): boolean {
    return st.showProfile && !st.data?.tradesUnavailable;
  }

  reset(): void {}

  ensureLoaded(): void {
    this.trades.load();
  }

  chunkEntered(): void {
    this.trades.load();
  }

  drawMarks({ ctx, plot, st }: MarksInput): void {
    if (!st.data || st.nowIndex === null || !st.data.trades.size) return;
    const range = visibleWindowRange(st.view, st.nowIndex);
    if (!range) return;
    const [lo, hi] = range;
    const cvd = cvdGeometry(cvdSeries(st.data.trades.values(), lo, hi), lo, st.view, plot, st.nowIndex);
    if (cvd) drawCvd(ctx, cvd);
    const box = profileBox(st.view, plot, st.nowIndex, cvd !== null);
    if (!box) return;
    const profile = volumeProfile(st.data.trades.values(), lo, hi);
    drawProfile(ctx, profileBars(profile, st.view, plot, box), box, profile.maxTotal);
  }
}
