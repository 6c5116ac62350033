import type { FrameParts } from '../data/decode';
import { windowEndNsOf, type SessionGeom } from '../data/sessionGeom';
import type { RequestBook } from '../engine/requestBook';
import { drawForecast, drawMarginAxis, drawPastPath, marginLayout } from '../forecast/drawMargin';
import { decodeForecast, decodeForecastInputs, familyIndex, inputsOf, pathOf, predictedTickAt, type ForecastInputs, type ForecastPath, type ForecastRows } from '../forecast/forecastData';
import { forecastStore } from '../forecast/forecastStore';
import { marginBox, marginGeometry } from '../forecast/marginGeometry';
import { pastPathSegments } from '../forecast/pastPath';
import { CHUNK, bumpData, chartStore, type ChartState } from '../state/chartStore';
import type { Layer, MarksInput } from './types';

// The forecast: each frame's `forecast` and `forecast_inputs` parts (the forecast made at
// that window), history by `fetch_forecasts` per 300-window chunk (the forecast at a paused
// or scrubbed playhead, and the past-forecast path), and the prediction margin's drawing.

/** Live forecasts kept (windows), like the heatmap's frame cache. */
const LIVE_CACHE = 120;
/** History chunks kept; the oldest asked for goes first. */
const HISTORY_CHUNKS = 24;

interface LiveForecast {
  rows: ForecastRows;
  /** The frame's forecast_inputs part, decoded only when the tooltip asks (utf8 names are the costly part). */
  inputBytes: Uint8Array | undefined;
  inputs?: ForecastInputs;
}

/** Absolute tick → the chart's price row. */
export function rowOfTickFn(g: SessionGeom): (tick: number) => number {
  const origin = Number(g.priceMinInt) / Number(g.tickInt);
  return (tick) => tick - origin;
}

export class ForecastLayer implements Layer {
  readonly id = 'forecast' as const;
  readonly reads = ['forecast', 'forecast_inputs'] as const;
  private live = new Map<number, LiveForecast>();
  private history = new Map<number, ForecastRows | 'pending'>();
  /** Params revision the held forecasts were made with; a new one drops them. */
  private revision = 0;
  /**
   * The engine said it has no forecasts for the session (yet: they are computed as it opens,
   * or no model is configured): history is asked for again after a back-off, not on every seek.
   */
  private unavailable: { until: number; backoffMs: number; timer: ReturnType<typeof setTimeout> | null } | null = null;

  constructor(private readonly book: RequestBook) {}

  visible(): boolean {
    return forecastStore.getState().enabled;
  }

  reset(): void {
    this.live.clear();
    this.history.clear();
    if (this.unavailable?.timer) clearTimeout(this.unavailable.timer);
    this.unavailable = null;
  }

  /**
   * The engine answered a history request with 'forecast.unavailable' (an alert, no reply):
   * what waited is dropped and asked again after 3 s, 6 s … up to 30 s.
   */
  onUnavailable(): void {
    const first = this.unavailable === null;
    const backoffMs = Math.min(30_000, first ? 3_000 : this.unavailable!.backoffMs * 2);
    if (this.unavailable?.timer) clearTimeout(this.unavailable.timer);
    for (const [c, v] of this.history) if (v === 'pending') this.history.delete(c);
    const timer = setTimeout(() => {
      if (this.unavailable) this.unavailable.timer = null;
      this.ensureLoaded();
      bumpData();
    }, backoffMs + 1);
    this.unavailable = { until: performance.now() + backoffMs, backoffMs, timer };
    bumpData();
  }

  /** The engine has no forecasts for this session so far. */
  get engineHasNone(): boolean {
    return this.unavailable !== null;
  }

  onFrame(windowIndex: number, parts: FrameParts): void {
    const g = chartStore.getState().geom;
    const bytes = parts.get('forecast');
    if (!g || !bytes) return;
    if (this.unavailable?.timer) clearTimeout(this.unavailable.timer);
    this.unavailable = null;
    this.live.set(windowIndex, { rows: decodeForecast(g, bytes), inputBytes: parts.get('forecast_inputs') });
    if (this.live.size > LIVE_CACHE) this.live.delete(this.live.keys().next().value!);
  }

  /** New parameters in force: what was held was made with the old ones. */
  onParams(revision: number): void {
    if (revision === this.revision) return;
    this.revision = revision;
    this.reset();
    this.ensureLoaded();
    bumpData();
  }

  chunkEntered(): void {
    this.ensureLoaded();
  }

  /**
   * History the margin needs: the chunk of now when no frame brought its forecast (a seek, a
   * scrub), and with past forecasts on every chunk from h s before the view's start to now.
   */
  ensureLoaded(): void {
    const st = chartStore.getState();
    const fs = forecastStore.getState();
    if (!st.geom || st.nowIndex === null || !fs.enabled) return;
    if (this.unavailable && performance.now() < this.unavailable.until) return;
    const g = st.geom;
    const want = new Set<number>();
    if (!this.live.has(st.nowIndex)) want.add(Math.floor(st.nowIndex / CHUNK));
    if (fs.showPast) {
      const lo = Math.max(0, Math.floor(st.view.t0) - fs.pastHorizonS);
      const hi = Math.min(g.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
      for (let c = Math.floor(hi / CHUNK); c >= Math.floor(lo / CHUNK) && hi >= lo; c--) want.add(c);
    }
    for (const c of want) {
      const held = this.history.get(c);
      if (held !== undefined && (held !== 'pending' || !this.book.stale(`fc:${c}`))) continue;
      this.history.set(c, 'pending');
      this.book.markAsked(`fc:${c}`);
      const from = c * CHUNK;
      const to = Math.min(g.windowCount - 1, from + CHUNK - 1);
      const revision = this.revision;
      this.book.request(
        (requestId) => ({ kind: 'fetch_forecasts', requestId, fromWindowEndNs: windowEndNsOf(g, from), toWindowEndNs: windowEndNsOf(g, to) }),
        (m, parts) => {
          if (m.kind !== 'forecasts') throw new Error(`a forecast request was answered by ${m.kind}`);
          const geom = chartStore.getState().geom;
          if (!geom || revision !== this.revision) return;
          if (this.unavailable?.timer) clearTimeout(this.unavailable.timer);
          this.unavailable = null;
          const i = m.layers.indexOf('forecast');
          if (i < 0 || !parts[i]) return;
          this.history.set(c, decodeForecast(geom, parts[i]));
          while (this.history.size > HISTORY_CHUNKS) this.history.delete(this.history.keys().next().value!);
          bumpData();
        },
      );
    }
  }

  private rowsFor(wi: number): ForecastRows | undefined {
    const live = this.live.get(wi);
    if (live) return live.rows;
    const h = this.history.get(Math.floor(wi / CHUNK));
    return h && h !== 'pending' ? h : undefined;
  }

  /** The selected family's forecast made at window wi, if held. */
  pathAt(wi: number): ForecastPath | null {
    const rows = this.rowsFor(wi);
    return rows ? pathOf(rows, wi, forecastStore.getState().family) : null;
  }

  /** What drove the selected family's forecast at wi (live frames carry inputs; history does not). */
  inputsAt(wi: number): [string, number][] | null {
    const live = this.live.get(wi);
    const g = chartStore.getState().geom;
    if (!live?.inputBytes || !g) return null;
    live.inputs ??= decodeForecastInputs(g, live.inputBytes);
    return inputsOf(live.inputs, wi, forecastStore.getState().family);
  }

  /** Held and still waited-for history, for tests and the e2e harness. */
  held(): { live: number; history: number; pending: number } {
    let pending = 0;
    for (const v of this.history.values()) if (v === 'pending') pending++;
    return { live: this.live.size, history: this.history.size - pending, pending };
  }

  drawMarks({ ctx, plot, st }: MarksInput): void {
    if (!st.geom || st.nowIndex === null) return;
    const fs = forecastStore.getState();
    const rowOfTick = rowOfTickFn(st.geom);
    if (fs.showPast) {
      const fam = familyIndex(fs.family);
      const predictedAt = (origin: number, h: number) => {
        const rows = this.rowsFor(origin);
        return rows ? predictedTickAt(rows, origin, fam, h) : NaN;
      };
      drawPastPath(ctx, pastPathSegments(predictedAt, fs.pastHorizonS, st.view, plot, st.nowIndex, rowOfTick));
    }
    const box = marginBox(st.view, plot, st.nowIndex);
    marginLayout.last = null;
    if (!box) return;
    const path = this.pathAt(st.nowIndex);
    const geo = path ? marginGeometry(path, box, st.view, plot, rowOfTick) : null;
    const waiting = this.history.get(Math.floor(st.nowIndex / CHUNK)) === 'pending';
    const note = geo ? null : this.unavailable ? 'no forecasts from the engine (yet)' : waiting ? 'loading…' : 'no forecast for this window';
    drawMarginAxis(ctx, box, fs.family, note);
    if (geo) drawForecast(ctx, geo, box);
  }
}
