import type { IngestProgress } from '../../contracts/protocol';

// What the ingest overlay shows, from the engine's progress samples. The engine's fraction
// already covers the whole job (src-worker/pipeline/ingestProgress.ts: the session's windows
// built and appended to DuckDB, then `close` and `commit` as stages of their own, `done` = 1),
// so the bar shows it directly, never moving back, with the stage in words, and an ETA only
// once there is enough to base it on — never "100 %, ETA 0 s" while work is left.

export interface ShownProgress {
  fraction: number;
  stage: string;
  etaSec: number | null;
  startedAt: number;
}

const STAGE_WORDS: Record<string, string> = {
  ingest: 'decoding, building the book, writing to DuckDB',
  close: 'writing the last tables',
  commit: 'committing',
};

export function nextShown(prev: ShownProgress | null, p: IngestProgress | null, nowMs: number): ShownProgress {
  const startedAt = prev?.startedAt ?? nowMs;
  const before = prev?.fraction ?? 0;
  if (!p) return { fraction: before, stage: 'starting', etaSec: null, startedAt };
  if (p.stage === 'done') return { fraction: 1, stage: 'done', etaSec: 0, startedAt };
  if (p.stage === 'hash') return { fraction: before, stage: 'checking the cache', etaSec: null, startedAt };
  // Below 1 until `done`: a sample of 1 before it would claim the work is over.
  const fraction = Math.max(before, Math.min(0.999, Math.max(0, p.fraction)));
  const stage = STAGE_WORDS[p.stage] ?? p.stage;
  const elapsed = (nowMs - startedAt) / 1000;
  // The window's own pace over the whole job, or the engine's estimate when it has one.
  const own = fraction >= 0.05 && elapsed >= 1 ? (elapsed * (1 - fraction)) / fraction : null;
  const etaSec = p.etaSec !== null && p.etaSec > 0 ? p.etaSec : own;
  return { fraction, stage, etaSec, startedAt };
}
