// The session forecast store with a hand-written model (testing/toyForecastModel.ts): every
// value of the `forecast` and `forecast_inputs` batches worked out by hand, windows without a
// forecast left out, set_params recomputing over the kept rows, a bad value refused with
// nothing changed, and live frames carrying the forecast layers after snap and grid.
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FrameLayer } from '../../contracts/protocol';
import { ForecastStore } from './forecastStore';
import { ReplayEngine } from './replayEngine';
import { SessionForecasts } from './sessionForecasts';
import { loadReplaySession, type ReplaySession } from './sessionInfo';
import { openSyntheticStore, SYN, synSpot } from './testing/syntheticStore';
import { toyModel, toyRows, type ToyParams } from './testing/toyForecastModel';

let store: { conn: DuckDBConnection; close(): void };
let session: ReplaySession;
beforeAll(async () => {
  store = await openSyntheticStore();
  session = await loadReplaySession(store.conn, SYN.datasetId, { isDemo: false });
});
afterAll(() => store.close());

const spotTick = (w: number) => Number(synSpot(w)! / SYN.tickInt);
const end = (w: number) => SYN.firstEnd + BigInt(w) * 1_000_000_000n;

describe('forecast store', () => {
  it('encodes the forecasts of a window range: window × family × horizon rows, the invalid window left out', () => {
    const fs = ForecastStore.compute(toyModel(), toyRows(), { beta: 0.5 } as ToyParams, session, 0);
    const t = tableFromIPC(fs.encodeForecasts(3, 6));
    // windows 3, 4, 6 (5 is invalid) × particle, no_change × 30 horizons
    expect(t.numRows).toBe(3 * 2 * 30);
    const rows = t.toArray().map((r) => r.toJSON());
    const first = rows[0];
    expect(first).toEqual({ window_end_ts_ns: end(3), family: 0, horizon_s: 1, spot_tick: spotTick(3), predicted_tick: spotTick(3) + 0.5, band_lo_tick: spotTick(3) + 0.375, band_hi_tick: spotTick(3) + 0.625, direction: 1, confidence: 0.5, prob_up: null });
    const h30 = rows[29];
    expect(h30).toMatchObject({ horizon_s: 30, predicted_tick: spotTick(3) + 15, band_lo_tick: spotTick(3) + 15 - 3.75 });
    expect(rows[30]).toMatchObject({ family: 2, horizon_s: 1, predicted_tick: spotTick(3), direction: 0, prob_up: 0.5 });
    expect(new Set(rows.map((r) => r.window_end_ts_ns))).toEqual(new Set([end(3), end(4), end(6)]));
    expect(fs.has(5)).toBe(false);
    expect(fs.layersAt(5)).toBeNull();
    // Out-of-session ranges clamp; an empty range is a valid empty batch.
    expect(tableFromIPC(fs.encodeForecasts(-10, 0)).numRows).toBe(60);
    expect(tableFromIPC(fs.encodeForecasts(7, 6)).numRows).toBe(0);
  });

  it('a live window carries forecast then forecast_inputs; the inputs show the runner ran in window order', () => {
    const fs = ForecastStore.compute(toyModel(), toyRows(), { beta: 0.5 }, session, 0);
    const l = fs.layersAt(9)!;
    expect(l.layers).toEqual(['forecast', 'forecast_inputs']);
    expect(tableFromIPC(l.parts[0]).numRows).toBe(60);
    const inputs = tableFromIPC(l.parts[1]).toArray().map((r) => r.toJSON());
    expect(inputs).toEqual([
      { window_end_ts_ns: end(9), family: 0, name: 'beta', value: 0.5 },
      { window_end_ts_ns: end(9), family: 0, name: 'seen', value: 10 },
    ]);
  });

  it('computing in slices (the engine keeps serving meanwhile) gives the same store; a superseded run gives none', async () => {
    const whole = ForecastStore.compute(toyModel(), toyRows(), { beta: 0.5 }, session, 0);
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const sliced = (await ForecastStore.computeInSlices(toyModel(), toyRows(), { beta: 0.5 }, session, 0, () => false, 7))!;
    clearInterval(timer);
    expect(Buffer.from(sliced.encodeForecasts(0, SYN.windows - 1)).equals(Buffer.from(whole.encodeForecasts(0, SYN.windows - 1)))).toBe(true);
    expect(Buffer.from(sliced.encodeInputs(40)).equals(Buffer.from(whole.encodeInputs(40)))).toBe(true);
    expect(turns).toBeGreaterThan(0);
    expect(await ForecastStore.computeInSlices(toyModel(), toyRows(), { beta: 0.5 }, session, 0, () => true, 7)).toBeNull();
  });

  it('set_params recomputes over the rows read once; a bad value is refused and changes nothing', async () => {
    const model = toyModel();
    const sf = new SessionForecasts(model);
    const fs0 = (await sf.open(session))!;
    expect(sf.revision).toBe(0);
    expect(tableFromIPC(fs0.encodeForecasts(0, 0)).get(0)!.toJSON().predicted_tick).toBe(spotTick(0) + 0.5);
    const fs1 = (await sf.setParams({ beta: 0.25 }))!;
    expect(sf.revision).toBe(1);
    expect(sf.numericParams).toEqual({ beta: 0.25 });
    expect(fs1.revision).toBe(1);
    expect(tableFromIPC(fs1.encodeForecasts(0, 0)).get(1)!.toJSON().predicted_tick).toBe(spotTick(0) + 0.5);
    expect(model.reads).toBe(1);
    await expect(sf.setParams({ beta: -1 })).rejects.toThrow(/beta must be in \[0, 4\]/);
    expect(sf.revision).toBe(1);
    expect(sf.current).toBe(fs1);
    sf.close();
    expect(sf.current).toBeNull();
    // Overrides outlive a session: the next one starts with them.
    const fs2 = (await sf.open(session))!;
    expect(fs2.params).toEqual({ beta: 0.25 });
  });

  it('replay frames: snap, grid, then the forecast layers; a window without a forecast has only snap and grid', async () => {
    const frames: { index: number; layers: FrameLayer[]; parts: Uint8Array[] }[] = [];
    const engine = new ReplayEngine(
      { frame: (_s, ns, layers, parts) => frames.push({ index: Number((ns - SYN.firstEnd) / 1_000_000_000n), layers, parts }), playback: () => undefined, alert: () => undefined },
      { maxInFlightFrames: 100, chunkWindows: 16 },
    );
    engine.beginIngest();
    await engine.attach(store.conn, session);
    engine.setForecasts(ForecastStore.compute(toyModel(), toyRows(), { beta: 0.5 }, session, 0));
    for (const w of [4, 5]) {
      engine.seek(end(w).toString());
      for (let i = 0; i < 100 && frames.at(-1)?.index !== w; i++) await new Promise((r) => setTimeout(r, 5));
    }
    expect(frames[0].layers).toEqual(['snap', 'grid']); // sent before the forecasts were set
    const at4 = frames.find((f) => f.index === 4)!;
    const at5 = frames.find((f) => f.index === 5)!;
    expect(at4.layers).toEqual(['snap', 'grid', 'forecast', 'forecast_inputs']);
    expect(at4.parts).toHaveLength(4);
    expect(tableFromIPC(at4.parts[2]).get(0)!.toJSON().window_end_ts_ns).toBe(end(4));
    expect(at5.layers).toEqual(['snap', 'grid']);
    engine.dispose();
  });
});
