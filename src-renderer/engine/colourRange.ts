import { FIELD_INFO } from '../../contracts/protocol';
import { nearlySameRange, percentileRange } from '../data/colorScale';
import { chartStore } from '../state/chartStore';

// The heatmap's colour range: percentiles over what the view shows (up to now).

/**
 * Cells sampled for the colour range's percentiles: 20 k keeps ~200 cells beyond the 1st/99th
 * percentile, and sorting them takes ~2 ms where 60 k took ~8 ms (on every seek's slab and
 * every 20 live frames).
 */
const RANGE_SAMPLE = 20_000;

export function refreshRange(): void {
  const st = chartStore.getState();
  const signed = FIELD_INFO[st.field].signed;
  if (!st.data || st.nowIndex === null) {
    chartStore.setState({ range: { ...st.range, signed, log: st.logScale } });
    return;
  }
  const sample = st.data.ring.sample(Math.max(0, st.view.t0), Math.min(st.view.t1, st.nowIndex), RANGE_SAMPLE);
  if (sample.length === 0) {
    chartStore.setState({ range: { ...st.range, signed, log: st.logScale } });
    return;
  }
  const next = percentileRange(sample, signed, st.logScale, st.contrast);
  if (!nearlySameRange(st.range, next)) chartStore.setState({ range: next });
}
