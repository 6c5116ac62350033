// A short fuzz run (≈ 20 s; the campaign is `npm run fuzz`): mutated DBN files, parameter
// files and envelopes through decode, book, ingest and a real engine host, supervised in a
// child process. Nothing may crash, hang, disagree with its cross-check or reject unhandled.
import { describe, expect, it } from 'vitest';
import { loadRealSeeds } from './corpus';
import { mutateDbn, rng } from './mutate';
import { runFuzz } from './supervisor';

describe('fuzz', () => {
  it('inputs are a pure function of (seed, index)', () => {
    const seeds = loadRealSeeds();
    expect(seeds.length).toBeGreaterThan(30);
    const a = mutateDbn(rng(77), seeds[3], seeds);
    const b = mutateDbn(rng(77), seeds[3], seeds);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.ops).toEqual(b.ops);
  });

  it('20 s of fuzzing: every outcome is a correct result or a typed error', async () => {
    const lines: string[] = [];
    const r = await runFuzz({ seconds: 20, seed: 20261207, log: (l) => lines.push(l) });
    expect(lines.filter((l) => l.startsWith('FINDING'))).toEqual([]);
    expect({ crashes: r.crashes, hangs: r.hangs, wrong: r.wrongResults, rejections: r.unhandledRejections }).toEqual({ crashes: 0, hangs: 0, wrong: 0, rejections: 0 });
    expect(r.inputs).toBeGreaterThan(50);
    expect(r.correctResults).toBeGreaterThan(0);
    expect(r.typedErrors).toBeGreaterThan(0);
    expect(Object.keys(r.byTarget)).toEqual(expect.arrayContaining(['decode', 'decode+book', 'params', 'protocol']));
  }, 90_000);
});
