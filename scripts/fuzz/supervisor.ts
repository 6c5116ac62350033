// Runs the fuzz loop (child.ts) in a child process and watches it: an input that takes more
// than 5 s is a hang (the child is killed and restarted after it), a child that dies is a
// crash (restarted after the input it died on), unhandled rejections are counted. Every
// finding is listed with its index so `npm run fuzz -- --seed S --replay I` reproduces it.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildConfig, ChildMessage } from './child';

export interface FuzzFinding {
  index: number;
  target: string;
  kind: 'crash' | 'wrong' | 'hang' | 'unhandled_rejection';
  input: string;
  detail: string;
}

export interface FuzzReport {
  seed: number;
  seconds: number;
  seeds: number;
  inputs: number;
  typedErrors: number;
  correctResults: number;
  wrongResults: number;
  crashes: number;
  hangs: number;
  unhandledRejections: number;
  byTarget: Record<string, Record<string, number>>;
  /** Wall time spent per target (ms) and until the first input (loading seeds, simulating). */
  msByTarget: Record<string, number>;
  startupMs: number;
  findings: FuzzFinding[];
  childRestarts: number;
}

const HERE = dirname(fileURLToPath(import.meta.url));
/**
 * A hang: more than 5 s of the child's CPU time on one input (read from /proc, so a machine
 * shared with other work does not turn slowness into hangs), or 30 s of wall time (a wait that
 * never ends burns no CPU).
 */
export const HANG_CPU_MS = 5000;
export const HANG_WALL_MS = 30_000;

/** CPU time (user + system, all threads) of a process in ms; NaN when /proc is unavailable. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

export async function runFuzz(opts: { seconds: number; seed: number; log?: (l: string) => void; replay?: number; keepDir?: boolean }): Promise<FuzzReport> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-fuzz-'));
  const started = Date.now();
  const until = started + opts.seconds * 1000;
  const report: FuzzReport = {
    seed: opts.seed,
    seconds: 0,
    seeds: 0,
    inputs: 0,
    typedErrors: 0,
    correctResults: 0,
    wrongResults: 0,
    crashes: 0,
    hangs: 0,
    unhandledRejections: 0,
    byTarget: {},
    msByTarget: {},
    startupMs: 0,
    findings: [],
    childRestarts: 0,
  };
  const count = (target: string, what: string) => {
    const t = (report.byTarget[target] ??= {});
    t[what] = (t[what] ?? 0) + 1;
  };
  const finding = (f: FuzzFinding) => {
    if (report.findings.length < 100) report.findings.push(f);
    log(`FINDING ${f.kind} #${f.index} [${f.target}] ${f.input}: ${f.detail}`);
  };

  let next = opts.replay ?? 0;
  let generation = 0;
  while (opts.replay !== undefined ? generation === 0 : Date.now() < until) {
    generation++;
    const cfg: ChildConfig = { seed: opts.seed, start: next, until, dir: join(dir, `g${generation}`), replay: opts.replay };
    const child = fork(join(HERE, 'child.ts'), [JSON.stringify(cfg)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    let inFlight: { i: number; target: string; since: number; cpu: number } | null = null;
    const t0 = Date.now();
    let ready = false;
    let done = false;
    const outcome = await new Promise<'done' | 'hang' | 'died'>((resolve) => {
      const watchdog = setInterval(() => {
        const cpu = inFlight ? cpuMs(child.pid) - inFlight.cpu : 0;
        if (inFlight && (cpu > HANG_CPU_MS || Date.now() - inFlight.since > HANG_WALL_MS)) {
          clearInterval(watchdog);
          child.kill('SIGKILL');
          resolve('hang');
        }
      }, 200);
      child.on('message', (m: ChildMessage) => {
        if (m.t === 'ready') {
          ready = true;
          report.startupMs += Date.now() - t0;
          report.seeds = m.seeds;
        } else if (m.t === 'begin') inFlight = { i: m.i, target: m.target, since: Date.now(), cpu: cpuMs(child.pid) };
        else if (m.t === 'end') {
          const took = inFlight ? Date.now() - inFlight.since : 0;
          report.msByTarget[m.target] = (report.msByTarget[m.target] ?? 0) + took;
          inFlight = null;
          next = m.i + 1;
          report.inputs++;
          count(m.target, m.outcome);
          if (m.outcome === 'ok') report.correctResults++;
          else if (m.outcome === 'typed') report.typedErrors++;
          else {
            if (m.outcome === 'crash') report.crashes++;
            else report.wrongResults++;
            finding({ index: m.i, target: m.target, kind: m.outcome, input: m.input, detail: m.detail ?? '' });
          }
          if (opts.replay !== undefined) log(`#${m.i} [${m.target}] ${m.input}: ${m.outcome} in ${took} ms ${m.detail ?? ''}`);
        } else if (m.t === 'rejection') {
          report.unhandledRejections++;
          finding({ index: m.i, target: inFlight?.target ?? '?', kind: 'unhandled_rejection', input: '', detail: m.detail });
        } else if (m.t === 'done') {
          done = true;
          next = m.next;
        }
      });
      child.on('exit', () => {
        clearInterval(watchdog);
        resolve(done ? 'done' : 'died');
      });
    });
    if (outcome === 'done') break;
    if (!ready && outcome === 'died') throw new Error('the fuzz child could not start (see its stderr above)');
    report.childRestarts++;
    const lost = inFlight as { i: number; target: string } | null;
    const idx = lost?.i ?? next;
    report.inputs++;
    if (outcome === 'hang') report.hangs++;
    else report.crashes++;
    count(lost?.target ?? '?', outcome === 'hang' ? 'hang' : 'crash');
    finding({ index: idx, target: lost?.target ?? '?', kind: outcome === 'hang' ? 'hang' : 'crash', input: '', detail: outcome === 'hang' ? `no answer within ${HANG_CPU_MS} ms of CPU time (or ${HANG_WALL_MS} ms)` : 'the process died' });
    next = idx + 1;
  }
  report.seconds = Math.round((Date.now() - started) / 100) / 10;
  if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  return report;
}
