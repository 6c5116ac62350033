import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../contracts/protocol';
import { nextShown } from './ingestDisplay';

const p = (fraction: number, stage = 'ingest', etaSec: number | null = null): IngestProgress => ({ stage, fraction, bytesRead: 0, bytesTotal: 1, events: 0, eventsPerSec: 0, etaSec });

describe('ingest display', () => {
  it('shows the engine fraction, never moves back, names the close and commit stages, stays below 1 until done', () => {
    let s = nextShown(null, p(0.4), 0);
    expect(s.fraction).toBeCloseTo(0.4, 9);
    expect(s.etaSec).toBeNull(); // 0 s elapsed and no engine estimate: no basis for an ETA
    s = nextShown(s, p(0.3), 2000); // a lower sample: the bar does not move back
    expect(s.fraction).toBeCloseTo(0.4, 9);
    s = nextShown(s, p(0.92, 'close', 1.1), 3000);
    expect(s.stage).toMatch(/last tables/);
    expect(s.etaSec).toBeCloseTo(1.1, 9);
    s = nextShown(s, p(1, 'commit', 0.5), 3500);
    expect(s.fraction).toBeLessThan(1);
    expect(s.stage).toMatch(/committing/);
    expect(nextShown(s, p(1, 'done', 0), 4000)).toMatchObject({ fraction: 1, etaSec: 0 });
  });

  it('estimates the time left from its own pace when the engine gives none', () => {
    let s = nextShown(null, p(0), 0);
    s = nextShown(s, p(0.25), 2000);
    expect(s.etaSec).toBeCloseTo((2 * (1 - 0.25)) / 0.25, 6);
  });
});
