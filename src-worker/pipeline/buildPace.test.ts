// The paced build ("as live, N×"): its clock on a fake timer, then a real paced ingest of a
// simulated span — it lasts at least the session's length over the pace, builds the same
// tables as a full-speed build, and a cancel during a wait ends it at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateToFile } from '../sim/index';
import { BuildPace, checkPace } from './buildPace';
import { IngestError } from './errors';
import { ingestFile } from './ingest';

describe('BuildPace', () => {
  it('holds each event until its market time over the pace has passed, from the session start', () => {
    let now = 1000;
    const p = new BuildPace(60, 3600, () => now);
    expect(p.delayMs(3000)).toBe(0); // warm-up before the session: full speed
    expect(p.delayMs(3600)).toBe(0); // the session's first event starts the clock
    expect(p.delayMs(3660)).toBe(1000); // one market minute = one second at 60×
    now += 400;
    expect(p.delayMs(3660)).toBe(600);
    now += 5000; // the machine fell behind: no wait, and no catch-up burst either way
    expect(p.delayMs(3720)).toBe(0);
  });

  it('starts its clock at the first session event it sees, counted from the session start', () => {
    const now = 0;
    const p = new BuildPace(10, 100, () => now);
    expect(p.delayMs(130)).toBe(0); // the first event read is already 30 s into the session
    expect(p.delayMs(140)).toBe(1000);
  });

  it('refuses a pace that is not a number in range, with the range in words', () => {
    expect(checkPace(undefined)).toBeUndefined();
    expect(checkPace(60)).toBe(60);
    for (const bad of [0, -1, Number.NaN, Infinity, 1e9, '60', {}]) {
      try {
        checkPace(bad);
        expect.unreachable(`accepted ${String(bad)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(IngestError);
        expect((e as IngestError).code).toBe('config.bad_pace');
        expect((e as IngestError).userMessage).toMatch(/between 0.1 and 10000/);
      }
    }
  });
});

describe('a paced ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-pace-'));
  const file = join(dir, 'sim.dbn.zst');
  const session = { date: '2026-01-06', start: '09:30', end: '09:31', tz: 'America/New_York' };
  beforeAll(async () => {
    await simulateToFile({ out: file, symbol: 'ESH6', date: '2026-01-06', start: '09:29', end: '09:32', seed: 3, intensity: 0.1 });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lasts at least the session over the pace and builds what a full-speed build builds', async () => {
    const full = await ingestFile({ file, dbPath: join(dir, 'full.duckdb'), ...session, threads: 'inline' });
    const t0 = performance.now();
    const paced = await ingestFile({ file, dbPath: join(dir, 'paced.duckdb'), ...session, threads: 'inline', pace: 40 });
    const wallMs = performance.now() - t0;
    // 60 market seconds at 40× = 1.5 s (the last window's events are due at ≥ 59 s).
    expect(wallMs).toBeGreaterThan(1400);
    expect(paced.datasetKey).toBe(full.datasetKey); // the pace is not part of the dataset
    expect(paced.rows).toEqual(full.rows);
    expect(paced.events).toEqual(full.events);
  }, 60_000);

  it('a cancel during a paced wait ends the build at once, and keeps nothing', async () => {
    const abort = new AbortController();
    const t0 = performance.now();
    setTimeout(() => abort.abort(), 300);
    const err = await ingestFile({ file, dbPath: join(dir, 'cancel.duckdb'), ...session, threads: 'inline', pace: 1, signal: abort.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('ingest.cancelled');
    expect(performance.now() - t0).toBeLessThan(5000); // not the 60 s the pace would take
  }, 60_000);

  it('a bad pace is refused before anything is read', async () => {
    const err = await ingestFile({ file, dbPath: join(dir, 'bad.duckdb'), ...session, pace: 0 }).catch((e) => e);
    expect((err as IngestError).code).toBe('config.bad_pace');
  });
});
