import { afterEach, describe, expect, it } from 'vitest';
import { encodeEnvelope, decodeEnvelope } from '../../contracts/envelope';
import { GRID_FRAME_ARROW, SNAP_FRAME_ARROW, TRADES_FRAME_ARROW } from '../../contracts/generated/arrow';
import type { EngineEvent, FrameLayer, Request, SessionInfo } from '../../contracts/protocol';
import { decodeFrame, framePartsByName, PayloadError } from '../data/decode';
import { decodeOverlays } from '../data/overlayData';
import { sessionGeom } from '../data/sessionGeom';
import { ipc } from '../data/testing/arrowFixtures';
import { EngineClient } from '../engine/client';
import { decodeForecast, decodeForecastInputs, inputsOf, pathOf, predictedTickAt } from '../forecast/forecastData';
import { forecastStore } from '../forecast/forecastStore';
import { forecastBytes, forecastInputsBytes } from '../forecast/testing/forecastFixtures';
import { chartStore, closeSession } from '../state/chartStore';
import { useUi } from '../state/uiStore';
import type { Transport } from '../transport/transport';
import { LayerRegistry } from './registry';
import type { Layer } from './types';

// Named frame layers end to end in the window: payload parts decoded by name (a frame without
// names is the older [snap, grid]), every layer's payload decoded from bytes built with the
// contract schemas, the registry's dispatch, and the client routing frames and replies to
// the layers that read them.

const T = 250_000_000n;
const FIRST = 1_704_205_801_000_000_000n;
const SEC = 1_000_000_000n;
const info: SessionInfo = {
  datasetId: 1,
  sourcePath: 'x',
  symbol: 'ESH4',
  timeZone: 'America/New_York',
  firstWindowEndNs: FIRST.toString(),
  lastWindowEndNs: (FIRST + 599n * SEC).toString(),
  windowCount: 600,
  tickInt: Number(T),
  priceMinInt: (19_000n * T).toString(), // 4750.00
  priceMaxInt: (19_400n * T).toString(), // 4850.00
  gridHalfWidthTicks: 2,
  isDemo: false,
  growing: false,
};
const g = sessionGeom(info);
const SPOT_TICK = 19_200; // 4800.00

function snapBytes(wi: number, spotTick: number): Uint8Array {
  const spot = BigInt(spotTick) * T;
  return ipc(SNAP_FRAME_ARROW, 1, {
    window_end_ts_ns: BigInt64Array.of(FIRST + BigInt(wi) * SEC),
    spot_ref_price_int: BigInt64Array.of(spot),
    best_bid_price_int: BigInt64Array.of(spot),
    best_ask_price_int: BigInt64Array.of(spot + T),
    last_trade_price_int: BigInt64Array.of(spot),
    best_bid_qty: Uint32Array.of(3),
    best_ask_qty: Uint32Array.of(5),
    book_valid: [true],
  });
}

function gridBytes(spotTick: number): Uint8Array {
  const n = 10;
  const side = new Uint8Array(n);
  const rel = new Int16Array(n);
  const price = new BigInt64Array(n);
  const lv = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    side[i] = i < 5 ? 66 : 65;
    rel[i] = (i % 5) - 2;
    price[i] = BigInt(spotTick + rel[i]) * T;
    lv[i] = rel[i] + 0.5;
  }
  return ipc(GRID_FRAME_ARROW, n, { side, rel_ticks: rel, price_int: price, liquidity_velocity: lv });
}

const pathAt = (wi: number, drift: number) => ({
  windowEndNs: FIRST + BigInt(wi) * SEC,
  family: 'particle' as const,
  spotTick: SPOT_TICK,
  predicted: Array.from({ length: 30 }, (_, i) => SPOT_TICK + drift * (i + 1)),
  halfBand: Array.from({ length: 30 }, (_, i) => 0.5 + i * 0.1),
  confidence: 0.8,
});

describe('frame parts by name', () => {
  it('reads a frame without names as the older [snap, grid]', () => {
    const parts = framePartsByName(undefined, [snapBytes(3, SPOT_TICK), gridBytes(SPOT_TICK)]);
    expect([...parts.keys()]).toEqual(['snap', 'grid']);
    const f = decodeFrame(parts);
    expect(f.snap.spotRefInt).toBe(BigInt(SPOT_TICK) * T);
    expect(f.rows).toBe(10);
  });

  it('finds snap and grid by name whatever else the frame carries', () => {
    const fc = forecastBytes([pathAt(3, 0.1)]);
    const inputs = forecastInputsBytes([{ windowEndNs: FIRST + 3n * SEC, family: 'particle', name: 'F_near', value: 1.5 }]);
    const parts = framePartsByName(['snap', 'grid', 'forecast', 'forecast_inputs'], [snapBytes(3, SPOT_TICK), gridBytes(SPOT_TICK), fc, inputs]);
    expect(parts.get('forecast')).toBe(fc);
    expect(parts.get('forecast_inputs')).toBe(inputs);
    expect(decodeFrame(parts).snap.windowEndNs).toBe(FIRST + 3n * SEC);
  });

  it('refuses names and parts that disagree, a layer named twice, and a frame without grid', () => {
    expect(() => framePartsByName(['snap', 'grid', 'forecast'], [snapBytes(1, SPOT_TICK), gridBytes(SPOT_TICK)])).toThrow(PayloadError);
    expect(() => framePartsByName(['snap', 'snap'], [snapBytes(1, SPOT_TICK), snapBytes(1, SPOT_TICK)])).toThrow(/twice/);
    expect(() => decodeFrame(framePartsByName(['snap'], [snapBytes(1, SPOT_TICK)]))).toThrow(/no grid layer/);
  });
});

describe('layer payloads from contract bytes', () => {
  it('forecast: paths per (window, family), predicted ticks, band, null prob_up as NaN', () => {
    const other = { ...pathAt(4, -0.2), family: 'ofi' as const, probUp: 0.25 };
    const rows = decodeForecast(g, forecastBytes([pathAt(4, 0.1), other, pathAt(5, 0.3)]));
    expect(rows.n).toBe(90);
    const p = pathOf(rows, 4, 'particle')!;
    expect(p.spotTick).toBe(SPOT_TICK);
    expect(p.points.map((q) => q.horizonS)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(p.points[9].predictedTick).toBeCloseTo(SPOT_TICK + 1.0, 9);
    expect(p.points[9].bandHiTick - p.points[9].bandLoTick).toBeCloseTo(2 * 1.4, 9);
    expect(p.points[9].direction).toBe(1);
    expect(Number.isNaN(p.points[0].probUp)).toBe(true);
    const o = pathOf(rows, 4, 'ofi')!;
    expect(o.points[0].direction).toBe(-1);
    expect(o.points[0].probUp).toBeCloseTo(0.25, 6);
    expect(pathOf(rows, 4, 'microprice')).toBeNull();
    expect(predictedTickAt(rows, 5, 0, 30)).toBeCloseTo(SPOT_TICK + 9, 9);
    expect(predictedTickAt(rows, 6, 0, 1)).toBeNaN();
  });

  it('forecast_inputs: names and values per (window, family)', () => {
    const w = FIRST + 7n * SEC;
    const inputs = decodeForecastInputs(
      g,
      forecastInputsBytes([
        { windowEndNs: w, family: 'particle', name: 'F_near', value: 1.25 },
        { windowEndNs: w, family: 'particle', name: 'nu_local', value: 0.5 },
        { windowEndNs: w, family: 'perm_derivative', name: 'z', value: -2 },
      ]),
    );
    expect(inputsOf(inputs, 7, 'particle')).toEqual([
      ['F_near', 1.25],
      ['nu_local', 0.5],
    ]);
    expect(inputsOf(inputs, 7, 'perm_derivative')).toEqual([['z', -2]]);
    expect(inputsOf(inputs, 8, 'particle')).toEqual([]);
  });

  it('trades overlay: window and row of each aggregate', () => {
    const bytes = ipc(TRADES_FRAME_ARROW, 2, {
      window_end_ts_ns: BigInt64Array.of(FIRST + 2n * SEC, FIRST + 3n * SEC),
      price_int: BigInt64Array.of(BigInt(SPOT_TICK) * T, BigInt(SPOT_TICK + 1) * T),
      side: Uint8Array.of(66, 65),
      volume: Uint32Array.of(4, 9),
      trade_count: Uint32Array.of(1, 3),
    });
    const d = decodeOverlays(g, ['trades'], [bytes]).trades!;
    expect(Array.from(d.wi)).toEqual([2, 3]);
    expect(Array.from(d.row)).toEqual([200, 201]);
    expect(Array.from(d.volume)).toEqual([4, 9]);
  });
});

function fakeLayer(id: Layer['id'], reads: FrameLayer[], shown = true) {
  const log: string[] = [];
  const layer: Layer = {
    id,
    reads,
    visible: () => shown,
    reset: () => log.push('reset'),
    onFrame: (wi, parts) => log.push(`frame ${wi} ${[...parts.keys()].filter((k) => reads.includes(k)).join('+')}`),
    ensureLoaded: () => log.push('load'),
  };
  return { layer, log };
}

describe('layer registry', () => {
  it('dispatches each frame to the layers whose parts it carries, loads only shown layers, keeps order', () => {
    const r = new LayerRegistry();
    const heat = fakeLayer('heatmap', ['snap', 'grid']);
    const fc = fakeLayer('forecast', ['forecast', 'forecast_inputs']);
    const trades = fakeLayer('trades', [], false);
    r.register(heat.layer).register(trades.layer).register(fc.layer);
    expect(r.list().map((l) => l.id)).toEqual(['heatmap', 'trades', 'forecast']);
    expect(() => r.register(fakeLayer('heatmap', []).layer)).toThrow(/twice/);
    expect(r.readerOf('forecast_inputs')?.id).toBe('forecast');

    r.frame(5, framePartsByName(undefined, [snapBytes(5, SPOT_TICK), gridBytes(SPOT_TICK)]));
    r.frame(6, framePartsByName(['snap', 'grid', 'forecast'], [snapBytes(6, SPOT_TICK), gridBytes(SPOT_TICK), forecastBytes([pathAt(6, 0)])]));
    expect(heat.log).toEqual(['frame 5 snap+grid', 'frame 6 snap+grid']);
    expect(fc.log).toEqual(['frame 6 forecast']);

    r.ensureLoaded(chartStore.getState());
    expect(heat.log.at(-1)).toBe('load');
    expect(trades.log).toEqual([]);
    expect(r.visible(chartStore.getState()).map((l) => l.id)).toEqual(['heatmap', 'forecast']);
  });
});

function client() {
  const sent: Request[] = [];
  let deliver: (b: Uint8Array) => void = () => {};
  const t: Transport = { kind: 'browser', send: (b) => sent.push(decodeEnvelope<Request>(b).message), onMessage: (cb) => (deliver = cb), onStatus: () => {}, close: () => {} };
  const c = new EngineClient();
  c.start(t);
  const emit = (m: EngineEvent, parts: Uint8Array[] = []) => deliver(encodeEnvelope(m, parts));
  return { c, sent, emit };
}

afterEach(() => {
  closeSession();
  forecastStore.setState({ enabled: true, family: 'particle', showPast: false, pastHorizonS: 10 });
});

describe('engine client with named layers', () => {
  it('a four-layer frame writes the heatmap column and holds the forecast and its inputs', () => {
    const { c, emit } = client();
    emit({ kind: 'session_ready', session: info, cacheHit: true });
    const w = FIRST + 400n * SEC;
    emit({ kind: 'frame', seq: 1, windowEndNs: w.toString(), layers: ['snap', 'grid', 'forecast', 'forecast_inputs'] }, [
      snapBytes(400, SPOT_TICK),
      gridBytes(SPOT_TICK),
      forecastBytes([pathAt(400, 0.2)]),
      forecastInputsBytes([{ windowEndNs: w, family: 'particle', name: 'F_near', value: 2 }]),
    ]);
    const st = chartStore.getState();
    expect(st.nowIndex).toBe(400);
    expect(st.data!.ring.has(400)).toBe(true);
    expect(st.data!.spotRow[400]).toBe(200);
    expect(c.forecast.pathAt(400)!.points[29].predictedTick).toBeCloseTo(SPOT_TICK + 6, 9);
    expect(c.forecast.inputsAt(400)).toEqual([['F_near', 2]]);
    forecastStore.setState({ family: 'no_change' });
    expect(c.forecast.pathAt(400)).toBeNull();
  });

  it('a frame without layers still draws the heatmap (older engine)', () => {
    const { c, emit } = client();
    emit({ kind: 'session_ready', session: info, cacheHit: true });
    emit({ kind: 'frame', seq: 1, windowEndNs: (FIRST + 10n * SEC).toString() } as EngineEvent, [snapBytes(10, SPOT_TICK), gridBytes(SPOT_TICK)]);
    expect(chartStore.getState().data!.ring.has(10)).toBe(true);
    expect(c.forecast.pathAt(10)).toBeNull();
  });

  it('a seek asks for the forecasts of the playhead chunk; the reply is routed to the forecast layer by request id', () => {
    const { c, sent, emit } = client();
    emit({ kind: 'session_ready', session: info, cacheHit: true });
    c.seekIndex(350);
    const req = sent.find((m): m is Extract<Request, { kind: 'fetch_forecasts' }> => m.kind === 'fetch_forecasts');
    expect(req).toBeDefined();
    expect(BigInt(req!.fromWindowEndNs)).toBe(FIRST + 300n * SEC);
    expect(BigInt(req!.toWindowEndNs)).toBe(FIRST + 599n * SEC);
    expect(c.forecast.held().pending).toBe(1);
    emit({ kind: 'forecasts', requestId: req!.requestId, fromWindowEndNs: req!.fromWindowEndNs, toWindowEndNs: req!.toWindowEndNs, layers: ['forecast'] }, [
      forecastBytes([pathAt(349, -0.1), pathAt(350, 0.1)]),
    ]);
    expect(c.forecast.held()).toEqual({ live: 0, history: 1, pending: 0 });
    expect(c.forecast.pathAt(350)!.points[0].predictedTick).toBeCloseTo(SPOT_TICK + 0.1, 9);
    // New parameters: what was held is dropped and asked for again.
    const before = sent.filter((m) => m.kind === 'fetch_forecasts').length;
    emit({ kind: 'params', params: { beta: 0.5 }, revision: 2 });
    expect(forecastStore.getState().revision).toBe(2);
    expect(c.forecast.pathAt(350)).toBeNull();
    expect(sent.filter((m) => m.kind === 'fetch_forecasts').length).toBe(before + 1);
  });

  it('an engine without forecasts (yet) is asked again only after a back-off; the margin says so, no toast', () => {
    const { c, sent, emit } = client();
    emit({ kind: 'session_ready', session: info, cacheHit: true });
    const alertsBefore = useUi.getState().alerts.length;
    c.seekIndex(350);
    const asked = () => sent.filter((m) => m.kind === 'fetch_forecasts').length;
    expect(asked()).toBe(1);
    const unavailable: EngineEvent = { kind: 'alert', alert: { severity: 'info', code: 'forecast.unavailable', message: 'There are no forecasts for this session (yet).' } };
    emit(unavailable);
    expect(c.forecast.engineHasNone).toBe(true);
    expect(c.forecast.held().pending).toBe(0);
    c.seekIndex(100);
    c.seekIndex(500);
    expect(asked()).toBe(1);
    emit(unavailable);
    expect(useUi.getState().alerts.length).toBe(alertsBefore);
    // A frame that carries a forecast ends the back-off.
    emit({ kind: 'frame', seq: 1, windowEndNs: (FIRST + 500n * SEC).toString(), layers: ['snap', 'grid', 'forecast'] }, [snapBytes(500, SPOT_TICK), gridBytes(SPOT_TICK), forecastBytes([pathAt(500, 0)])]);
    expect(c.forecast.engineHasNone).toBe(false);
    c.seekIndex(100);
    expect(asked()).toBe(2);
    c.forecast.reset(); // no back-off timer left behind
  });

  it('a frame arriving after the engine settled on another window (a superseded seek) does not move the playhead', () => {
    const { emit } = client();
    emit({ kind: 'session_ready', session: info, cacheHit: true });
    const ns = (wi: number) => (FIRST + BigInt(wi) * SEC).toString();
    const frame = (seq: number, wi: number) => emit({ kind: 'frame', seq, windowEndNs: ns(wi), layers: ['snap', 'grid'] }, [snapBytes(wi, SPOT_TICK), gridBytes(SPOT_TICK)]);
    // −2m then +2m: the engine announces 240, then 360, sends 360's frame and settles; 240's
    // frame, read slowly, comes last.
    emit({ kind: 'playback', state: 'seeking', speed: 1, playheadWindowEndNs: ns(240) });
    emit({ kind: 'playback', state: 'seeking', speed: 1, playheadWindowEndNs: ns(360) });
    frame(1, 360);
    emit({ kind: 'playback', state: 'paused', speed: 1, playheadWindowEndNs: ns(360) });
    frame(2, 240);
    expect(chartStore.getState().nowIndex).toBe(360);
    expect(chartStore.getState().data!.ring.has(240)).toBe(true);
    // While playing, frames move the playhead as always.
    emit({ kind: 'playback', state: 'playing', speed: 1, playheadWindowEndNs: ns(360) });
    frame(3, 361);
    expect(chartStore.getState().nowIndex).toBe(361);
  });

  it('with the forecast off nothing is asked for', () => {
    forecastStore.setState({ enabled: false });
    const { c, sent, emit } = client();
    emit({ kind: 'session_ready', session: info, cacheHit: true });
    c.seekIndex(350);
    expect(sent.some((m) => m.kind === 'fetch_forecasts')).toBe(false);
  });
});
