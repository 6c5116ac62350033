// Inputs of the forecast benchmarks: the real ESH4 hour and the embedded demo span (the same
// simulator settings as src-worker/host/demo.ts; simulated into bench/out/ on first use).
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEMO } from '../src-worker/host/demo';
import { simulateToFile } from '../src-worker/sim/index';

export interface ForecastInput {
  name: 'real' | 'demo';
  file: string;
  instrumentId: number;
  tickInt: number;
  sessionStartSec: number;
  sessionEndSec: number;
  ingest: { symbol?: string; date?: string; start: string; end: string; tz: string };
}

const REAL_START = 1703545200; // 2023-12-25 18:00 New York

export const REAL_INPUT: ForecastInput = {
  name: 'real',
  file: '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst',
  instrumentId: 17077,
  tickInt: 250_000_000,
  sessionStartSec: REAL_START,
  sessionEndSec: REAL_START + 3600,
  ingest: { start: '18:00', end: '19:00', tz: 'America/New_York' },
};

/** Seconds since the epoch of a New York wall-clock time on the demo date (EST in January). */
function nySec(date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh + 5, mm) / 1000;
}

/** The demo span, simulated when missing (deterministic: same settings, same bytes). */
export async function demoInput(): Promise<ForecastInput> {
  const out = `bench/out/demo-es-v${DEMO.version}-seed${DEMO.seed}.dbn.zst`;
  let instrumentId = 0;
  if (!existsSync(out)) {
    mkdirSync(dirname(out), { recursive: true });
    const tmp = out.replace(/\.dbn\.zst$/, `.partial-${process.pid}.dbn.zst`);
    console.error(`simulating the demo span → ${out} (once)`);
    const s = await simulateToFile({ out: tmp, symbol: DEMO.symbol, seed: DEMO.seed, date: DEMO.date, start: DEMO.simStart, end: DEMO.simEnd, tz: DEMO.tz, intensity: DEMO.intensity });
    instrumentId = s.instrumentId;
    renameSync(tmp, out);
  }
  if (!instrumentId) {
    const { readDbnFile } = await import('../src-worker/dbn/reader');
    for await (const ev of readDbnFile(out)) {
      if (ev.kind === 'mbo' && ev.batch.count > 0) {
        instrumentId = ev.batch.instrumentId[0];
        break;
      }
    }
  }
  if (DEMO.tz !== 'America/New_York' || !DEMO.date.match(/^\d{4}-0[1-2]-/)) throw new Error('demoInput assumes a January/February New York date (EST)');
  return {
    name: 'demo',
    file: out,
    instrumentId,
    tickInt: 250_000_000,
    sessionStartSec: nySec(DEMO.date, DEMO.sessionStart),
    sessionEndSec: nySec(DEMO.date, DEMO.sessionEnd),
    ingest: { symbol: DEMO.symbol, date: DEMO.date, start: DEMO.sessionStart, end: DEMO.sessionEnd, tz: DEMO.tz },
  };
}
