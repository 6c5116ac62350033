// The engine's message loop without a child process: malformed input, handshake, typed
// alerts for bad requests and failed ingests, and a session served from the synthetic store.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../contracts/envelope';
import type { EngineEvent } from '../../contracts/protocol';
import { DbnError } from '../dbn/errors';
import { IngestError } from '../pipeline/errors';
import type { IngestSummary } from '../pipeline/ingestApi';
import { SYN } from '../replay/testing/syntheticStore';
import { toyModel } from '../replay/testing/toyForecastModel';
import { tableFromIPC } from 'apache-arrow';
import { hostHarness } from './testing/hostHarness';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-host-'));
const goodFile = join(dir, 'day.dbn.zst');
writeFileSync(goodFile, 'placeholder bytes: the ingest below is a test double that never reads them');

const harness = hostHarness;

const alertCodes = (events: EngineEvent[]) => events.flatMap((e) => (e.kind === 'alert' ? [e.alert.code] : []));

describe('engine host', () => {
  it('answers an overlay request without a session with an info alert', () => {
    const { events, send } = harness();
    send({ kind: 'fetch_overlays', requestId: 1, fromWindowEndNs: '0', toWindowEndNs: '1', kinds: ['walls_voids', 'trades'] });
    expect(alertCodes(events)).toEqual(['overlays.no_session']);
  });

  it('answers garbage and unknown kinds with alerts, never a crash', () => {
    const { host, events, send } = harness();
    host.receive(new Uint8Array([1, 2, 3]));
    host.receive(encodeEnvelope({ nokind: true }));
    send({ kind: 'cancel_ingest' });
    send({ kind: 'fetch_slab', requestId: 1, fromWindowEndNs: '0', toWindowEndNs: '1', fields: ['rho'] });
    expect(alertCodes(events)).toEqual(['protocol.malformed', 'protocol.malformed', 'ingest.none', 'slab.no_session']);
  });

  it('welcomes a window; a protocol mismatch is reported with a hint', () => {
    const { events, send } = harness();
    send({ kind: 'hello', protocol: 999, client: 'browser' });
    expect(events[0]).toMatchObject({ kind: 'alert', alert: { code: 'protocol.version', severity: 'error' } });
    expect(events[1]).toMatchObject({ kind: 'welcome', protocol: 1, capabilities: { maxInFlightFrames: 4, demo: false } });
  });

  it('refuses missing files and non-DBN files before any work', () => {
    const { events, send } = harness();
    send({ kind: 'open_file', path: join(dir, 'missing.dbn') });
    send({ kind: 'open_file', path: dir });
    writeFileSync(join(dir, 'notes.csv'), 'a,b');
    send({ kind: 'open_file', path: join(dir, 'notes.csv') });
    expect(alertCodes(events)).toEqual(['file.not_found', 'file.not_a_file', 'file.unsupported_type']);
    expect(events.some((e) => e.kind === 'ingest_started')).toBe(false);
  });

  it('a typed ingest failure becomes an alert with its code, message and hint; the engine is idle again', async () => {
    const { events, send, until } = harness({
      ingest: async () => {
        throw new IngestError('input.not_mbo', 'this is a trades file, not market-by-order (mbo)', 'open a Databento MBO file (schema mbo)');
      },
    });
    send({ kind: 'open_file', path: goodFile });
    const a = await until((e) => e.kind === 'alert');
    expect(a).toEqual({ kind: 'alert', alert: { severity: 'error', code: 'input.not_mbo', message: 'this is a trades file, not market-by-order (mbo)', hint: 'open a Databento MBO file (schema mbo)' } });
    expect(events.filter((e) => e.kind === 'playback').map((e) => (e as { state: string }).state)).toEqual(['ingesting', 'idle']);
    send({ kind: 'play' });
    expect(alertCodes(events).at(-1)).toBe('playback.refused');
  });

  it('a decoder error keeps its stable code under dbn.*', async () => {
    const { send, until } = harness({
      ingest: async () => {
        throw new DbnError('CORRUPT_ZSTD', 92, 'corrupt zstd data: Data corruption detected', 'the compressed file is damaged; download it again');
      },
    });
    send({ kind: 'open_file', path: goodFile });
    const a = await until((e) => e.kind === 'alert' && e.alert.severity === 'error');
    expect(a).toMatchObject({ alert: { code: 'dbn.corrupt_zstd', hint: 'the compressed file is damaged; download it again' } });
  });

  it('a cancelled ingest reports ingest_cancelled, not an error', async () => {
    const { send, until } = harness({
      ingest: (o) =>
        new Promise((_, reject) => {
          const cancelled = () => reject(new IngestError('ingest.cancelled', 'the ingest was cancelled; nothing was kept'));
          if (o.signal!.aborted) cancelled();
          else o.signal!.addEventListener('abort', cancelled);
        }),
    });
    send({ kind: 'open_file', path: goodFile });
    await until((e) => e.kind === 'ingest_started');
    send({ kind: 'cancel_ingest' });
    expect(await until((e) => e.kind === 'ingest_cancelled')).toEqual({ kind: 'ingest_cancelled' });
  });

  it('serves a ready dataset: session_ready, first frame, slabs, and re-greets a reconnecting window', async () => {
    const summary = { datasetId: SYN.datasetId, cacheHit: false, timeZone: 'America/New_York', sessionDate: '2024-01-02' } as IngestSummary;
    const { events, parts, send, until } = harness({
      ingest: async (o) => {
        o.onProgress?.({ stage: 'gold', bytesRead: 1, bytesTotal: 2, events: 10, eventsPerSec: 100, etaSec: 1, fraction: 0.5 });
        return summary;
      },
    });
    send({ kind: 'open_file', path: goodFile });
    const ready = await until((e) => e.kind === 'session_ready');
    expect(ready).toMatchObject({ kind: 'session_ready', cacheHit: false, session: { windowCount: SYN.windows, symbol: 'ESH4' } });
    await until((e) => e.kind === 'frame');
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['ingest_started', 'ingest_progress', 'session_ready', 'playback', 'frame']));
    send({ kind: 'fetch_slab', requestId: 3, fromWindowEndNs: SYN.firstEnd.toString(), toWindowEndNs: (SYN.firstEnd + 9n * 1_000_000_000n).toString(), fields: ['rho'] });
    const slab = await until((e) => e.kind === 'slab');
    expect(slab).toMatchObject({ requestId: 3, fields: ['rho'] });
    expect(parts[events.indexOf(slab)]).toHaveLength(2);
    const before = events.length;
    send({ kind: 'hello', protocol: 1, client: 'browser' });
    expect(events.slice(before).map((e) => e.kind)).toEqual(['welcome', 'session_ready', 'playback']);
  });

  it('forecasts: computed when a session opens, frames carry them, history by fetch_forecasts, set_params recomputes', async () => {
    const summary = { datasetId: SYN.datasetId, cacheHit: false, timeZone: 'America/New_York', sessionDate: '2024-01-02' } as IngestSummary;
    const { events, parts, send, until } = harness({ ingest: async () => summary, forecast: () => toyModel() });
    send({ kind: 'fetch_forecasts', requestId: 1, fromWindowEndNs: '0', toWindowEndNs: '1' });
    expect(alertCodes(events)).toEqual(['forecast.unavailable']);
    send({ kind: 'open_file', path: goodFile });
    await until((e) => e.kind === 'session_ready');
    const sec = 1_000_000_000n;
    // The store is ready shortly after the first frame; ask until it answers.
    let answer: EngineEvent | undefined;
    for (let i = 0; i < 50 && !answer; i++) {
      send({ kind: 'fetch_forecasts', requestId: 7, fromWindowEndNs: SYN.firstEnd.toString(), toWindowEndNs: (SYN.firstEnd + 2n * sec).toString() });
      answer = events.find((e) => e.kind === 'forecasts');
      if (!answer) await new Promise((r) => setTimeout(r, 20));
    }
    expect(answer).toEqual({ kind: 'forecasts', requestId: 7, fromWindowEndNs: SYN.firstEnd.toString(), toWindowEndNs: (SYN.firstEnd + 2n * sec).toString(), layers: ['forecast'] });
    const hist = tableFromIPC(parts[events.indexOf(answer!)][0]);
    expect(hist.numRows).toBe(3 * 2 * 30);
    expect(hist.get(0)!.toJSON().predicted_tick - hist.get(0)!.toJSON().spot_tick).toBe(0.5);
    send({ kind: 'step', seconds: 1 });
    const f = await until((e) => e.kind === 'frame' && e.windowEndNs === (SYN.firstEnd + sec).toString());
    expect(f).toMatchObject({ layers: ['snap', 'grid', 'forecast', 'forecast_inputs'] });
    // The launch parameters are announced once the forecasts are ready (revision 0), then each change.
    expect(events.find((e) => e.kind === 'params')).toMatchObject({ kind: 'params', revision: 0 });
    send({ kind: 'set_params', set: { beta: 1 } });
    expect(await until((e) => e.kind === 'params' && e.revision === 1)).toEqual({ kind: 'params', params: { beta: 1 }, revision: 1 });
    send({ kind: 'set_params', set: { beta: 99 } });
    expect(await until((e) => e.kind === 'alert' && e.alert.code === 'params.invalid')).toMatchObject({ alert: { severity: 'warning', message: 'beta must be in [0, 4], got 99' } });
    send({ kind: 'fetch_forecasts', requestId: 8, fromWindowEndNs: SYN.firstEnd.toString(), toWindowEndNs: SYN.firstEnd.toString() });
    const again = tableFromIPC(parts[events.findIndex((e) => e.kind === 'forecasts' && e.requestId === 8)][0]);
    expect(again.get(0)!.toJSON().predicted_tick - again.get(0)!.toJSON().spot_tick).toBe(1);
  });
});
