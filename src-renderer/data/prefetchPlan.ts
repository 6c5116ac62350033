import type { HeatmapField, PlaybackState, Speed } from '../../contracts/protocol';

// Which other fields to fetch in the background for the visible view, so a first switch to a
// field redraws from the slab cache (~15–130 ms) instead of a slab round trip (0.45–1.3 s).
// Pure: the heatmap layer gathers the inputs, sends the batch and keeps the reply.
//
// Cost: one field of a 15-minute view is 900 windows × ~440 prices × 4 bytes ≈ 1.6 MB, so
// the 24 other fields are ~37–38 MB of the 64 MB slab cache. The prefetch keeps to
// PREFETCH_BUDGET_BYTES (three quarters of the cap: every field of a 15-minute view) and takes
// fields in the selector's order, so a wider view prefetches fewer fields rather than evicting
// the slabs the chart is showing.

/** Fields per request: the engine copies them from its session grids (a few ms), but each is
 *  ~1.6 MB to send and decode, so a chart slab asked meanwhile never waits long behind one. */
export const FIELDS_PER_REQUEST = 2;
export const PREFETCH_BUDGET_BYTES = 48 * 1024 * 1024;
/** Fastest playback that still prefetches (the view moves a column per second at 1×). */
export const MAX_PREFETCH_SPEED = 1;
/** While playing, a held range this many windows short of now still counts as covering the view. */
export const PLAYING_SLACK_WINDOWS = 60;

export interface WindowRange {
  lo: number;
  hi: number;
}

export interface PrefetchInput {
  playback: PlaybackState;
  speed: Speed;
  /** The field shown: never prefetched (the chart's own loader has it). */
  field: HeatmapField;
  /** Fields the engine serves, in the selector's order. */
  fields: readonly HeatmapField[];
  /** Visible windows up to now; null without a session. */
  view: WindowRange | null;
  /** Every visible column of the shown field is held: the chart's own requests are answered. */
  visibleLoaded: boolean;
  /** A prefetch request is on its way (one at a time: lowest priority). */
  inFlight: boolean;
  /** Window ranges the slab cache holds for a field. */
  held: (field: HeatmapField) => WindowRange[];
  /** Price rows per window of the shown field's slabs (for the byte budget). */
  pricesPerWindow: number;
  budgetBytes?: number;
}

export interface PrefetchBatch {
  fields: HeatmapField[];
  lo: number;
  hi: number;
}

/** The engine is idle enough: not seeking, and paused or playing slowly. */
export function idleForPrefetch(playback: PlaybackState, speed: Speed): boolean {
  if (playback === 'paused' || playback === 'ready') return true;
  return playback === 'playing' && speed !== 'max' && speed <= MAX_PREFETCH_SPEED;
}

/** True when the union of `ranges` covers every window of [lo, hi]. */
export function covers(ranges: readonly WindowRange[], lo: number, hi: number): boolean {
  if (hi < lo) return true;
  let reach = lo - 1; // highest window covered contiguously from lo
  for (const r of [...ranges].sort((a, b) => a.lo - b.lo)) {
    if (r.lo > reach + 1) break;
    reach = Math.max(reach, r.hi);
    if (reach >= hi) return true;
  }
  return reach >= hi;
}

/** Fields within the byte budget for a view of `windows` columns, in the selector's order. */
export function fieldsInBudget(input: Pick<PrefetchInput, 'field' | 'fields' | 'pricesPerWindow' | 'budgetBytes'>, windows: number): HeatmapField[] {
  const perField = Math.max(1, windows * Math.max(1, input.pricesPerWindow) * 4);
  const n = Math.floor((input.budgetBytes ?? PREFETCH_BUDGET_BYTES) / perField);
  return input.fields.filter((f) => f !== input.field).slice(0, n);
}

/** The next background request, or null when nothing should go out now. */
export function planPrefetch(input: PrefetchInput): PrefetchBatch | null {
  const { view } = input;
  if (input.inFlight || !input.visibleLoaded || !view || view.hi < view.lo) return null;
  if (!idleForPrefetch(input.playback, input.speed)) return null;
  const slack = input.playback === 'playing' ? PLAYING_SLACK_WINDOWS : 0;
  const need = fieldsInBudget(input, view.hi - view.lo + 1).filter((f) => !covers(input.held(f), view.lo, Math.max(view.lo, view.hi - slack)));
  if (need.length === 0) return null;
  return { fields: need.slice(0, FIELDS_PER_REQUEST), lo: view.lo, hi: view.hi };
}
