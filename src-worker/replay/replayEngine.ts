// The replay engine: one session's playback. It owns the playback state machine, the clock,
// a small cache of window chunks and the frame pump. Frames are paced by the speed and held
// back by acknowledgements: never more than `maxInFlightFrames` unacknowledged frames.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Alert, FrameLayer, PlaybackState, Speed } from '../../contracts/protocol';
import { FieldGridCache } from './fieldGridCache';
import type { ForecastStore } from './forecastStore';
import { encodeFrame, withLayers } from './frameEncoder';
import { INITIAL_MACHINE, transition, type MachineState, type PlaybackEvent } from './playbackMachine';
import { ClockError, frameIntervalMs, ReplayClock, validateSpeed } from './replayClock';
import type { ReplaySession } from './sessionInfo';
import { loadWindowChunk, type WindowChunk } from './windowChunk';

export interface ReplaySink {
  /** One window's named layers; `parts[i]` is the Arrow stream of `layers[i]`. */
  frame(seq: number, windowEndNs: bigint, layers: FrameLayer[], parts: Uint8Array[]): void;
  playback(state: PlaybackState, speed: Speed, playheadWindowEndNs: bigint | null): void;
  alert(alert: Alert): void;
}

export interface ReplayOptions {
  maxInFlightFrames: number;
  /** Windows per DuckDB chunk. */
  chunkWindows?: number;
  /** Chunks kept in memory (current, next, one behind). */
  cachedChunks?: number;
}

export class ReplayEngine {
  private m: MachineState = INITIAL_MACHINE;
  private speed: Speed = 1;
  private clock: ReplayClock | null = null;
  private conn: DuckDBConnection | null = null;
  private session: ReplaySession | null = null;
  private chunks = new Map<number, Promise<WindowChunk>>();
  private cache: FieldGridCache | null = null;
  private history: DuckDBConnection | null = null;
  /** The session's forecasts once computed: live frames carry their layers. */
  private forecasts: ForecastStore | null = null;
  private seq = 0;
  private acked = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pumping = false;
  private seekGeneration = 0;
  private readonly chunkWindows: number;
  private readonly cachedChunks: number;

  constructor(
    private readonly sink: ReplaySink,
    private readonly opts: ReplayOptions,
  ) {
    this.chunkWindows = opts.chunkWindows ?? 60;
    this.cachedChunks = opts.cachedChunks ?? 4;
  }

  get currentSpeed(): Speed {
    return this.speed;
  }
  get state(): PlaybackState {
    return this.m.state;
  }
  get machine(): MachineState {
    return this.m;
  }
  get currentSession(): ReplaySession | null {
    return this.session;
  }
  /** Whole-session field grids of the open session (slabs copy from them). */
  get fieldCache(): FieldGridCache | null {
    return this.cache;
  }
  get connection(): DuckDBConnection | null {
    return this.conn;
  }
  /** Connection for history slabs. */
  get historyConnection(): DuckDBConnection | null {
    return this.history;
  }
  get playheadNs(): bigint | null {
    return this.clock ? this.clock.windowEndNs() : null;
  }
  get inFlight(): number {
    return this.seq - this.acked;
  }

  /** Applies a machine event; on refusal tells the window (info) and returns false. */
  private apply(e: PlaybackEvent, quiet = false): boolean {
    const r = transition(this.m, e);
    if (!r.ok) {
      if (!quiet) this.sink.alert({ severity: 'info', code: 'playback.refused', message: r.reason, hint: stateHint(this.m.state) });
      return false;
    }
    this.m = r.next;
    return true;
  }

  private announce(): void {
    this.sink.playback(this.m.state, this.speed, this.playheadNs);
  }

  // ---- session lifecycle (driven by the host) ------------------------------------------
  beginIngest(): boolean {
    if (this.m.state === 'playing') this.pause();
    if (!this.apply('open')) return false;
    this.stopTimer();
    this.announce();
    return true;
  }

  ingestFailed(): void {
    if (this.apply('ingest_failed', true)) this.announce();
  }

  /**
   * The dataset is ready: show its first window. `historyConn` (optional, same database) serves
   * slabs and grid warm-ups so they never queue behind playback reads.
   */
  async attach(conn: DuckDBConnection, session: ReplaySession, historyConn: DuckDBConnection = conn): Promise<void> {
    this.stopTimer();
    this.conn = conn;
    this.session = session;
    this.clock = new ReplayClock(session.firstWindowEndNs, session.windowCount);
    this.chunks.clear();
    this.forecasts = null;
    this.history = historyConn;
    this.cache = new FieldGridCache(historyConn, session);
    this.acked = this.seq;
    this.apply('ingest_done', true);
    this.announce();
    await this.sendFrame(0);
  }

  /** Forecasts of the open session (or null): later frames carry the `forecast` layers. */
  setForecasts(store: ForecastStore | null): void {
    this.forecasts = store;
  }

  /** Forget the session (the host closes the connection it owns). */
  close(): boolean {
    if (!this.apply('close')) return false;
    this.stopTimer();
    this.session = null;
    this.clock = null;
    this.conn = null;
    this.cache = null;
    this.forecasts = null;
    this.chunks.clear();
    this.announce();
    return true;
  }

  /** A (re)connected window starts with nothing in flight; playback pauses until it asks. */
  resetClient(): void {
    if (this.m.state === 'playing') this.pause();
    this.acked = this.seq;
  }

  // ---- requests --------------------------------------------------------------------------
  play(): void {
    if (this.clock?.atEnd && (this.m.state === 'paused' || this.m.state === 'ready')) {
      this.sink.alert({ severity: 'info', code: 'playback.at_end', message: 'The playhead is at the end of the session.', hint: 'Seek back or press Home to replay.' });
      return;
    }
    if (!this.apply('play')) return;
    this.announce();
    this.schedule(0);
  }

  pause(): void {
    if (!this.apply('pause')) return;
    this.stopTimer();
    this.announce();
  }

  setSpeed(speed: unknown): void {
    try {
      this.speed = validateSpeed(speed);
    } catch (e) {
      this.clockAlert(e);
      return;
    }
    this.announce();
    if (this.m.state === 'playing') {
      this.stopTimer();
      this.schedule(0);
    }
  }

  step(seconds: number): void {
    if (!this.clock) return void this.apply('seek');
    let target: number;
    try {
      target = this.clock.stepTarget(seconds);
    } catch (e) {
      return this.clockAlert(e);
    }
    // A step always leaves playback paused on the target window.
    if (this.m.state === 'playing') this.pause();
    void this.seekIndex(target);
  }

  skip(minutes: number): void {
    if (!this.clock) return void this.apply('seek');
    try {
      void this.seekIndex(this.clock.skipTarget(minutes));
    } catch (e) {
      this.clockAlert(e);
    }
  }

  seek(windowEndNs: string): void {
    if (!this.clock) return void this.apply('seek');
    try {
      void this.seekIndex(this.clock.seekTarget(windowEndNs));
    } catch (e) {
      this.clockAlert(e);
    }
  }

  ack(seq: number): void {
    if (!Number.isFinite(seq) || seq <= this.acked) return;
    this.acked = Math.min(seq, this.seq);
    if (this.m.state === 'playing' && !this.timer && !this.pumping) this.schedule(0);
  }

  dispose(): void {
    this.stopTimer();
    this.chunks.clear();
    this.session = null;
    this.conn = null;
    this.clock = null;
    this.cache = null;
  }

  // ---- internals -----------------------------------------------------------------------
  private clockAlert(e: unknown): void {
    if (e instanceof ClockError) this.sink.alert({ severity: 'warning', code: 'playback.invalid', message: e.userMessage, hint: e.hint });
    else throw e;
  }

  private async seekIndex(target: number): Promise<void> {
    if (!this.clock || !this.apply('seek')) return;
    const gen = ++this.seekGeneration;
    this.stopTimer();
    this.clock.set(target);
    this.announce();
    try {
      await this.sendFrame(target);
    } catch (e) {
      this.frameAlert(e);
    }
    if (gen !== this.seekGeneration || this.m.state !== 'seeking') return;
    this.apply('seek_done', true);
    this.announce();
    if (this.state === 'playing') this.schedule(frameIntervalMs(this.speed));
  }

  private frameAlert(e: unknown): void {
    this.sink.alert({
      severity: 'error',
      code: 'replay.read_failed',
      message: 'A window could not be read from the database.',
      hint: e instanceof Error ? e.message : String(e),
    });
  }

  private chunkFor(index: number): Promise<WindowChunk> {
    const start = Math.floor(index / this.chunkWindows) * this.chunkWindows;
    let p = this.chunks.get(start);
    if (!p) {
      const conn = this.conn;
      const session = this.session;
      if (!conn || !session) return Promise.reject(new Error('no session'));
      p = loadWindowChunk(conn, session, start, this.chunkWindows);
      p.catch(() => this.chunks.delete(start));
      this.chunks.set(start, p);
      while (this.chunks.size > this.cachedChunks) this.chunks.delete(this.chunks.keys().next().value!);
    } else {
      // Refresh LRU position.
      this.chunks.delete(start);
      this.chunks.set(start, p);
    }
    return p;
  }

  private async sendFrame(index: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    const chunk = await this.chunkFor(index);
    // Warm the next chunk halfway through this one so playback never waits on DuckDB.
    if (index - chunk.start >= this.chunkWindows / 2 && chunk.start + this.chunkWindows < session.windowCount) {
      void this.chunkFor(chunk.start + this.chunkWindows).catch(() => undefined);
    }
    if (this.session !== session) return;
    const f = withLayers(encodeFrame(chunk, index - chunk.start, session.tickInt), this.forecasts?.layersAt(index) ?? null);
    this.seq += 1;
    this.sink.frame(this.seq, f.windowEndNs, f.layers, f.parts);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, ms);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One playback step: advance the playhead one window and send its frame, if the window keeps up. */
  private async pump(): Promise<void> {
    if (this.pumping || this.m.state !== 'playing' || !this.clock) return;
    if (this.inFlight >= this.opts.maxInFlightFrames) return; // resumed by ack()
    if (this.clock.atEnd) {
      this.apply('reached_end', true);
      this.announce();
      return;
    }
    this.pumping = true;
    const started = Date.now();
    try {
      const next = this.clock.set(this.clock.playhead + 1);
      await this.sendFrame(next);
    } catch (e) {
      this.frameAlert(e);
      if (this.apply('pause', true)) this.announce();
    } finally {
      this.pumping = false;
    }
    if (this.m.state !== 'playing') return;
    if (this.clock.atEnd) {
      this.apply('reached_end', true);
      this.announce();
      return;
    }
    const wait = Math.max(0, frameIntervalMs(this.speed) - (Date.now() - started));
    if (this.inFlight < this.opts.maxInFlightFrames) this.schedule(wait);
  }
}

function stateHint(state: PlaybackState): string {
  switch (state) {
    case 'idle':
      return 'Open a DBN file (File ▸ Open DBN…) or the demo first.';
    case 'ingesting':
      return 'Wait for the ingest to finish or cancel it.';
    case 'seeking':
      return 'Wait for the seek to finish.';
    default:
      return `Playback is ${state}.`;
  }
}
