// Supervision of the engine utility process (ARCHITECTURE practice 4): typed exit reasons,
// restart with backoff, a bounded shutdown, and the user told what happened. Electron-free
// (the process handle is an interface) so it is tested under Node with fake timers.

/** Electron's child-process-gone reasons plus our own view of an exit code. */
export type WorkerExitReason = 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure';

export interface WorkerHandle {
  postMessage(message: unknown, transfer?: unknown[]): void;
  kill(): boolean;
  onExit(cb: (code: number) => void): void;
}

export interface WorkerGone {
  reason: WorkerExitReason;
  code: number;
  /** Consecutive failures so far (1 = first). */
  attempt: number;
  /** Delay before the restart, or null when the supervisor gave up. */
  restartInMs: number | null;
}

export interface SupervisorOptions {
  spawn(): WorkerHandle;
  /** A worker is up (first start or restart): hand it its port. */
  onStarted(worker: WorkerHandle, restarted: boolean): void;
  onGone(info: WorkerGone): void;
  backoffMs?: number[];
  /** A worker that lived this long resets the failure count. */
  healthyAfterMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export const DEFAULT_BACKOFF_MS = [500, 2000, 5000, 15000];

export function reasonFromExitCode(code: number): WorkerExitReason {
  if (code === 0) return 'clean-exit';
  if (code === 134 || code === 137) return 'killed';
  return 'crashed';
}

export function describeGone(g: WorkerGone): { message: string; detail: string } {
  const what: Record<WorkerExitReason, string> = {
    'clean-exit': 'The engine stopped.',
    'abnormal-exit': 'The engine stopped unexpectedly.',
    killed: 'The engine was killed.',
    crashed: 'The engine crashed.',
    oom: 'The engine ran out of memory.',
    'launch-failed': 'The engine could not be started.',
    'integrity-failure': 'The engine failed an integrity check.',
  };
  const detail =
    g.restartInMs === null
      ? `It failed ${g.attempt} times in a row and will not be restarted. Save your work and restart Spymaster.`
      : `Restarting it in ${(g.restartInMs / 1000).toFixed(1)} s (attempt ${g.attempt}). The session reopens from the cache.`;
  return { message: `${what[g.reason]} (exit code ${g.code})`, detail };
}

export class WorkerSupervisor {
  private worker: WorkerHandle | null = null;
  private failures = 0;
  private startedAt = 0;
  private stopping = false;
  private pendingReason: WorkerExitReason | null = null;
  private timer: unknown = null;
  private readonly backoff: number[];
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly opts: SupervisorOptions) {
    this.backoff = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  get current(): WorkerHandle | null {
    return this.worker;
  }

  start(restarted = false): void {
    this.stopping = false;
    let w: WorkerHandle;
    try {
      w = this.opts.spawn();
    } catch {
      this.gone(null, 'launch-failed', -1);
      return;
    }
    this.worker = w;
    this.startedAt = this.now();
    w.onExit((code) => this.gone(w, this.pendingReason ?? reasonFromExitCode(code), code));
    this.opts.onStarted(w, restarted);
  }

  /** Electron's app 'child-process-gone' reason for the engine, when it arrives before 'exit'. */
  noteReason(reason: WorkerExitReason): void {
    this.pendingReason = reason;
  }

  private gone(w: WorkerHandle | null, reason: WorkerExitReason, code: number): void {
    if (w && w !== this.worker) return;
    this.worker = null;
    this.pendingReason = null;
    if (this.stopping) return;
    const healthyAfter = this.opts.healthyAfterMs ?? 60_000;
    if (w && this.now() - this.startedAt >= healthyAfter) this.failures = 0;
    this.failures += 1;
    const restartInMs = this.failures <= this.backoff.length ? this.backoff[this.failures - 1] : null;
    this.opts.onGone({ reason, code, attempt: this.failures, restartInMs });
    if (restartInMs === null) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (!this.stopping) this.start(true);
    }, restartInMs);
  }

  /** Bounded shutdown: ask the worker to close DuckDB, kill it if it has not exited in `graceMs`. */
  stop(graceMs = 2000): Promise<void> {
    this.stopping = true;
    if (this.timer) this.clearTimer(this.timer);
    this.timer = null;
    const w = this.worker;
    if (!w) return Promise.resolve();
    return new Promise((resolve) => {
      const t = this.setTimer(() => {
        w.kill();
        resolve();
      }, graceMs);
      w.onExit(() => {
        this.clearTimer(t);
        resolve();
      });
      try {
        w.postMessage('shutdown');
      } catch {
        w.kill();
      }
    });
  }
}
