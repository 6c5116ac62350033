// The window ↔ engine protocol (SPEC §6, ARCHITECTURE practices 2, 3, 10).
// Every message is an envelope: a small JSON control body and, for frames and slabs, one
// Arrow IPC payload (Uint8Array). The same envelope bytes travel over an Electron
// MessagePort and over the browser-mode WebSocket, so the window never knows which it has.

import { GOLD_FIELD_DISPLAY } from './tables/gold';

export const PROTOCOL_VERSION = 1;

/**
 * Gold fields the window can show, in the order of the field selector, and how each is
 * coloured (signed → diverging around 0, magnitude → sequential). Declared once, beside the
 * gold columns they name (contracts/tables/gold.ts GOLD_FIELD_DISPLAY, checked there to be
 * exactly the gold view's per-cell value columns).
 */
export type HeatmapField = keyof typeof GOLD_FIELD_DISPLAY;
export const HEATMAP_FIELDS = Object.keys(GOLD_FIELD_DISPLAY) as readonly HeatmapField[];
export const FIELD_INFO: Record<HeatmapField, { label: string; signed: boolean }> = GOLD_FIELD_DISPLAY;

/** u64/i64 values (ns timestamps, 1e-9 prices) cross the wire as decimal strings in JSON. */
export type DecimalString = string;

export type PlaybackState = 'idle' | 'ingesting' | 'ready' | 'playing' | 'paused' | 'seeking';
/** Playback speed multiplier (0.25–100) or 'max' = as fast as rendering allows. */
export type Speed = number | 'max';

export interface SessionInfo {
  datasetId: number;
  sourcePath: string;
  symbol: string;
  /** IANA zone for the time axis, e.g. America/New_York. */
  timeZone: string;
  /** window_end of the first and last window in the session. */
  firstWindowEndNs: DecimalString;
  lastWindowEndNs: DecimalString;
  windowCount: number;
  tickInt: number;
  /** 1e-9 units; price range covered by the session's grid. */
  priceMinInt: DecimalString;
  priceMaxInt: DecimalString;
  gridHalfWidthTicks: number;
  isDemo: boolean;
  /**
   * The session's end can still move: windows are being built (progressive display, live
   * replay). `session_grown` events announce each new end; false once the build is complete.
   */
  growing: boolean;
  /**
   * A growing session only: the window end its build reaches at most (the end of the session
   * window being built), so the window can lay out the whole time axis at once.
   */
  plannedLastWindowEndNs?: DecimalString;
}

/**
 * Named parts of a `frame` event's payload, in the order of its `layers` (PARALLEL-SEAMS.md).
 * `snap` and `grid` always come first, in that order; a window without a forecast omits
 * `forecast` and `forecast_inputs`.
 */
export const FRAME_LAYERS = ['snap', 'grid', 'forecast', 'forecast_inputs'] as const;
export type FrameLayer = (typeof FRAME_LAYERS)[number];

/** Overlays drawn over the heatmap from their own tables (SPEC §6–§7). */
export const OVERLAY_KINDS = ['walls_voids', 'trades'] as const;
export type OverlayKind = (typeof OVERLAY_KINDS)[number];

/** Errors are data with a message for a person and a hint (practice 10). */
export interface Alert {
  severity: 'info' | 'warning' | 'error';
  /** Stable machine-readable code, e.g. 'dbn.truncated', 'worker.crashed'. */
  code: string;
  message: string;
  hint?: string;
}

// ---- window → engine -------------------------------------------------------------------
export type Request =
  | { kind: 'hello'; protocol: number; client: 'electron' | 'browser' }
  // pace: build as if live, this many market seconds per wall second (absent: as fast as possible).
  | { kind: 'open_file'; path: string; symbol?: string; date?: string; start?: string; end?: string; tz?: string; force?: boolean; pace?: number }
  | { kind: 'open_demo' }
  | { kind: 'cancel_ingest' }
  | { kind: 'close_session' }
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'set_speed'; speed: Speed }
  | { kind: 'step'; seconds: number }
  | { kind: 'seek'; windowEndNs: DecimalString }
  | { kind: 'skip'; minutes: number }
  | { kind: 'select_field'; field: HeatmapField }
  | {
      kind: 'fetch_slab';
      requestId: number;
      fromWindowEndNs: DecimalString;
      toWindowEndNs: DecimalString;
      fields: HeatmapField[];
    }
  /** Overlays of windows [from, to]: one DuckDB query per kind; answered by one `overlays` event. */
  | {
      kind: 'fetch_overlays';
      requestId: number;
      fromWindowEndNs: DecimalString;
      toWindowEndNs: DecimalString;
      kinds: OverlayKind[];
    }
  /** Acknowledges frames up to seq: the engine keeps at most a few unacknowledged frames in flight. */
  | { kind: 'frame_ack'; seq: number }
  /** Forecasts made at windows [from, to] (past-forecast path); answered by one `forecasts` event. */
  | { kind: 'fetch_forecasts'; requestId: number; fromWindowEndNs: DecimalString; toWindowEndNs: DecimalString }
  /**
   * Override forecast parameters by name (contracts/params.ts): the engine recomputes the
   * session's forecasts and answers `params`; the window then refetches the forecasts it holds.
   */
  | { kind: 'set_params'; set: Record<string, number> };

// ---- engine → window -------------------------------------------------------------------
export interface IngestProgress {
  stage: string;
  bytesRead: number;
  bytesTotal: number;
  events: number;
  eventsPerSec: number;
  etaSec: number | null;
  fraction: number;
}

export type EngineEvent =
  | { kind: 'welcome'; protocol: number; engineVersion: string; capabilities: { fields: HeatmapField[]; maxInFlightFrames: number; demo: boolean } }
  | { kind: 'ingest_started'; path: string }
  | { kind: 'ingest_progress'; progress: IngestProgress }
  | { kind: 'ingest_cancelled' }
  | { kind: 'session_ready'; session: SessionInfo; cacheHit: boolean }
  | { kind: 'session_closed' }
  | { kind: 'playback'; state: PlaybackState; speed: Speed; playheadWindowEndNs: DecimalString | null }
  /**
   * Payload: one Arrow IPC stream per entry of `layers`, in that order: `snap`, `grid`, then
   * `forecast` and `forecast_inputs` when the window has a forecast (contracts/frames.ts).
   */
  | { kind: 'frame'; seq: number; windowEndNs: DecimalString; layers: FrameLayer[] }
  /** The end of a growing session moved (SessionInfo.growing); `growing` false = the build is complete. */
  | { kind: 'session_grown'; lastWindowEndNs: DecimalString; windowCount: number; growing: boolean }
  /** Payload: one `forecast` batch with the forecasts made at windows [from, to], ordered by window. */
  | { kind: 'forecasts'; requestId: number; fromWindowEndNs: DecimalString; toWindowEndNs: DecimalString; layers: ['forecast'] }
  /** The forecast parameters now in force (after `set_params`); `revision` grows with each change. */
  | { kind: 'params'; params: Record<string, number>; revision: number }
  /** Payload: Arrow IPC stream of the `slab` batch (dense time × price grid). */
  | { kind: 'slab'; requestId: number; fromWindowEndNs: DecimalString; toWindowEndNs: DecimalString; fields: HeatmapField[] }
  /**
   * Payload: one Arrow IPC stream per entry of `kinds`, in that order (`walls_voids`, `trades`
   * frames). `trades` is absent from `kinds` when `tradesUnavailable` says why (bronze skipped).
   */
  | {
      kind: 'overlays';
      requestId: number;
      fromWindowEndNs: DecimalString;
      toWindowEndNs: DecimalString;
      kinds: OverlayKind[];
      tradesUnavailable?: 'bronze_skipped';
    }
  | { kind: 'alert'; alert: Alert };

// ---- main → window (Electron only) ---------------------------------------------------------
// Added by the engine/main side (compatible extension): commands the Electron menu, drag and
// drop and the command line send the window through the preload's `onMenu(cb(command, arg))`.
// The window turns them into Requests exactly as its own controls do. Args:
//   open-path: string (absolute DBN path) · field: HeatmapField · set-speed: Speed ·
//   skip: minutes (±number) · overlay: 'spot' | 'walls' | 'trades' | 'options' | 'forecast'.
export const MENU_COMMANDS = [
  'open',
  'open-path',
  'open-demo',
  'cancel-ingest',
  'close-session',
  'play-pause',
  'step-forward',
  'step-back',
  'skip',
  'speed-up',
  'speed-down',
  'set-speed',
  'field',
  'overlay',
  'log-scale',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export type RequestKind = Request['kind'];
export type EngineEventKind = EngineEvent['kind'];

/** Compile-time exhaustiveness for switches over message kinds. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}
