// The simulated benchmark inputs, written on first use (deterministic: same seed, same bytes),
// so `bench:ingest` and `bench:compute` measure the same files on a fresh machine too.
//   day     a full Globex day ESH6 2026-01-05 18:00 → 2026-01-06 17:00 New York, intensity 1
//           (≈ 21.7 M events, ≈ 25 s to simulate): the main input
//   stress  ESH6 2026-01-06 09:00–10:30 New York at intensity 5.2 (≈ 27 M events, ≈ 250 k
//           resting orders): the memory-bound worst case
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { simulateToFile } from '../src-worker/sim/index';

export const SIM_INPUTS = {
  day: { out: 'bench/out/sim-es-day.dbn.zst', start: '18:00', end: '17:00', intensity: 1 },
  stress: { out: 'bench/out/sim-es-20000000.dbn.zst', start: '09:00', end: '10:30', intensity: 5.2 },
} as const;

/** Simulate the input when its file is missing (written to a temp name, renamed when complete). */
export async function ensureSimInput(name: keyof typeof SIM_INPUTS): Promise<string> {
  const s = SIM_INPUTS[name];
  if (existsSync(s.out)) return s.out;
  mkdirSync(dirname(s.out), { recursive: true });
  const tmp = s.out.replace(/\.dbn\.zst$/, `.partial-${process.pid}.dbn.zst`);
  console.error(`simulating the ${name} input → ${s.out} (once; deterministic)`);
  await simulateToFile({ out: tmp, symbol: 'ESH6', date: '2026-01-06', start: s.start, end: s.end, tz: 'America/New_York', seed: 42, intensity: s.intensity });
  renameSync(tmp, s.out);
  return s.out;
}
