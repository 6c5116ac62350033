// The options day: every file the simulator writes is read back by the project's decoder; the
// options MBO passes the same independent replay as the futures; the definitions carry strike,
// C/P, underlying and its id, expiration and tick size; metadata maps raw symbols to ids.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDbnFile, type DbnMetadata, type InstrumentDefinition } from '../dbn';
import { simulateToFile, type SimulateSummary } from './index';
import { ReplayChecker, type ReplayReport } from './replayCheck';

const dir = mkdtempSync(join(tmpdir(), 'sim-opt-'));
const files = { out: join(dir, 'es.dbn.zst'), optionsOut: join(dir, 'es-opt.dbn.zst'), definitionsOut: join(dir, 'es-def.dbn') };
let summary: SimulateSummary;

async function readAll(path: string) {
  const check = new ReplayChecker();
  let metadata: DbnMetadata | undefined;
  const defs: InstrumentDefinition[] = [];
  const ids = new Set<number>();
  const channels = new Set<number>();
  for await (const ev of readDbnFile(path)) {
    if (ev.kind === 'metadata') metadata = ev.metadata;
    else if (ev.kind === 'definition') defs.push(ev.definition);
    else if (ev.kind === 'mbo') {
      check.push(ev.batch);
      for (let i = 0; i < ev.batch.count; i++) {
        ids.add(ev.batch.instrumentId[i]);
        channels.add(ev.batch.channelId[i]);
      }
    }
  }
  return { metadata: metadata!, defs, ids, channels, rep: check.finish() as ReplayReport };
}

beforeAll(async () => {
  summary = await simulateToFile({ ...files, start: '09:29', end: '09:31', intensity: 0.3, seed: 21 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulated options day', () => {
  it('option MBO passes the independent replay and follows the chain in the metadata', async () => {
    const o = await readAll(files.optionsOut);
    expect(o.rep.violations).toEqual([]);
    expect(o.rep.records).toBe(summary.options!.records);
    expect(o.rep.trades).toBeGreaterThan(50);
    expect(o.channels).toEqual(new Set([1]));
    const mapped = new Map(o.metadata.mappings.map((m) => [Number(m.intervals[0].symbol), m.raw_symbol]));
    expect(mapped.size).toBe(summary.options!.instruments);
    for (const id of o.ids) expect(mapped.has(id)).toBe(true);
    // near the money is busier than the wings: most instruments have a two-sided book at the end
    let twoSided = 0;
    for (const b of o.rep.books.values()) if (b.bestBid === b.bestBid && b.bestAsk === b.bestAsk) twoSided++;
    expect(twoSided).toBeGreaterThan(o.rep.books.size / 2);
  });

  it('definitions: v3 options with strike, C/P, underlying, expiration, CME raw symbols', async () => {
    const d = await readAll(files.definitionsOut);
    expect(d.defs.length).toBe(summary.options!.instruments + 1);
    const fut = d.defs.find((x) => x.instrument_class === 'F')!;
    expect(fut.raw_symbol).toBe('ESH6');
    expect(fut.instrument_id).toBe(summary.instrumentId);
    expect(fut.min_price_increment).toBe(250_000_000n);
    const opts = d.defs.filter((x) => x.instrument_class === 'C' || x.instrument_class === 'P');
    expect(opts.length).toBe(summary.options!.instruments);
    const series = new Set<string>();
    for (const x of opts) {
      expect(x.raw_symbol).toMatch(/^(ESH6|E[1-5][A-D][FGHJKMNQUVXZ]\d|EW[1-5][FGHJKMNQUVXZ]\d) [CP]\d{4}$/);
      expect(x.raw_symbol.endsWith(`${x.instrument_class}${Number(x.strike_price! / 1_000_000_000n)}`)).toBe(true);
      expect(Number(x.strike_price! / 1_000_000_000n) % 5).toBe(0);
      expect(x.underlying).toBe('ESH6');
      expect(x.underlying_id).toBe(summary.instrumentId);
      expect(x.expiration).toBeGreaterThan(BigInt(summary.sessionStartNs));
      expect(x.min_price_increment).toBe(50_000_000n);
      series.add(x.raw_symbol.split(' ')[0]);
    }
    // quarterly + the week's dailies: Tue 6 Jan 2026 is E1B (0DTE), then E1C, E2D, EW2, E2A
    expect([...series].sort()).toEqual(['E1BF6', 'E1CF6', 'E2AF6', 'E2DF6', 'ESH6', 'EW2F6']);
  });

  it('the futures file of the same run is read back whole by the decoder', async () => {
    const f = await readAll(files.out);
    expect(f.rep.violations).toEqual([]);
    expect(f.rep.records).toBe(summary.futures.records);
    expect(f.metadata.symbols).toEqual(['ESH6']);
    expect(f.metadata.mappings[0].intervals[0].symbol).toBe(String(summary.instrumentId));
  });
});
