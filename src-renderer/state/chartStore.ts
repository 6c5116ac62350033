import { createStore } from 'zustand/vanilla';
import type { HeatmapField, OverlayKind, PlaybackState, SessionInfo, Speed } from '../../contracts/protocol';
import { ColumnRing } from '../data/columnRing';
import { SlabCache } from '../data/slabCache';
import { contrastGamma, type ColorRange } from '../data/colorScale';
import type { DecodedFrame, DecodedSlab } from '../data/decode';
import type { Trades, WallsVoids } from '../data/overlayData';
import { sessionGeom, type SessionGeom } from '../data/sessionGeom';
import { CHUNK, DEFAULT_PRICE_SPAN, DEFAULT_SPAN, MARGIN_SHARE, RING_SLOTS, type Pointer, type View } from '../data/viewMath';

// Fast data lives here, outside React (ARCHITECTURE practice 9): the render loop subscribes
// to this vanilla store; React reads only the few slices its controls need. The big buffers
// (ring, spot track, caches) are plain objects referenced from the store and mutated in
// place; `dataVersion` bumps tell subscribers that they changed.

export type { View, Pointer, Cell } from '../data/viewMath';
export { CHUNK, RING_SLOTS, MAX_SPAN, MIN_SPAN, MARGIN_SHARE, DEFAULT_SPAN, DEFAULT_PRICE_SPAN } from '../data/viewMath';

export interface ChartData {
  ring: ColumnRing;
  /** Price row of spot_ref per window (NaN unknown). */
  spotRow: Float32Array;
  /** Price rows of the best bid and best ask per window (NaN unknown or one-sided book). */
  bidRow: Float32Array;
  askRow: Float32Array;
  /** Per field: chunk index → state; a chunk is CHUNK windows. */
  chunks: Map<HeatmapField, Map<number, 'pending' | 'loaded'>>;
  /** Chart slabs received this session, per field: a field switch back redraws from memory. */
  slabCache: SlabCache;
  /** Recent frames, all fields, for the tooltip. */
  frames: Map<number, DecodedFrame>;
  /** One-window all-field slabs fetched for the tooltip. */
  cellSlabs: Map<number, DecodedSlab | 'pending'>;
  /** Overlays per kind: chunk index (CHUNK windows) → state, and the decoded rows of loaded chunks. */
  overlayChunks: Map<OverlayKind, Map<number, 'pending' | 'loaded'>>;
  wallsVoids: Map<number, WallsVoids>;
  trades: Map<number, Trades>;
  /** The dataset has no bronze table (ingested with bronze: false): no trades to draw. */
  tradesUnavailable: boolean;
}

export interface ChartState {
  geom: SessionGeom | null;
  data: ChartData | null;
  field: HeatmapField;
  logScale: boolean;
  /** The user's contrast: the range's auto gamma is divided by it (1 = as the data suggests). */
  contrast: number;
  range: ColorRange;
  nowIndex: number | null;
  /**
   * Windows built so far while the session grows (progressive display; null once complete).
   * The geometry spans the whole session being built; play, seek and scrub stay below this.
   */
  built: number | null;
  /**
   * While the session grows: the playhead follows the newest window built (on at opening and
   * after "Live edge"; any play, seek, step or skip of the trader's turns it off).
   */
  followBuild: boolean;
  view: View;
  follow: boolean;
  /**
   * The pointer over the chart, in CSS px (null when it is elsewhere). Only pixels are kept:
   * the cell under it is derived from (pointer, view, plot) when drawn (viewMath.cellAt), so
   * it can never describe an old view.
   */
  hover: Pointer | null;
  /** CSS size of the chart element (the plot rectangle is derived from it). */
  size: { w: number; h: number };
  dataVersion: number;
  playback: PlaybackState;
  speed: Speed;
  /** Time zone the axes and clocks are shown in (null: the session's own, e.g. New York). */
  displayZone: string | null;
  /** View ▸ overlays: the turquoise spot line. */
  showSpot: boolean;
  /** View ▸ overlays: walls and voids markers (gold walls_voids_1s). */
  showWalls: boolean;
  /** View ▸ overlays: trade bubbles (bronze T records). */
  showTrades: boolean;
  /** Toolbar: volume profile at the right edge and the CVD strip along the bottom. */
  showProfile: boolean;
}

export const MAX_ROWS = 4096;

export const chartStore = createStore<ChartState>()(() => ({
  geom: null,
  data: null,
  field: 'liquidity_velocity',
  logScale: false,
  contrast: 1,
  range: { lo: -1, hi: 1, signed: true, log: false },
  nowIndex: null,
  built: null,
  followBuild: false,
  view: { t0: -DEFAULT_SPAN, t1: DEFAULT_SPAN * MARGIN_SHARE, p0: 0, p1: DEFAULT_PRICE_SPAN },
  follow: true,
  hover: null,
  size: { w: 1000, h: 800 },
  dataVersion: 0,
  playback: 'idle',
  speed: 1,
  displayZone: null,
  showSpot: true,
  showWalls: false,
  // On by default, as in Bookmap: aggregated per column and price when zoomed out (overlayMarks.ts).
  showTrades: true,
  showProfile: false,
}));

/** The geometry of a session; a growing one spans the whole session window it is built for. */
function geomOf(info: SessionInfo): SessionGeom {
  const zone = chartStore.getState().displayZone;
  const laidOut = info.growing && info.plannedLastWindowEndNs ? { ...info, lastWindowEndNs: info.plannedLastWindowEndNs } : info;
  return sessionGeom(zone ? { ...laidOut, timeZone: zone } : laidOut);
}

function emptyData(geom: SessionGeom): ChartData {
  return {
    ring: new ColumnRing(RING_SLOTS, Math.min(geom.nPrices, MAX_ROWS)),
    spotRow: new Float32Array(geom.windowCount).fill(NaN),
    bidRow: new Float32Array(geom.windowCount).fill(NaN),
    askRow: new Float32Array(geom.windowCount).fill(NaN),
    chunks: new Map(),
    slabCache: new SlabCache(),
    frames: new Map(),
    cellSlabs: new Map(),
    overlayChunks: new Map(),
    wallsVoids: new Map(),
    trades: new Map(),
    tradesUnavailable: false,
  };
}

export function openSession(info: SessionInfo): void {
  const geom = geomOf(info);
  const data = emptyData(geom);
  const mid = geom.nPrices / 2;
  chartStore.setState((s) => ({
    geom,
    data,
    nowIndex: null,
    built: info.growing ? info.windowCount : null,
    followBuild: info.growing,
    follow: true,
    hover: null,
    view: { t0: -DEFAULT_SPAN * (1 - MARGIN_SHARE), t1: DEFAULT_SPAN * MARGIN_SHARE, p0: mid - DEFAULT_PRICE_SPAN / 2, p1: mid + DEFAULT_PRICE_SPAN / 2 },
    dataVersion: s.dataVersion + 1,
  }));
}

/**
 * The committed build of the growing session on show takes over: same windows, a price axis
 * laid out exactly (it was a guess while building). The view keeps its time span, its prices
 * and follow; the playhead stays (the engine continues there); the columns load again.
 */
export function handOverSession(info: SessionInfo): void {
  const geom = geomOf(info);
  chartStore.setState((s) => {
    const shift = s.geom ? Number((s.geom.priceMinInt - geom.priceMinInt) / geom.tickInt) : 0;
    const nowIndex = s.nowIndex === null ? null : Math.min(s.nowIndex, geom.windowCount - 1);
    return {
      geom,
      data: emptyData(geom),
      nowIndex,
      built: null,
      followBuild: false,
      hover: null,
      view: { ...s.view, p0: s.view.p0 + shift, p1: s.view.p1 + shift },
      dataVersion: s.dataVersion + 1,
    };
  });
}

/** A growing session has `windows` built (null: complete). */
export function setBuilt(windows: number | null): void {
  chartStore.setState({ built: windows });
}

export function setFollowBuild(on: boolean): void {
  if (chartStore.getState().followBuild !== on) chartStore.setState({ followBuild: on });
}

export function closeSession(): void {
  chartStore.setState((s) => ({ geom: null, data: null, nowIndex: null, built: null, followBuild: false, hover: null, dataVersion: s.dataVersion + 1 }));
}

export function bumpData(): void {
  chartStore.setState((s) => ({ dataVersion: s.dataVersion + 1 }));
}

/** The contrast control: recolours at once with the same range. */
export function setContrast(contrast: number): void {
  const c = Math.max(0.25, Math.min(4, contrast));
  chartStore.setState((s) => ({ contrast: c, range: { ...s.range, gamma: contrastGamma(s.range.autoGamma ?? 1, c) } }));
}

/**
 * Shows times in `zone` (e.g. America/Chicago, the exchange's own) or, with null, the
 * session's zone: the geometry's zone is the one every axis, clock, tooltip and the jump box
 * read, so they all switch together.
 */
export function setDisplayZone(zone: string | null, sessionZone: string | null): void {
  chartStore.setState((s) => {
    const tz = zone ?? sessionZone;
    return { displayZone: zone, geom: s.geom && tz ? { ...s.geom, info: { ...s.geom.info, timeZone: tz } } : s.geom };
  });
}
