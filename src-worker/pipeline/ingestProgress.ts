// The engine's ingest progress: one fraction over all the work of a build, monotonic, with an
// ETA from the pace of the whole pipeline so far.
//
// Why not bytes: a .dbn.zst source is read ahead by the decompressor (the real ESH4 hour, 1 MB
// compressed, is fully read at the first 8,192 of 68,792 events), so compressed bytes say
// "100 %" long before the work is done. Why not event counts: the total is unknown until the
// end. What is known up front is the session window, and the build's cost follows it: every
// second of the session is one window of book snapshot, ~300 grid cells and gold rows written
// to DuckDB (the cells alone are ~75 % of the build's wall time), whatever the event rate.
// So the build's fraction is the session time covered by the last event handed over, and a
// progress sample reaches this thread only after the chunks before it were appended to DuckDB
// (ingestThreads: appended, then reported), so it counts the DuckDB writes too.
//
// Events before the session (the start-of-day snapshot, the pre-open) only build the book: a
// small share, measured by their time from the first event to the session start, capped by
// the bytes read (which only run early). Closing the appenders and the COMMIT come last as
// weighted stages of their own (measured on the real ESH4 hour: close + commit ≈ 5 % of the
// build loop's wall time: 0.2 s + 0.4 s of ~8 s).
import type { IngestProgress } from '../../contracts/protocol';
import type { ProgressSample } from './ingestProducer';

/** Stage names a window may show, in order. */
export type IngestStage = 'ingest' | 'close' | 'commit' | 'done';

/** Share of the whole for each stage (sums to 1): the build loop, closing the appenders, the commit. */
export const STAGE_SHARE = { ingest: 0.92, close: 0.03, commit: 0.05 } as const;

/** Share of the build loop for the events before the session window (book only, no windows written). */
export const PRE_SESSION_SHARE = 0.1;

/** Below this fraction the pace is not known well enough for an ETA. */
const MIN_FRACTION_FOR_ETA = 0.01;

export interface SessionSpan {
  sessionStartSec: number;
  sessionEndSec: number;
}

const clamp01 = (x: number) => (x > 0 ? (x < 1 ? x : 1) : 0);

/** Fraction of the build loop done once `s` was handed over (0..1, not yet monotonic). */
export function buildFraction(s: ProgressSample, span: SessionSpan, sourceBytes: number): number {
  const { firstSec, curSec } = s;
  if (curSec !== curSec || firstSec !== firstSec) return 0;
  const byBytes = sourceBytes > 0 ? clamp01(s.bytesRead / sourceBytes) : 1;
  const preSpan = span.sessionStartSec - firstSec;
  const pre = preSpan > 0 ? Math.min(byBytes, clamp01((curSec - firstSec) / preSpan)) : 1;
  const len = span.sessionEndSec - span.sessionStartSec;
  const inSession = len > 0 ? clamp01((curSec - span.sessionStartSec) / len) : 0;
  return PRE_SESSION_SHARE * (inSession > 0 ? 1 : pre) + (1 - PRE_SESSION_SHARE) * inSession;
}

/** Turns the producer's samples and the stage changes into IngestProgress, never going back. */
export class IngestProgressMeter {
  private best = 0;
  private last: ProgressSample = { bytesRead: 0, events: 0, firstSec: NaN, curSec: NaN };

  constructor(
    private readonly span: SessionSpan,
    private readonly sourceBytes: number,
    /** performance.now() at the start of the build loop. */
    private readonly t0: number,
    /** A paced build's market seconds per wall second (buildPace.ts): its ETA is at least what the pace leaves. */
    private readonly pace?: number,
  ) {}

  /** Keep a producer sample (the last sample of a build carries no times: keep the ones seen). */
  observe(p: ProgressSample): ProgressSample {
    const l = this.last;
    this.last = { bytesRead: p.bytesRead, events: p.events, firstSec: p.firstSec === p.firstSec ? p.firstSec : l.firstSec, curSec: p.curSec === p.curSec ? p.curSec : l.curSec };
    return this.last;
  }

  /** The progress at `now` in `stage` ('close' / 'commit': that stage has just begun). */
  progress(stage: IngestStage, now: number): IngestProgress {
    const raw =
      stage === 'done'
        ? 1
        : stage === 'commit'
          ? STAGE_SHARE.ingest + STAGE_SHARE.close
          : stage === 'close'
            ? STAGE_SHARE.ingest
            : STAGE_SHARE.ingest * buildFraction(this.last, this.span, this.sourceBytes);
    // (never 1 before the commit is done: a float sum of the shares must not round up to it)
    this.best = Math.max(this.best, stage === 'done' ? 1 : Math.min(raw, 0.999));
    const fraction = this.best;
    const elapsed = Math.max(0, (now - this.t0) / 1000);
    const { bytesRead, events } = this.last;
    let etaSec: number | null = null;
    if (stage === 'done') etaSec = 0;
    else if (fraction >= MIN_FRACTION_FOR_ETA && elapsed > 0) etaSec = Math.max(0.1, (elapsed * (1 - fraction)) / fraction);
    // A paced build cannot end before the rest of the session has been read at its pace (the
    // fast warm-up before the session would otherwise make the rate-based ETA far too short).
    if (this.pace && stage === 'ingest' && etaSec !== null) {
      const { curSec } = this.last;
      const left = curSec === curSec ? this.span.sessionEndSec - Math.max(curSec, this.span.sessionStartSec) : this.span.sessionEndSec - this.span.sessionStartSec;
      etaSec = Math.max(etaSec, left / this.pace);
    }
    return { stage, bytesRead, bytesTotal: this.sourceBytes, events, eventsPerSec: elapsed > 0 ? events / elapsed : 0, etaSec, fraction };
  }
}
