// Where an ingest's time goes, in one place. Two clocks, one per thread of the build:
//   ProducerClock — on the producer's thread (the ingest worker, or this thread inline): wall
//     time charged to decode / compute / fill / hand-over, and the thread's CPU seconds;
//   IngestClock — on the DuckDB thread: the stages (spawn, lookup, the build loop, close,
//     commit) and the DuckDB thread's CPU seconds; it assembles `IngestSummary.seconds`.
// CPU seconds per thread (Linux: /proc/thread-self/stat, 10 ms ticks; NaN elsewhere): on a shared
// 2-core machine wall seconds mostly measure the neighbours, CPU seconds what each thread did.
import { readFileSync } from 'node:fs';
import type { ProductEngine } from '../products/product';

let cpuBroken = process.platform !== 'linux';

export function threadCpuSeconds(): number {
  if (cpuBroken) return NaN;
  try {
    const s = readFileSync('/proc/thread-self/stat', 'latin1');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    cpuBroken = true;
    return NaN;
  }
}

/**
 * Seconds on the producer's thread: decode (incl. waiting for the zstd thread), book + silver +
 * gold, filling Bronze chunks, hashing, handing chunks over (on the DuckDB thread: appending
 * them; in the worker: posting them and waiting for credits), total, CPU; `blocked` (worker
 * only): waiting for the DuckDB thread (backpressure), part of handover.
 */
export interface ProducerSeconds {
  decode: number;
  book_silver_gold: number;
  fill: number;
  hash: number;
  handover: number;
  total: number;
  cpu: number;
  blocked?: number;
}

type Part = 'compute' | 'fill' | 'wait';

/** The producer thread's clock: `lap(part)` charges the time since the previous lap to `part`. */
export class ProducerClock {
  private readonly t0 = performance.now();
  private readonly cpu0 = threadCpuSeconds();
  private readonly ms: Record<Part, number> = { compute: 0, fill: 0, wait: 0 };
  private mark = this.t0;

  /** Start timing (what came before is not charged). */
  start(): void {
    this.mark = performance.now();
  }

  lap(part: Part): void {
    const now = performance.now();
    this.ms[part] += now - this.mark;
    this.mark = now;
  }

  /**
   * The run's seconds. Full chunks are handed to the sink from inside the fills — window rows
   * inside the engine's window steps, Bronze rows inside appendRaw — so the sinks' own seconds
   * move from compute/fill to handover; decode is what is left of the total.
   */
  seconds(engine: ProductEngine, hashSeconds: number): ProducerSeconds {
    const total = (performance.now() - this.t0) / 1000;
    const sink = engine.sinkSeconds();
    const compute = this.ms.compute / 1000 - sink.windows;
    const fill = this.ms.fill / 1000 - sink.raw;
    const handover = sink.windows + sink.raw + this.ms.wait / 1000;
    return {
      decode: Math.max(0, total - compute - fill - handover - hashSeconds),
      book_silver_gold: compute,
      fill,
      hash: hashSeconds,
      handover,
      total,
      cpu: threadCpuSeconds() - this.cpu0,
    };
  }
}

/** What the DuckDB thread's stages hand the clock at the end of a build. */
export interface BuildTimes {
  producer: ProducerSeconds;
  mode: 'worker' | 'inline';
  /** Seconds of each appender (copy + append + close), by `stage.name`. */
  writes: Record<string, number>;
}

/** The DuckDB thread's clock over the stages of one ingest. */
export class IngestClock {
  readonly t0 = performance.now();
  private planned = this.t0;
  private spawned = this.t0;
  private lookedUp = this.t0;
  private loop0 = 0;
  private loopCpu0 = 0;
  private loopEnd = 0;
  private loopCpu = 0;
  private closeStart = 0;
  private closeEnd = 0;

  /** Plan done (parameters, request). */
  planDone(): void {
    this.planned = performance.now();
  }
  /** Spawn done: the producer started, the configuration resolved and handed over. */
  spawnDone(): void {
    this.spawned = performance.now();
  }
  /** The database is open and the cache looked up (a miss). */
  lookupDone(): void {
    this.lookedUp = performance.now();
  }
  loopStart(): number {
    this.loopCpu0 = threadCpuSeconds();
    return (this.loop0 = performance.now());
  }
  loopDone(): void {
    this.loopEnd = performance.now();
    this.loopCpu = threadCpuSeconds() - this.loopCpu0;
  }
  closeStarted(): number {
    return (this.closeStart = performance.now());
  }
  closeDone(): void {
    this.closeEnd = performance.now();
  }

  private since(t: number): number {
    return (performance.now() - t) / 1000;
  }

  /** A cache hit confirmed by hashing the file. */
  hit(hashSeconds: number): Record<string, number> {
    return { total: this.since(this.t0), hash: hashSeconds };
  }

  /** A build whose bytes turned out to be built already (rolled back). */
  rolledBack(): Record<string, number> {
    return { total: this.since(this.t0), rebuilt_then_rolled_back: (this.loopEnd - this.loop0) / 1000 };
  }

  /** The summary's seconds of a build, as stored in the catalog row (commit 0 and the total so far). */
  build(t: BuildTimes): Record<string, number> {
    const loopSec = (this.loopEnd - this.loop0) / 1000;
    const writes = Object.values(t.writes).reduce((s, x) => s + x, 0);
    const p = t.producer;
    return {
      /** Starting the producer and the configuration on this thread (stage spawn). */
      start: (this.spawned - this.planned) / 1000,
      /** Opening the database and the cache lookup (stage lookup). */
      open: (this.lookedUp - this.spawned) / 1000,
      hash: p.hash,
      decode: p.decode,
      book_silver_gold: p.book_silver_gold,
      fill: p.fill,
      /** The producer's wall time in handing chunks over (inline: appending them; worker: posting, waiting for credits) and in total. */
      handover: p.handover,
      producer_total: p.total,
      /** Worker: seconds it waited for the DuckDB thread (backpressure), part of handover. */
      ...(p.blocked !== undefined ? { worker_blocked: p.blocked } : {}),
      /** CPU seconds of the producer's thread in the build (Linux; inline: includes the appends). */
      producer_cpu: p.cpu,
      /** CPU seconds of this (the DuckDB) thread in the build loop (Linux; inline: includes the compute). */
      duckdb_thread_cpu: this.loopCpu,
      duckdb_write: writes,
      // …of which per table (copy + append + close), e.g. write.gold.physics_surface_1s
      ...Object.fromEntries(Object.entries(t.writes).map(([k, v]) => [`write.${k}`, v])),
      /** The DuckDB thread's wall time in the build loop beyond its appends (waiting for chunks). */
      duckdb_idle: t.mode === 'worker' ? Math.max(0, loopSec - writes) : 0,
      commit: 0,
      total: this.since(this.t0),
    };
  }

  /** After COMMIT: commit = from the appenders' close to the end of COMMIT, minus the close itself. */
  committed(seconds: Record<string, number>): void {
    seconds.commit = this.since(this.closeStart) - (this.closeEnd - this.closeStart) / 1000;
    seconds.total = this.since(this.t0);
  }
}
