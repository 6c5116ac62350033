// Small helpers shared by the in-process benchmarks (bench:compute, bench/forecast.ts).
import { createMboBatch, type MboBatch } from '../src-worker/dbn';

export const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** CPU seconds (user + system) of this process so far. */
export const cpuS = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * A batch of exactly `count` rows built by createMboBatch (the decoder's own object shape: an
 * object filled by keyed stores of ~20 names goes to dictionary mode in V8 and would make
 * every column read in the engine slow, measuring the copy instead of the engine).
 */
export function copyBatch(b: MboBatch): MboBatch {
  const out = createMboBatch(b.count);
  for (const k of Object.keys(b) as (keyof MboBatch)[]) {
    if (k !== 'count') (out[k] as Float64Array).set((b[k] as Float64Array).subarray(0, b.count));
  }
  out.count = b.count;
  return out;
}
