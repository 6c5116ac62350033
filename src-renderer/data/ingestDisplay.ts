import type { IngestProgress } from '../../contracts/protocol';

// What the ingest overlay shows, from the engine's progress samples: a bar that never moves
// back, the build loop (decode, book, DuckDB appends) filling the first 90 % and closing the
// tables + COMMIT the rest (the engine sends no samples then, so that part is shown as a
// stage, not a fake percentage), and an ETA only once there is enough to base it on — never
// "100 %, ETA 0 s" while work is left.

/** Share of the bar for the build loop; the rest is closing the appenders and the commit. */
export const LOOP_SHARE = 0.9;

export interface ShownProgress {
  fraction: number;
  stage: string;
  etaSec: number | null;
  startedAt: number;
}

export function nextShown(prev: ShownProgress | null, p: IngestProgress | null, nowMs: number): ShownProgress {
  const startedAt = prev?.startedAt ?? nowMs;
  const before = prev?.fraction ?? 0;
  if (!p) return { fraction: before, stage: 'starting', etaSec: null, startedAt };
  if (p.stage === 'done') return { fraction: 1, stage: 'done', etaSec: 0, startedAt };
  if (p.stage === 'hash') return { fraction: before, stage: 'checking the cache', etaSec: null, startedAt };
  const loop = Math.max(0, Math.min(1, p.fraction));
  const fraction = Math.max(before, loop * LOOP_SHARE);
  if (loop >= 0.999) return { fraction, stage: 'writing the last tables and committing', etaSec: null, startedAt };
  const elapsed = (nowMs - startedAt) / 1000;
  // The loop's own pace, plus the commit's share at that pace.
  const etaSec = fraction >= 0.05 && elapsed >= 1 ? (elapsed * (1 - fraction)) / fraction : null;
  return { fraction, stage: 'decoding, building the book, writing to DuckDB', etaSec, startedAt };
}
