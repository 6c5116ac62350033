import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { describeGone, WorkerSupervisor, type WorkerGone, type WorkerHandle } from './workerSupervisor';

class FakeWorker extends EventEmitter implements WorkerHandle {
  messages: unknown[] = [];
  killed = false;
  postMessage(m: unknown) {
    this.messages.push(m);
  }
  kill() {
    this.killed = true;
    this.emit('exit', 137);
    return true;
  }
  onExit(cb: (code: number) => void) {
    this.on('exit', cb);
  }
}

function harness(backoffMs = [100, 200]) {
  vi.useFakeTimers();
  let clock = 0;
  const workers: FakeWorker[] = [];
  const gone: WorkerGone[] = [];
  const sup = new WorkerSupervisor({
    spawn: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    onStarted: () => undefined,
    onGone: (g) => gone.push(g),
    backoffMs,
    healthyAfterMs: 10_000,
    now: () => clock,
  });
  return { sup, workers, gone, tick: (ms: number) => ((clock += ms), vi.advanceTimersByTime(ms)) };
}

describe('worker supervisor', () => {
  it('restarts with growing backoff and gives up after the schedule', () => {
    const { sup, workers, gone, tick } = harness();
    sup.start();
    workers[0].emit('exit', 1);
    expect(gone[0]).toEqual({ reason: 'crashed', code: 1, attempt: 1, restartInMs: 100 });
    tick(100);
    workers[1].emit('exit', 1);
    expect(gone[1].restartInMs).toBe(200);
    tick(200);
    workers[2].emit('exit', 1);
    expect(gone[2].restartInMs).toBeNull();
    tick(10_000);
    expect(workers).toHaveLength(3);
    expect(describeGone(gone[2]).detail).toMatch(/will not be restarted/);
    vi.useRealTimers();
  });

  it('uses the reason Electron reported (oom) and resets the count after a healthy run', () => {
    const { sup, workers, gone, tick } = harness();
    sup.start();
    tick(20_000);
    sup.noteReason('oom');
    workers[0].emit('exit', 5);
    expect(gone[0]).toMatchObject({ reason: 'oom', attempt: 1 });
    expect(describeGone(gone[0]).message).toMatch(/out of memory/);
    vi.useRealTimers();
  });

  it('shuts down within a bound: asks first, kills when the engine does not exit', async () => {
    const { sup, workers, gone } = harness();
    sup.start();
    const stopped = sup.stop(2000);
    expect(workers[0].messages).toEqual(['shutdown']);
    vi.advanceTimersByTime(2000);
    await stopped;
    expect(workers[0].killed).toBe(true);
    expect(gone).toEqual([]); // a requested stop is not a crash
    vi.useRealTimers();
  });
});
