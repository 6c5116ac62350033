import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import type { DecodedSlab } from '../data/decode';
import { planPrefetch, type PrefetchBatch, type WindowRange } from '../data/prefetchPlan';
import { windowIndexOf } from '../data/sessionGeom';
import { CHUNK, chartStore } from '../state/chartStore';
import { useUi } from '../state/uiStore';

type SlabRange = { fromNs: string; toNs: string };
export type SlabRequester = (from: number, to: number, fields: HeatmapField[], onSlab: (slab: () => DecodedSlab, asked: SlabRange) => void) => void;

/** Quiet time after the last view change / slab before a background request goes out: long
 *  enough that a trader seeking or scrubbing sends none (each view's other fields are ~38 MB;
 *  measured on ESH4 under load 9–10, cold seeks took 1.2–2.6 s while a view's prefetch streamed
 *  at 300 ms, 0.2–1.7 s without it), short enough to fire between two frames at 1×. */
const IDLE_DELAY_MS = 700;
/** Between two background requests while nothing moves: the engine serves them from its
 *  in-memory session grids (a few ms each of engine time), so the next pair goes out as soon as
 *  one lands instead of after IDLE_DELAY_MS more (every field of a 15-minute view held 5.8–12 s
 *  after the first draw on the loaded 2-core VM, most of it transfer and the engine's grid scans). */
const CHAIN_DELAY_MS = 16;

// Background slabs of the visible view for the fields not shown (prefetchPlan.ts decides
// which and when), kept in the slab cache so a first switch to one of them replays from
// memory. One request at a time, sent only once the view is loaded and nothing moved for
// IDLE_DELAY_MS; a reply for a view the trader has left, or for another session, is dropped.

export class FieldPrefetch {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  /** Bumped by reset(): replies to an older generation are dropped. */
  private generation = 0;
  /** Counts for tests and the report. */
  readonly stats = { requests: 0, kept: 0, dropped: 0, roundTripMs: [] as number[] };

  constructor(
    private readonly request: SlabRequester,
    private readonly visibleLoaded: () => boolean,
  ) {}

  /** Something changed (view, slab, playback): plan again once things are quiet. */
  schedule(delayMs = IDLE_DELAY_MS): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, delayMs);
  }

  reset(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = false;
    this.generation++;
  }

  /** The batch that would go out now (null: nothing to fetch, or not idle). */
  plan(): PrefetchBatch | null {
    const st = chartStore.getState();
    const g = st.geom;
    const data = st.data;
    const view = visibleWindows();
    return planPrefetch({
      playback: st.playback,
      speed: st.speed,
      field: st.field,
      fields: useUi.getState().fields ?? HEATMAP_FIELDS,
      view,
      visibleLoaded: this.visibleLoaded(),
      inFlight: this.inFlight,
      held: (f) => (g && data ? data.slabCache.ranges(f).map((r) => ({ lo: windowIndexOf(g, r.fromNs), hi: windowIndexOf(g, r.toNs) })) : []),
      pricesPerWindow: data?.slabCache.pricesOf(st.field) || (g ? 2 * g.info.gridHalfWidthTicks + 1 : 1),
    });
  }

  /** Nothing in flight and nothing left to fetch for this view (tests wait on it). */
  settled(): boolean {
    return !this.inFlight && this.timer === null && this.plan() === null;
  }

  private run(): void {
    const batch = this.plan();
    const st = chartStore.getState();
    if (!batch || !st.data) return;
    const data = st.data;
    const generation = this.generation;
    this.inFlight = true;
    this.stats.requests++;
    const sentAt = performance.now();
    this.request(batch.lo, batch.hi, batch.fields, (slabParts, asked) => {
      if (generation !== this.generation) return; // another session (reset cleared inFlight)
      this.inFlight = false;
      if (this.stats.roundTripMs.push(Math.round(performance.now() - sentAt)) > 50) this.stats.roundTripMs.shift();
      const now = chartStore.getState();
      const view = visibleWindows();
      // The view moved away while it was on its way: not worth cache room.
      if (now.data !== data || !view || batch.hi < view.lo || batch.lo > view.hi) {
        this.stats.dropped++;
        this.schedule();
        return;
      }
      const slab = slabParts();
      for (const f of batch.fields) {
        data.slabCache.keep(f, slab, asked);
        // The chart's loader sees these chunks as held; it still re-asks any window the
        // replayed slabs leave out of the ring (chunkResident).
        let chunks = data.chunks.get(f);
        if (!chunks) data.chunks.set(f, (chunks = new Map()));
        for (let c = Math.floor(batch.lo / CHUNK); c <= Math.floor(batch.hi / CHUNK); c++) if (chunks.get(c) !== 'pending') chunks.set(c, 'loaded');
      }
      this.stats.kept++;
      // Nothing moved since: the next fields go out at once (a view change re-arms the idle delay).
      this.schedule(this.timer === null ? CHAIN_DELAY_MS : IDLE_DELAY_MS);
    });
  }
}

/** Visible windows up to now (what the chart's loader asks for). */
function visibleWindows(): WindowRange | null {
  const st = chartStore.getState();
  if (!st.geom || !st.data || st.nowIndex === null) return null;
  const lo = Math.max(0, Math.floor(st.view.t0));
  const hi = Math.min(st.geom.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
  return hi < lo ? null : { lo, hi };
}
