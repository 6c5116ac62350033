// The per-connection query queue: one query at a time, and a query the window waits for goes
// before queued background work (issue 13: a field switch right after a session opens must not
// wait behind the session-grid scans).
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { exclusive } from './duckColumns';

const conn = () => ({}) as DuckDBConnection; // the queue only keys on the connection

describe('exclusive', () => {
  it('runs one job at a time; a "now" job jumps the queued background jobs, not the one running', async () => {
    const c = conn();
    const order: string[] = [];
    let running = 0;
    let release!: () => void;
    const job = (name: string, gate?: Promise<void>) => async () => {
      expect(++running).toBe(1);
      order.push(`${name}+`);
      await gate;
      await new Promise((r) => setTimeout(r, 1));
      order.push(`${name}-`);
      running--;
      return name;
    };
    const a = exclusive(c, job('bg1', new Promise<void>((r) => (release = r))), 'background');
    const b = exclusive(c, job('bg2'), 'background');
    await new Promise((r) => setTimeout(r, 5));
    const n = exclusive(c, job('now'));
    release();
    expect(await Promise.all([a, b, n])).toEqual(['bg1', 'bg2', 'now']);
    expect(order).toEqual(['bg1+', 'bg1-', 'now+', 'now-', 'bg2+', 'bg2-']);
  });

  it('a failing job rejects its own promise only; the queue goes on', async () => {
    const c = conn();
    const bad = exclusive(c, async () => {
      throw new Error('boom');
    });
    const good = exclusive(c, async () => 7);
    await expect(bad).rejects.toThrow('boom');
    expect(await good).toBe(7);
  });
});
