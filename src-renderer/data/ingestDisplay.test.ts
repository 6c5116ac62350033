import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../contracts/protocol';
import { LOOP_SHARE, nextShown } from './ingestDisplay';

const p = (fraction: number, stage = 'ingest'): IngestProgress => ({ stage, fraction, bytesRead: 0, bytesTotal: 1, events: 0, eventsPerSec: 0, etaSec: 0 });

describe('ingest display', () => {
  it('never moves back, keeps the commit’s share, and has no ETA before it can know one', () => {
    let s = nextShown(null, p(0.964), 0);
    expect(s.fraction).toBeCloseTo(0.964 * LOOP_SHARE, 9);
    expect(s.etaSec).toBeNull(); // 0 s elapsed: no basis for an ETA
    s = nextShown(s, p(0.5), 2000); // the engine's estimate dropped: the bar does not
    expect(s.fraction).toBeCloseTo(0.964 * LOOP_SHARE, 9);
    s = nextShown(s, p(1), 3000);
    expect(s.fraction).toBeLessThan(1);
    expect(s.stage).toMatch(/committing/);
    expect(s.etaSec).toBeNull();
    expect(nextShown(s, p(1, 'done'), 4000).fraction).toBe(1);
  });

  it('estimates the time left from its own pace once it has some', () => {
    let s = nextShown(null, p(0), 0);
    s = nextShown(s, p(0.25), 2000);
    expect(s.etaSec).toBeCloseTo((2 * (1 - 0.25 * LOOP_SHARE)) / (0.25 * LOOP_SHARE), 6);
  });
});
