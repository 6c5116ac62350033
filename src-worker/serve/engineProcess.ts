// The engine as a supervised child process (browser mode). Requests go to it over the IPC
// channel (advanced serialization: binary stays binary); its envelopes come back on a raw pipe
// (host/envelopeStream.ts), whole and in order. When the child dies
// unexpectedly it is restarted with backoff and the bridge tells the window (typed exit reason).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENVELOPE_FD_ENV, EnvelopeStreamReader } from '../host/envelopeStream';
import { engineArgs } from '../host/entryConfig';
import type { InitialOpen } from '../host/engineHost';

export type EngineExitReason = 'clean' | 'crashed' | 'killed' | 'oom' | 'spawn_failed';

export interface EngineExit {
  reason: EngineExitReason;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the engine wrote to stderr (for the alert hint). */
  stderrTail: string;
}

export interface EngineProcessOptions {
  dbPath?: string;
  initial: InitialOpen;
  env?: NodeJS.ProcessEnv;
  onMessage(bytes: Uint8Array): void;
  /** An unexpected exit; `restartInMs` null when the supervisor gave up. */
  onExit?(exit: EngineExit, restartInMs: number | null): void;
  onRestart?(): void;
  /** Backoff schedule in ms; the engine is not restarted after the last entry. */
  backoffMs?: number[];
  /** Echo the engine's stderr to ours. */
  echoStderr?: boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** The child's fd that carries its envelopes (stdio index 4, after the IPC channel at 3). */
const ENVELOPE_FD = 4;

/** The child entry: the TS source under tsx (development, tests, `npm run cli`). */
function childEntry(): { file: string; execArgv: string[] } {
  const ts = join(HERE, '../host/childEntry.ts');
  if (existsSync(ts)) return { file: ts, execArgv: ['--import', 'tsx'] };
  return { file: join(HERE, '../host/childEntry.js'), execArgv: [] };
}

export function classifyExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): EngineExitReason {
  if (code === 0 && !signal) return 'clean';
  if (/heap out of memory|allocation failed/i.test(stderrTail)) return 'oom';
  if (signal === 'SIGKILL' || signal === 'SIGTERM') return 'killed';
  return 'crashed';
}

export class EngineProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  private stderrTail = '';
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private healthyTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly backoff: number[];

  constructor(private readonly opts: EngineProcessOptions) {
    this.backoff = opts.backoffMs ?? [250, 1000, 3000, 10000];
  }

  /** What a restarted engine opens (the bridge records the window's last open request). */
  setInitial(initial: InitialOpen): void {
    this.opts.initial = initial;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { file, execArgv } = childEntry();
    const child = fork(file, engineArgs({ dbPath: this.opts.dbPath, initial: this.opts.initial }), {
      execArgv,
      // The project root, so `--import tsx` resolves from any working directory.
      cwd: join(HERE, '../..'),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe'],
      env: { ...process.env, ...this.opts.env, [ENVELOPE_FD_ENV]: String(ENVELOPE_FD) },
    });
    this.child = child;
    this.stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      if (this.opts.echoStderr) process.stderr.write(text);
      this.stderrTail = (this.stderrTail + text).slice(-2000);
    });
    const reader = new EnvelopeStreamReader((bytes) => this.opts.onMessage(bytes));
    const stream = child.stdio[ENVELOPE_FD] as NodeJS.ReadableStream | null;
    stream?.on('data', (d: Buffer) => {
      reader.push(d);
    });
    stream?.on('error', () => {
      /* the child's exit is reported through 'exit' */
    });
    // (An envelope cut short by the child's death is dropped: the window never gets half of one.)
    stream?.on('close', () => reader.reset());
    // (An engine of an older build may still answer on the IPC channel.)
    child.on('message', (m: unknown) => {
      if (m instanceof Uint8Array) this.opts.onMessage(m);
      else if (ArrayBuffer.isView(m)) this.opts.onMessage(new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
    });
    child.on('error', () => {
      /* reported through 'exit' */
    });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    // Five quiet minutes reset the backoff.
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
    this.healthyTimer = setTimeout(() => (this.restarts = 0), 300_000);
    this.healthyTimer.unref();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping) return;
    const exit: EngineExit = { reason: classifyExit(code, signal, this.stderrTail), code, signal, stderrTail: this.stderrTail.trim().split('\n').slice(-5).join('\n') };
    const delay = this.restarts < this.backoff.length ? this.backoff[this.restarts] : null;
    this.opts.onExit?.(exit, delay);
    if (delay === null) return;
    this.restarts += 1;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.start();
      this.opts.onRestart?.();
    }, delay);
  }

  send(bytes: Uint8Array): boolean {
    const c = this.child;
    if (!c || !c.connected) return false;
    c.send(bytes);
    return true;
  }

  /** Stops the engine: disconnect lets it close DuckDB cleanly; SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => c.kill('SIGKILL'), graceMs);
      c.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (c.connected) c.disconnect();
      else c.kill('SIGTERM');
    });
  }

  /** Test hook: kill the engine as a crash would. */
  crashForTest(): void {
    this.child?.kill('SIGKILL');
  }
}
