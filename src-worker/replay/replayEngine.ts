// The replay engine: one session's playback. It owns the playback state machine, the clock
// and the frame pump; windows come from a WindowSource (a committed build in DuckDB, or the
// running engine for a session that still grows). Frames are paced by the speed and held
// back by acknowledgements: never more than `maxInFlightFrames` unacknowledged frames. At the
// end of a growing session playback waits for the next window instead of stopping.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Alert, FrameLayer, PlaybackState, Speed } from '../../contracts/protocol';
import { FieldGridCache } from './fieldGridCache';
import type { ForecastStore } from './forecastStore';
import { encodeFrame, withLayers } from './frameEncoder';
import { INITIAL_MACHINE, transition, type MachineState, type PlaybackEvent } from './playbackMachine';
import { ClockError, frameIntervalMs, ReplayClock, validateSpeed } from './replayClock';
import type { ReplaySession } from './sessionInfo';
import { DuckDbWindowSource, type WindowSource } from './windowSource';

export interface ReplaySink {
  /** One window's named layers; `parts[i]` is the Arrow stream of `layers[i]`. */
  frame(seq: number, windowEndNs: bigint, layers: FrameLayer[], parts: Uint8Array[]): void;
  playback(state: PlaybackState, speed: Speed, playheadWindowEndNs: bigint | null): void;
  alert(alert: Alert): void;
  /** A growing session has more windows (or stopped growing: `growing` false). */
  grown?(lastWindowEndNs: bigint, windowCount: number, growing: boolean): void;
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
  private source: WindowSource | null = null;
  private unsubscribeGrow: (() => void) | null = null;
  /** Playing, at the last window of a growing session: the next growth resumes the pump. */
  private waitingAtEdge = false;
  private cache: FieldGridCache | null = null;
  private history: DuckDBConnection | null = null;
  /** The session's forecasts once computed: live frames carry their layers. */
  private forecasts: ForecastStore | null = null;
  private seq = 0;
  private acked = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pumping = false;
  private seekGeneration = 0;

  constructor(
    private readonly sink: ReplaySink,
    private readonly opts: ReplayOptions,
  ) {}

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
  /** Where the open session's windows come from (a committed build, or a build still running). */
  get windowSource(): WindowSource | null {
    return this.source;
  }
  /** Connection for history slabs. */
  get historyConnection(): DuckDBConnection | null {
    return this.history;
  }
  get playheadNs(): bigint | null {
    return this.clock ? this.clock.windowEndNs() : null;
  }
  /** Playing at the last window of a growing session, waiting for the next one. */
  get waitingForWindows(): boolean {
    return this.waitingAtEdge;
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
    const growing = this.m.building === true;
    if (!this.apply('ingest_failed', true)) return;
    if (growing) {
      // The windows of a failed build are not kept: its session closes with it.
      this.forgetSession();
    }
    this.announce();
  }

  /**
   * The dataset is ready: show its first window. `historyConn` (optional, same database) serves
   * slabs and grid warm-ups so they never queue behind playback reads.
   */
  async attach(conn: DuckDBConnection, session: ReplaySession, historyConn: DuckDBConnection = conn): Promise<void> {
    // The committed build of the growing session on show takes over where playback is
    // (its build may have ended already: buildDone); any other session starts at window 0.
    const prev = this.source;
    const swap = prev !== null && !(prev instanceof DuckDbWindowSource) && prev.session.firstWindowEndNs === session.firstWindowEndNs;
    const playhead = swap && this.clock ? this.clock.playhead : 0;
    const source = new DuckDbWindowSource(conn, session, { chunkWindows: this.opts.chunkWindows, cachedChunks: this.opts.cachedChunks });
    this.useSource(source, conn, historyConn, playhead);
    if (this.m.state === 'ingesting' || this.m.building) this.apply('ingest_done', true);
    this.announce();
    await this.sendFrame(playhead);
    if (swap && this.m.state === 'playing') this.schedule(0);
  }

  /**
   * A growing build failed and its session closed: show the previous committed session again
   * (paused at its first window), so a failed or cancelled build loses nothing that was open.
   */
  async restore(conn: DuckDBConnection, session: ReplaySession, historyConn: DuckDBConnection = conn): Promise<boolean> {
    if (!this.apply('restore', true)) return false;
    this.useSource(new DuckDbWindowSource(conn, session, { chunkWindows: this.opts.chunkWindows, cachedChunks: this.opts.cachedChunks }), conn, historyConn, 0);
    this.announce();
    await this.sendFrame(0);
    return true;
  }

  /**
   * A session that is still being built (or a live feed): play its windows as they come. The
   * source must have at least one window. Slabs and overlays need the committed build (no
   * history connection until then).
   */
  async attachGrowing(source: WindowSource): Promise<void> {
    this.useSource(source, null, null, 0);
    this.apply('grow_attach', true);
    this.announce();
    await this.sendFrame(0);
  }

  private useSource(source: WindowSource, conn: DuckDBConnection | null, historyConn: DuckDBConnection | null, playhead: number): void {
    this.stopTimer();
    this.dropSource();
    const session = source.session;
    this.source = source;
    this.conn = conn;
    this.session = session;
    this.clock = new ReplayClock(session.firstWindowEndNs, session.windowCount);
    this.clock.set(playhead);
    this.forecasts = null;
    this.history = historyConn;
    this.cache = historyConn ? new FieldGridCache(historyConn, session) : null;
    this.acked = this.seq;
    this.unsubscribeGrow = source.onGrow(() => this.grown(source));
  }

  private dropSource(): void {
    this.unsubscribeGrow?.();
    this.unsubscribeGrow = null;
    this.source?.dispose();
    this.source = null;
    this.waitingAtEdge = false;
  }

  private grown(source: WindowSource): void {
    if (source !== this.source || !this.clock || !this.session) return;
    this.clock.grow(source.session.windowCount);
    this.sink.grown?.(this.clock.lastWindowEndNs, this.clock.windowCount, source.growing);
    if (this.waitingAtEdge && (!this.clock.atEnd || !source.growing)) {
      this.waitingAtEdge = false;
      if (this.m.state === 'playing') this.schedule(0);
    }
  }

  /** The growing session's build completed: keep playing where it is (the host may swap in the committed source with `attach`). */
  buildDone(): void {
    if (this.apply('ingest_done', true)) this.announce();
  }

  /** Forecasts of the open session (or null): later frames carry the `forecast` layers. */
  setForecasts(store: ForecastStore | null): void {
    this.forecasts = store;
  }

  /** Forget the session (the host closes the connection it owns). */
  close(): boolean {
    if (!this.apply('close')) return false;
    this.forgetSession();
    this.announce();
    return true;
  }

  /** Stop playing and drop the session and everything read through it (sources, connections, caches). */
  private forgetSession(): void {
    this.stopTimer();
    this.dropSource();
    this.session = null;
    this.clock = null;
    this.conn = null;
    this.cache = null;
    this.history = null;
    this.forecasts = null;
  }

  /** A (re)connected window starts with nothing in flight; playback pauses until it asks. */
  resetClient(): void {
    if (this.m.state === 'playing') this.pause();
    this.acked = this.seq;
  }

  // ---- requests --------------------------------------------------------------------------
  play(): void {
    if (this.clock?.atEnd && !this.source?.growing && (this.m.state === 'paused' || this.m.state === 'ready')) {
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
    this.dropSource();
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
    // A ring source (a build still running) has forgotten windows before its oldest: go there.
    target = Math.max(target, this.source?.firstAvailable ?? 0);
    const gen = ++this.seekGeneration;
    this.stopTimer();
    this.clock.set(target);
    this.announce();
    try {
      // A later seek supersedes this one: its frame, read after that seek settled, would make
      // the window jump back to this target.
      await this.sendFrame(target, () => gen === this.seekGeneration);
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

  /** Read window `index` and send it, unless the source changed or `wanted()` no longer holds once read. */
  private async sendFrame(index: number, wanted: () => boolean = () => true): Promise<void> {
    const source = this.source;
    if (!source) return;
    const frame = await source.frame(index);
    if (this.source !== source || !wanted()) return;
    const f = withLayers(frame, this.forecasts?.layersAt(index) ?? null);
    this.seq += 1;
    this.sink.frame(this.seq, f.windowEndNs, f.layers, f.parts);
  }

  /** Playing at the last window: a growing session waits for the next one, a complete one pauses. */
  private atEnd(): void {
    if (this.source?.growing) {
      this.waitingAtEdge = true;
      return;
    }
    this.apply('reached_end', true);
    this.announce();
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
    if (this.clock.atEnd) return this.atEnd();
    this.pumping = true;
    const started = Date.now();
    try {
      // A ring source that has already forgotten the next window: catch up to its oldest one.
      const next = this.clock.set(Math.max(this.clock.playhead + 1, this.source?.firstAvailable ?? 0));
      // A seek made while this window was read moved the playhead elsewhere: drop this frame.
      const gen = this.seekGeneration;
      await this.sendFrame(next, () => gen === this.seekGeneration);
    } catch (e) {
      this.frameAlert(e);
      if (this.apply('pause', true)) this.announce();
    } finally {
      this.pumping = false;
    }
    if (this.m.state !== 'playing') return;
    if (this.clock.atEnd) return this.atEnd();
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
