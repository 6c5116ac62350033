import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { applyFrame, applySlab } from '../data/applyData';
import { decodeFrame, decodeSlab, type DecodedSlab, type FrameParts } from '../data/decode';
import { windowEndNsOf } from '../data/sessionGeom';
import { refreshRange } from '../engine/colourRange';
import { perf, record } from '../engine/perf';
import type { RequestBook } from '../engine/requestBook';
import type { SeekHold } from '../engine/seekHold';
import { Heatmap } from '../render/heatmap';
import { CHUNK, bumpData, chartStore, type ChartData } from '../state/chartStore';
import { FieldPrefetch } from './fieldPrefetch';
import type { GpuInput, Layer } from './types';

/** The window range a slab was asked for (window_end ns, inclusive). */
type SlabRange = { fromNs: string; toNs: string };

// The heatmap: live columns from the frame's `snap` and `grid` parts, history slabs for
// whatever the view shows (its loader), one-window all-field slabs for the tooltip, and the
// regl draw of the ring.

const FRAME_CACHE = 90;
/** Longest slab asked for at once (chunks of CHUNK windows). */
const MAX_CHUNKS_PER_SLAB = 4;
const CELL_CACHE = 40;
/** Live frames between two colour-range refreshes. */
const FRAMES_PER_RANGE = 20;

export class HeatmapLayer implements Layer {
  readonly id = 'heatmap' as const;
  readonly reads = ['snap', 'grid'] as const;
  private framesSinceRange = 0;
  private gpu: { heatmap: Heatmap; canvas: HTMLCanvasElement; data: ChartData } | null = null;
  /** The visible view's other fields, fetched in the background for fast first switches. */
  readonly prefetch = new FieldPrefetch(
    (from, to, fields, onSlab) => this.requestSlab(from, to, fields, onSlab),
    () => this.visibleLoaded(),
  );

  constructor(
    private readonly book: RequestBook,
    private readonly hold: SeekHold,
    /** A slab landed: more of the view may need loading (the client's whole-view loader). */
    private readonly afterSlab: () => void,
  ) {}

  visible(): boolean {
    return true;
  }

  reset(): void {
    this.framesSinceRange = 0;
    this.prefetch.reset();
  }

  onFrame(_windowIndex: number, parts: FrameParts): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return;
    const t0 = performance.now();
    const frame = decodeFrame(parts);
    const wi = applyFrame(st.geom, st.data.ring, st.data.spotRow, frame, st.field, st.data);
    record(perf.frameDecode, performance.now() - t0);
    if (wi === null) return;
    const frames = st.data.frames;
    frames.set(wi, frame);
    if (frames.size > FRAME_CACHE) frames.delete(frames.keys().next().value!);
    if (++this.framesSinceRange >= FRAMES_PER_RANGE) this.refreshRange();
  }

  refreshRange(): void {
    this.framesSinceRange = 0;
    refreshRange();
  }

  /** Requests slabs for every visible chunk not yet held (up to now; the future stays hidden). */
  ensureLoaded(): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null) return;
    const g = st.geom;
    const lo = Math.max(0, Math.floor(st.view.t0));
    const hi = Math.min(g.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
    if (hi < lo) return;
    let chunks = st.data.chunks.get(st.field);
    if (!chunks) st.data.chunks.set(st.field, (chunks = new Map()));
    const missing: number[] = [];
    for (let c = Math.floor(lo / CHUNK); c <= Math.floor(hi / CHUNK); c++) {
      const state = chunks.get(c);
      if (state === 'pending' && !this.book.stale(`${st.field}:${c}`)) continue;
      if (state === 'loaded' && this.chunkResident(c, g.windowCount, lo, hi)) continue;
      missing.push(c);
    }
    // Contiguous missing chunks go out as one slab (one DuckDB query instead of several),
    // nearest to now first so the part a trader looks at fills in first.
    missing.sort((a, b) => b - a);
    const runs: number[][] = [];
    for (const c of missing) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === c + 1 && run.length < MAX_CHUNKS_PER_SLAB) run.push(c);
      else runs.push([c]);
    }
    for (const run of runs) {
      for (const c of run) {
        chunks.set(c, 'pending');
        this.book.markAsked(`${st.field}:${c}`);
      }
      // Only the visible windows up to now: a 15-minute view spans 3–4 chunks but shows ~800
      // windows, and a smaller slab reaches the window sooner. A chunk held only in part is
      // asked for again when more of it comes into view (chunkResident).
      const from = Math.max(lo, run[run.length - 1] * CHUNK);
      const to = Math.min(hi, (run[0] + 1) * CHUNK - 1);
      const field = st.field;
      const sentAt = performance.now();
      this.requestSlab(from, to, [field], (slab, asked) => this.onChartSlab(field, run, sentAt, slab, asked));
    }
  }

  private onChartSlab(field: HeatmapField, run: number[], sentAt: number, slabParts: () => DecodedSlab, asked: SlabRange): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return;
    const t0 = performance.now();
    record(perf.slabRoundTrip, t0 - sentAt);
    const slab = slabParts();
    const chunks = st.data.chunks.get(field);
    if (field !== st.field) return; // field changed while it was in flight
    if (perf.switching?.field === field) {
      perf.switching.slabMs = t0 - perf.switching.at;
      perf.switching.slabDecodedMs = performance.now() - perf.switching.at;
    }
    // The asked range marks windows the engine answered with no rows as empty (not missing),
    // and the slab is kept so a later switch back to this field redraws from memory.
    applySlab(st.geom, st.data.ring, st.data.spotRow, slab, st.field, asked, st.data);
    st.data.slabCache.keep(field, slab, asked);
    for (const c of run) chunks?.set(c, 'loaded');
    this.hold.noteLoaded();
    this.refreshRange();
    if (perf.switching?.field === field) perf.switching.slabAppliedMs = performance.now() - perf.switching.at;
    record(perf.slabApply, performance.now() - t0);
    bumpData();
    this.afterSlab();
  }

  /**
   * The part of chunk c inside the visible windows [lo, hi] is held, every window of it: a
   * chunk first held in part (its visible windows then) may also hold a lone live frame at
   * its start (a fresh session plays window 0 before it opens on a full view), so its two
   * ends alone say nothing about the windows between them.
   */
  private chunkResident(c: number, windowCount: number, lo: number, hi: number): boolean {
    const ring = chartStore.getState().data!.ring;
    const from = Math.max(lo, c * CHUNK);
    const to = Math.min(windowCount - 1, hi, c * CHUNK + CHUNK - 1);
    for (let w = from; w <= to; w++) if (!ring.has(w)) return false;
    return true;
  }

  /** True when every visible column up to now is held (tests and the seek benchmark wait on it). */
  visibleLoaded(): boolean {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null) return true;
    const lo = Math.max(0, Math.floor(st.view.t0));
    const hi = Math.min(st.geom.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
    const ring = st.data.ring;
    for (let w = lo; w <= hi; w += 1) if (!ring.has(w)) return false;
    return true;
  }

  /** All-field values of one window for the tooltip (cached; requested once). */
  cellValues(windowIndex: number): DecodedSlab | 'pending' | undefined {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return undefined;
    const have = st.data.cellSlabs.get(windowIndex);
    if (have && !(have === 'pending' && this.book.stale(`cell:${windowIndex}`))) return have;
    st.data.cellSlabs.set(windowIndex, 'pending');
    this.book.markAsked(`cell:${windowIndex}`);
    this.requestSlab(windowIndex, windowIndex, [...HEATMAP_FIELDS], (slab) => {
      const data = chartStore.getState().data;
      if (!data) return;
      data.cellSlabs.set(windowIndex, slab());
      if (data.cellSlabs.size > CELL_CACHE) data.cellSlabs.delete(data.cellSlabs.keys().next().value!);
      bumpData();
    });
    return 'pending';
  }

  private requestSlab(from: number, to: number, fields: HeatmapField[], onSlab: (slab: () => DecodedSlab, asked: SlabRange) => void): void {
    const g = chartStore.getState().geom!;
    this.book.request(
      (requestId) => ({ kind: 'fetch_slab', requestId, fromWindowEndNs: windowEndNsOf(g, from), toWindowEndNs: windowEndNsOf(g, to), fields }),
      (m, parts) => {
        if (m.kind !== 'slab') throw new Error(`a slab request was answered by ${m.kind}`);
        onSlab(() => decodeSlab(parts, m.fields), { fromNs: m.fromWindowEndNs, toNs: m.toWindowEndNs });
      },
    );
  }

  drawGpu({ canvas, plot, dpr, st }: GpuInput): void {
    if (!st.data || st.nowIndex === null) return;
    if (!this.gpu || this.gpu.canvas !== canvas || this.gpu.data !== st.data) {
      this.gpu?.heatmap.destroy();
      this.gpu = { heatmap: new Heatmap(canvas, st.data.ring), canvas, data: st.data };
      perf.textureFormat = 'rgba8';
    }
    const u0 = performance.now();
    this.gpu.heatmap.upload(st.range, st.view, st.nowIndex);
    const u1 = performance.now();
    record(perf.upload, u1 - u0);
    this.gpu.heatmap.render(plot, dpr, st.view, st.nowIndex);
    noteSwitchDrawn(u0, u1, this.visibleLoaded());
  }

  /** No session: the GPU surface shows nothing. */
  clearGpu(): void {
    this.gpu?.heatmap.clear();
  }

  detach(): void {
    this.gpu?.heatmap.destroy();
    this.gpu = null;
  }
}

/** A field switch is done when a draw shows the whole visible view of the new field. */
function noteSwitchDrawn(u0: number, u1: number, viewHeld: boolean): void {
  const m = perf.switching;
  if (!m || !viewHeld || m.field !== chartStore.getState().field) return;
  m.drawStartMs = u0 - m.at;
  m.uploadMs = u1 - u0;
  m.drawnMs = performance.now() - m.at;
  perf.switching = null;
  perf.fieldSwitch.push(m);
  requestAnimationFrame(() => setTimeout(() => (m.presentedMs = performance.now() - m.at), 0));
  if (perf.fieldSwitch.length > 200) perf.fieldSwitch.shift();
}
