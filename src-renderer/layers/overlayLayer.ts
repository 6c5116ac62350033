import type { OverlayKind } from '../../contracts/protocol';
import { decodeOverlays } from '../data/overlayData';
import { windowEndNsOf } from '../data/sessionGeom';
import type { RequestBook } from '../engine/requestBook';
import { drawTradeBubbles, drawWallsVoids, tradeBubbles, wallVoidMarkers } from '../render/overlayMarks';
import { pushAlert } from '../state/uiStore';
import { CHUNK, bumpData, chartStore, type ChartState } from '../state/chartStore';
import type { Layer, MarksInput } from './types';

// An overlay drawn from its own table (walls/voids, trades): its loader asks `fetch_overlays`
// for its kind per 300-window chunk, from the view's start up to now; the rows are kept per
// chunk in the chart store (the tooltip reads them there) and drawn by render/overlayMarks.

export class OverlayLayer implements Layer {
  readonly reads = [] as const;

  constructor(
    readonly id: OverlayKind,
    private readonly book: RequestBook,
  ) {}

  visible(st: ChartState): boolean {
    if (this.id === 'walls_voids') return st.showWalls;
    return st.showTrades && !st.data?.tradesUnavailable;
  }

  reset(): void {}

  chunkEntered(): void {
    this.ensureLoaded();
  }

  /** Requests this overlay for every chunk from the view's start up to now not yet held, nearest to now first. */
  ensureLoaded(): void {
    if (this.visible(chartStore.getState())) this.load();
  }

  /**
   * As ensureLoaded, shown or not: the volume profile reads the trades while the bubbles are
   * off, and the CVD strip from the session's first window (`fromIndex` 0) up to now.
   */
  load(fromIndex?: number): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null || (this.id === 'trades' && st.data.tradesUnavailable)) return;
    const g = st.geom;
    const lo = Math.max(0, fromIndex ?? Math.floor(st.view.t0));
    const hi = Math.min(g.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
    if (hi < lo) return;
    let held = st.data.overlayChunks.get(this.id);
    if (!held) st.data.overlayChunks.set(this.id, (held = new Map()));
    for (let c = Math.floor(hi / CHUNK); c >= Math.floor(lo / CHUNK); c--) {
      const state = held.get(c);
      if (state === 'loaded' || (state === 'pending' && !this.book.stale(`ov:${this.id}:${c}`))) continue;
      // Chunks the view shows first (nearest now first), the earlier ones after them.
      held.set(c, 'pending');
      this.book.markAsked(`ov:${this.id}:${c}`);
      const from = c * CHUNK;
      const to = Math.min(g.windowCount - 1, from + CHUNK - 1);
      const chunk = c;
      this.book.request(
        (requestId) => ({ kind: 'fetch_overlays', requestId, fromWindowEndNs: windowEndNsOf(g, from), toWindowEndNs: windowEndNsOf(g, to), kinds: [this.id] }),
        (m, parts) => {
          if (m.kind !== 'overlays') throw new Error(`an overlay request was answered by ${m.kind}`);
          this.onOverlays(chunk, m.kinds, m.tradesUnavailable, parts);
        },
      );
    }
  }

  private onOverlays(chunk: number, kinds: OverlayKind[], tradesUnavailable: 'bronze_skipped' | undefined, parts: Uint8Array[]): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return;
    const d = decodeOverlays(st.geom, kinds, parts);
    if (d.walls_voids) st.data.wallsVoids.set(chunk, d.walls_voids);
    if (d.trades) st.data.trades.set(chunk, d.trades);
    if (d[this.id]) st.data.overlayChunks.get(this.id)?.set(chunk, 'loaded');
    if (tradesUnavailable && !st.data.tradesUnavailable) {
      st.data.tradesUnavailable = true;
      pushAlert({
        severity: 'info',
        code: 'overlays.no_bronze',
        message: 'Trades are not available for this session: it was ingested without the Bronze table.',
        hint: 'Open the file again with bronze kept (the default) to see trade bubbles.',
      });
    }
    bumpData();
  }

  drawMarks({ ctx, plot, st }: MarksInput): void {
    if (!st.data || st.nowIndex === null) return;
    if (this.id === 'trades') {
      if (st.data.trades.size) drawTradeBubbles(ctx, tradeBubbles(st.data.trades.values(), st.view, plot, st.nowIndex));
    } else if (st.data.wallsVoids.size) {
      drawWallsVoids(ctx, wallVoidMarkers(st.data.wallsVoids.values(), st.view, plot, st.nowIndex));
    }
  }
}
