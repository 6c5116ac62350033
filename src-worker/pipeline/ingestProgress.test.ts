// Ingest progress (issue 13 item 3): one monotonic fraction over decode, book, DuckDB writes,
// close and commit, an ETA that is never 0 while work is left — on the real ESH4 hour, whose
// zstd source is read ahead at once (bytes said "100 %" at 8,192 of 68,792 events).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../contracts/protocol';
import { ingestFile } from './ingest';
import { buildFraction, IngestProgressMeter, PRE_SESSION_SHARE, STAGE_SHARE } from './ingestProgress';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const EVENTS = 68_792;
const dir = mkdtempSync(join(tmpdir(), 'spymaster-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const span = { sessionStartSec: 1000, sessionEndSec: 4600 };
const sample = (firstSec: number, curSec: number, bytesRead = 100, events = 1) => ({ bytesRead, events, firstSec, curSec });

describe('buildFraction', () => {
  it('follows the session time, with a small share for the events before it, capped by the bytes read', () => {
    expect(buildFraction(sample(NaN, NaN), span, 100)).toBe(0);
    // pre-session: half-way from the first event to the session start
    expect(buildFraction(sample(0, 500), span, 100)).toBeCloseTo(PRE_SESSION_SHARE * 0.5);
    // …but never ahead of the bytes read
    expect(buildFraction(sample(0, 500, 10), span, 100)).toBeCloseTo(PRE_SESSION_SHARE * 0.1);
    // in the session: the pre-session share plus the session time covered
    expect(buildFraction(sample(0, 2800), span, 100)).toBeCloseTo(PRE_SESSION_SHARE + (1 - PRE_SESSION_SHARE) * 0.5);
    // bytes read ahead do not move it in the session
    expect(buildFraction(sample(0, 2800, 100), span, 100)).toBe(buildFraction(sample(0, 2800, 50), span, 100));
    expect(buildFraction(sample(0, 9999), span, 100)).toBe(1);
    // a file that starts inside the session: no pre-session part left to do
    expect(buildFraction(sample(2800, 2800), span, 100)).toBeCloseTo(PRE_SESSION_SHARE + (1 - PRE_SESSION_SHARE) * 0.5);
  });
});

describe('IngestProgressMeter', () => {
  it('is monotonic, weights close and commit, reaches 1 only when done, and has no ETA of 0 before', () => {
    const m = new IngestProgressMeter(span, 100, 0);
    expect(m.progress('ingest', 0)).toMatchObject({ fraction: 0, etaSec: null });
    m.observe(sample(0, 2800));
    const a = m.progress('ingest', 1000);
    expect(a.fraction).toBeCloseTo(STAGE_SHARE.ingest * (PRE_SESSION_SHARE + (1 - PRE_SESSION_SHARE) * 0.5));
    expect(a.etaSec).toBeCloseTo((1 * (1 - a.fraction)) / a.fraction);
    // a sample that goes back in time (other instrument, late batch) never moves the fraction back
    m.observe(sample(0, 1500));
    expect(m.progress('ingest', 1100).fraction).toBe(a.fraction);
    // the last sample of a build carries no times: the ones seen are kept
    m.observe(sample(NaN, NaN, 100, 5));
    expect(m.progress('ingest', 1200).events).toBe(5);
    m.observe(sample(0, 4600));
    const end = m.progress('ingest', 2000);
    expect(end.fraction).toBeCloseTo(STAGE_SHARE.ingest);
    expect(m.progress('close', 2000).fraction).toBeCloseTo(STAGE_SHARE.ingest);
    const commit = m.progress('commit', 2100);
    expect(commit.fraction).toBeCloseTo(STAGE_SHARE.ingest + STAGE_SHARE.close);
    expect(commit.fraction).toBeLessThan(1);
    expect(commit.etaSec).toBeGreaterThan(0);
    expect(m.progress('done', 2200)).toMatchObject({ stage: 'done', fraction: 1, etaSec: 0 });
  });

  it('a paced build says at least the session time left over the pace (its fast warm-up says nothing of it)', () => {
    const m = new IngestProgressMeter(span, 100, 0, 60);
    m.observe(sample(0, 1360)); // 10 % of the session read, 1 s in: by rate alone ~7 s left
    const p = m.progress('ingest', 1000);
    expect((1 * (1 - p.fraction)) / p.fraction).toBeLessThan(10);
    expect(p.etaSec).toBeCloseTo((4600 - 1360) / 60); // 54 s at 60×
    m.observe(sample(0, 4600));
    const close = m.progress('close', 60_000); // the pace no longer matters: the rate alone
    expect(close.etaSec).toBeCloseTo((60 * (1 - close.fraction)) / close.fraction);
  });
});

describe.each(['worker', 'inline'] as const)('progress of the real ESH4 hour (%s)', (threads) => {
  it('is monotonic, about half at half the events, < 1 until the commit is done, with an honest ETA', async () => {
    const seen: IngestProgress[] = [];
    const s = await ingestFile({
      file: REAL,
      dbPath: join(dir, `${threads}.duckdb`),
      start: '18:00',
      end: '19:00',
      tz: 'America/New_York',
      threads,
      onProgress: (p) => seen.push(p),
    });
    expect(s.events.processed).toBe(EVENTS);
    const fr = seen.map((p) => p.fraction);
    for (let i = 1; i < fr.length; i++) expect(fr[i], `sample ${i}`).toBeGreaterThanOrEqual(fr[i - 1]);
    // the stages in order, each at least once, ending with done
    const stages = seen.map((p) => p.stage).filter((st, i, a) => st !== a[i - 1]);
    expect(stages).toEqual(['ingest', 'close', 'commit', 'done']);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ stage: 'done', fraction: 1, etaSec: 0 });
    const beforeCommitEnds = seen.slice(0, -1);
    for (const p of beforeCommitEnds) {
      expect(p.fraction, `${p.stage} at ${p.events} events`).toBeLessThan(1);
      // work remains: an ETA is either not known yet or > 0, never 0
      expect(p.etaSec === null || p.etaSec > 0, `${p.stage} ETA ${p.etaSec}`).toBe(true);
    }
    expect(beforeCommitEnds.some((p) => p.etaSec !== null)).toBe(true);
    // At half the events: no more than 75 % (the old fraction said 96 % at a third) and no less than 25 %.
    const half = EVENTS / 2;
    const upTo = beforeCommitEnds.filter((p) => p.events <= half);
    const from = beforeCommitEnds.filter((p) => p.events >= half);
    expect(upTo.length).toBeGreaterThan(0);
    expect(from.length).toBeGreaterThan(0);
    expect(upTo[upTo.length - 1].fraction).toBeLessThanOrEqual(0.75);
    expect(from[0].fraction).toBeGreaterThanOrEqual(0.25);
    // the build's samples never claim the close or commit's share
    for (const p of seen.filter((p) => p.stage === 'ingest')) expect(p.fraction).toBeLessThanOrEqual(STAGE_SHARE.ingest + 1e-9);
    console.log(`[progress ${threads}] ` + seen.map((p) => `${p.stage} ${p.events} ${p.fraction.toFixed(3)} eta ${p.etaSec?.toFixed(1)}`).join(' | '));
  }, 120_000);
});
