// The frame pump against the synthetic store: pacing, backpressure, seek/step/skip, end of session.
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Alert, FrameLayer, PlaybackState, Speed } from '../../contracts/protocol';
import { ReplayEngine, type ReplaySink } from './replayEngine';
import { loadReplaySession, type ReplaySession } from './sessionInfo';
import { DuckDbWindowSource, type WindowSource } from './windowSource';
import { openSyntheticStore, SYN, synSpot } from './testing/syntheticStore';

let store: { conn: DuckDBConnection; close(): void };
let session: ReplaySession;
beforeAll(async () => {
  store = await openSyntheticStore();
  session = await loadReplaySession(store.conn, SYN.datasetId, { isDemo: false });
});
afterAll(() => store.close());

class RecordingSink implements ReplaySink {
  frames: { seq: number; index: number; layers: FrameLayer[]; parts: Uint8Array[] }[] = [];
  states: { state: PlaybackState; speed: Speed; index: number | null }[] = [];
  alerts: Alert[] = [];
  waiters: (() => void)[] = [];
  frame(seq: number, ns: bigint, layers: FrameLayer[], parts: Uint8Array[]) {
    expect(parts.length).toBe(layers.length);
    this.frames.push({ seq, index: Number((ns - SYN.firstEnd) / 1_000_000_000n), layers, parts });
    this.waiters.splice(0).forEach((w) => w());
  }
  playback(state: PlaybackState, speed: Speed, ns: bigint | null) {
    this.states.push({ state, speed, index: ns === null ? null : Number((ns - SYN.firstEnd) / 1_000_000_000n) });
    this.waiters.splice(0).forEach((w) => w());
  }
  alert(a: Alert) {
    this.alerts.push(a);
  }
  /** Resolves once `pred` holds (checked after every event). */
  until(pred: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (pred() ? resolve() : this.waiters.push(check));
      check();
    });
  }
  get last() {
    return this.states.at(-1)!;
  }
}

async function ready(max = 4) {
  const sink = new RecordingSink();
  const engine = new ReplayEngine(sink, { maxInFlightFrames: max, chunkWindows: 16 });
  expect(engine.beginIngest()).toBe(true);
  await engine.attach(store.conn, session);
  return { sink, engine };
}

describe('replay engine', () => {
  it('on attach is ready at the first window and has sent its frame', async () => {
    const { sink, engine } = await ready();
    expect(sink.states.map((s) => s.state)).toEqual(['ingesting', 'ready']);
    expect(sink.frames.map((f) => f.index)).toEqual([0]);
    expect(engine.inFlight).toBe(1);
  });

  it('never has more than maxInFlightFrames unacknowledged frames', async () => {
    const { sink, engine } = await ready(3);
    engine.setSpeed('max');
    engine.play();
    await sink.until(() => sink.frames.length >= 3);
    await new Promise((r) => setTimeout(r, 50)); // give the pump every chance to overrun
    expect(sink.frames.length).toBe(3);
    expect(engine.inFlight).toBe(3);
    engine.ack(sink.frames.at(-1)!.seq);
    await sink.until(() => sink.frames.length >= 6);
    expect(sink.frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5]);
    engine.pause();
    expect(sink.last.state).toBe('paused');
  });

  it('plays at max speed to the end of the session, frames in order, then pauses', async () => {
    const { sink, engine } = await ready(4);
    engine.setSpeed('max');
    engine.play();
    // The window acknowledges every frame as it draws it.
    const acker = setInterval(() => sink.frames.length && engine.ack(sink.frames.at(-1)!.seq), 1);
    await sink.until(() => sink.last.state === 'paused');
    clearInterval(acker);
    const idx = sink.frames.map((f) => f.index);
    expect(idx).toEqual(Array.from({ length: SYN.windows }, (_, i) => i));
    expect(sink.last.index).toBe(SYN.windows - 1);
    engine.play();
    expect(sink.alerts.at(-1)?.code).toBe('playback.at_end');
  });

  it('seeks to a clock time and sends that window; step pauses; skip moves by minutes', async () => {
    const { sink, engine } = await ready();
    engine.seek((SYN.firstEnd + 77n * 1_000_000_000n).toString());
    await sink.until(() => sink.last.state === 'paused');
    const f = sink.frames.at(-1)!;
    expect(f.index).toBe(77);
    expect(tableFromIPC(f.parts[0]).get(0)!.toJSON().spot_ref_price_int).toBe(synSpot(77));
    engine.step(-1);
    await sink.until(() => sink.frames.at(-1)!.index === 76 && sink.last.state === 'paused');
    engine.skip(-1);
    await sink.until(() => sink.frames.at(-1)!.index === 16 && sink.last.state === 'paused');
    engine.ack(sink.frames.at(-1)!.seq); // the window drew everything so far
    engine.setSpeed(100);
    engine.play();
    const acker = setInterval(() => engine.ack(sink.frames.at(-1)!.seq), 1);
    await sink.until(() => sink.frames.at(-1)!.index >= 18);
    engine.step(1);
    await sink.until(() => sink.last.state === 'paused' && sink.frames.at(-1)!.index === sink.last.index);
    clearInterval(acker);
    expect(sink.states.filter((s) => s.state === 'playing').length).toBeGreaterThan(0);
  }, 10_000);

  it('a seek superseded by a later one sends nothing: its slow read finishing last does not move the window back', async () => {
    // The synthetic windows through a source whose read of window 30 waits until released
    // (a slow DuckDB read).
    const duck = new DuckDbWindowSource(store.conn, session, { chunkWindows: 16 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let slowRead: Promise<unknown> = Promise.resolve();
    const source: WindowSource = {
      session,
      growing: false,
      firstAvailable: 0,
      frame(index) {
        if (index !== 30) return duck.frame(index);
        const f = gate.then(() => duck.frame(index));
        slowRead = f;
        return f;
      },
      onGrow: () => duck.onGrow(),
      dispose: () => duck.dispose(),
    };
    const sink = new RecordingSink();
    const engine = new ReplayEngine(sink, { maxInFlightFrames: 4 });
    expect(engine.beginIngest()).toBe(true);
    await engine.attachGrowing(source);
    engine.seek((SYN.firstEnd + 30n * 1_000_000_000n).toString());
    engine.seek((SYN.firstEnd + 50n * 1_000_000_000n).toString());
    await sink.until(() => sink.last.state === 'paused');
    expect(sink.frames.at(-1)!.index).toBe(50);
    release();
    await slowRead;
    await new Promise((r) => setTimeout(r, 20));
    expect(sink.frames.map((f) => f.index)).toEqual([0, 50]);
    expect(sink.last).toMatchObject({ state: 'paused', index: 50 });
  });

  it('refuses bad speeds, steps and seeks with alerts and keeps its state', async () => {
    const { sink, engine } = await ready();
    engine.setSpeed(1000);
    engine.step(0);
    engine.seek('lunch');
    expect(sink.alerts.map((a) => a.code)).toEqual(['playback.invalid', 'playback.invalid', 'playback.invalid']);
    expect(engine.state).toBe('ready');
  });

  it('an idle engine refuses playback requests with a readable reason', () => {
    const sink = new RecordingSink();
    const engine = new ReplayEngine(sink, { maxInFlightFrames: 4 });
    engine.play();
    engine.seek('1');
    expect(sink.alerts.map((a) => a.message)).toEqual(['cannot play while idle', 'cannot seek while idle']);
  });
});
