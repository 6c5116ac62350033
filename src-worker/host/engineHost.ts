// The engine's message loop: envelopes in, envelopes out, one exhaustive switch over the
// request union. Transport-agnostic: the Electron utility process, the browser-mode child
// process and the tests all hand it bytes and give it a `send`. One host owns the one
// DuckDB connection of its process.
import type { DuckDBConnection } from '@duckdb/node-api';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { assertNever, HEATMAP_FIELDS, PROTOCOL_VERSION, type Alert, type EngineEvent, type HeatmapField, type IngestProgress, type Request } from '../../contracts/protocol';
import type { IngestOptions, IngestSummary } from '../pipeline/ingestApi';
import type { ForecastModel } from '../replay/forecastStore';
import { ReplayEngine } from '../replay/replayEngine';
import { SessionForecasts } from '../replay/sessionForecasts';
import type { ReplaySession } from '../replay/sessionInfo';
import { loadReplaySession } from '../replay/sessionInfo';
import { buildOverlays } from '../replay/overlayBuilder';
import { buildSlab } from '../replay/slabBuilder';
import { alertFromError, HostError, isAbort } from './alerts';
import { chooseSessionWindow } from './autoSession';
import { guardOpenFile } from './openFileGuard';
import { startLiveBuild, type LiveBuild } from './liveBuild';
import { buildRingSlab } from '../replay/ringSlab';
import { RingWindowSource } from '../replay/ringWindowSource';

export const ENGINE_VERSION = '0.1.0';
export const MAX_IN_FLIGHT_FRAMES = 4;
const PROGRESS_INTERVAL_MS = 100;

/** What to open before the window asks: a file from the command line, the demo, or nothing. */
export type InitialOpen = { kind: 'file'; path: string; options?: FileOpenOptions } | { kind: 'demo' } | { kind: 'none' };

export interface FileOpenOptions {
  symbol?: string;
  date?: string;
  start?: string;
  end?: string;
  tz?: string;
  force?: boolean;
  /** Build as if live, market seconds per wall second (pipeline/buildPace.ts). */
  pace?: number;
}

export interface DemoSource {
  /** The cached demo DBN file (built deterministically on first use) and how to ingest it. */
  file: string;
  options: FileOpenOptions;
}

/** The engine's database: a connection for replay reads and the handle the pipeline writes through. */
export interface EngineStore {
  conn: DuckDBConnection;
  /** Optional second connection for history slabs (so they never wait behind playback reads). */
  historyConn?: DuckDBConnection;
  /** Passed to ingest as `db` so reader and pipeline share one DuckDB instance (one process owns the file). */
  db?: IngestOptions['db'];
  /** The same database on a connection of its own, for the forecasts' reads (never inside a build's transaction). */
  forecastDb?: IngestOptions['db'];
  /** Something the user should know about the database itself (e.g. it was renewed). */
  notice?: Alert;
  close(): void | Promise<void>;
}

export interface EngineDeps {
  ingest(opts: IngestOptions): Promise<IngestSummary>;
  /** Opens the engine's database (once, on first use). */
  openStore(dbPath: string): Promise<EngineStore>;
  /** Builds (or finds cached) the embedded demo file; absent = no demo. */
  prepareDemo?(onProgress: (p: IngestProgress) => void, signal: AbortSignal): Promise<DemoSource>;
  /** The forecast model over the engine's database (issue 11); absent = frames carry no forecast. */
  forecast?(store: EngineStore): ForecastModel;
}

export interface EngineHostOptions {
  send(bytes: Uint8Array): void;
  dbPath: string;
  initial: InitialOpen;
  deps: EngineDeps;
  /** Write a line to the engine's log (stderr by default). */
  log?: (line: string) => void;
  /**
   * Progressive display (default on): a build shows its windows while it runs (liveBuild.ts).
   * Off: the window shows the progress bar until COMMIT (benchmarks compare the two).
   */
  progressive?: boolean;
}

export class EngineHost {
  private readonly replay: ReplayEngine;
  private store: EngineStore | null = null;
  private ingestAbort: AbortController | null = null;
  private ingestPath: string | null = null;
  private lastProgress: IngestProgress | null = null;
  private initialStarted = false;
  private sessionCacheHit = false;
  private forecasts: SessionForecasts | null = null;
  private closed = false;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: EngineHostOptions) {
    this.log = opts.log ?? ((l) => process.stderr.write(`[engine] ${l}\n`));
    this.replay = new ReplayEngine(
      {
        frame: (seq, windowEndNs, layers, parts) => this.emit({ kind: 'frame', seq, windowEndNs: windowEndNs.toString(), layers }, parts),
        playback: (state, speed, ns) => this.emit({ kind: 'playback', state, speed, playheadWindowEndNs: ns === null ? null : ns.toString() }),
        alert: (alert) => this.alert(alert),
        grown: (lastNs, windowCount, growing) => this.emit({ kind: 'session_grown', lastWindowEndNs: lastNs.toString(), windowCount, growing }),
      },
      { maxInFlightFrames: MAX_IN_FLIGHT_FRAMES },
    );
  }

  private emit(event: EngineEvent, parts: Uint8Array[] = []): void {
    if (this.closed) return;
    this.opts.send(encodeEnvelope(event, parts));
  }

  private alert(alert: Alert): void {
    if (alert.severity !== 'info') this.log(`${alert.code}: ${alert.message}${alert.hint ? ` (${alert.hint})` : ''}`);
    this.emit({ kind: 'alert', alert });
  }

  /** One envelope from the window. Never throws: every failure becomes an alert. */
  receive(bytes: Uint8Array): void {
    let req: Request;
    try {
      req = decodeEnvelope<Request>(bytes).message;
      if (!req || typeof req !== 'object' || typeof (req as { kind?: unknown }).kind !== 'string') throw new Error('no message kind');
    } catch (e) {
      this.alert({ severity: 'error', code: 'protocol.malformed', message: 'The engine received a message it could not read.', hint: e instanceof Error ? e.message : String(e) });
      return;
    }
    try {
      this.handle(req);
    } catch (e) {
      this.alert(alertFromError(e, 'engine.request_failed', `The engine could not handle '${req.kind}'.`));
    }
  }

  private handle(req: Request): void {
    switch (req.kind) {
      case 'hello':
        return this.hello(req.protocol);
      case 'open_file':
        return void this.openFile(req.path, { symbol: req.symbol, date: req.date, start: req.start, end: req.end, tz: req.tz, force: req.force, pace: req.pace });
      case 'open_demo':
        return void this.openDemo();
      case 'cancel_ingest':
        if (this.ingestAbort) this.ingestAbort.abort();
        else this.alert({ severity: 'info', code: 'ingest.none', message: 'No ingest is running.' });
        return;
      case 'close_session':
        return this.closeSession();
      case 'play':
        return this.replay.play();
      case 'pause':
        return this.replay.pause();
      case 'set_speed':
        return this.replay.setSpeed(req.speed);
      case 'step':
        return this.replay.step(req.seconds);
      case 'seek':
        return this.replay.seek(req.windowEndNs);
      case 'skip':
        return this.replay.skip(req.minutes);
      case 'select_field':
        // Frames carry every field; the engine warms the field's session grid so history slabs are instant.
        if (!HEATMAP_FIELDS.includes(req.field)) {
          this.alert({ severity: 'warning', code: 'protocol.unknown_field', message: `Unknown field '${String(req.field)}'.`, hint: `Fields: ${HEATMAP_FIELDS.join(', ')}` });
          return;
        }
        this.warmField(req.field);
        return;
      case 'fetch_slab':
        return void this.fetchSlab(req);
      case 'fetch_overlays':
        return void this.fetchOverlays(req);
      case 'frame_ack':
        return this.replay.ack(req.seq);
      case 'fetch_forecasts':
        return this.fetchForecasts(req);
      case 'set_params':
        return void this.setParams(req.set);
      default:
        assertNever(req);
    }
  }

  // ---- handshake -----------------------------------------------------------------------
  private hello(protocol: number): void {
    if (protocol !== PROTOCOL_VERSION) {
      this.alert({
        severity: 'error',
        code: 'protocol.version',
        message: `The window speaks protocol ${protocol}, the engine ${PROTOCOL_VERSION}.`,
        hint: 'Rebuild the workstation so the window and the engine come from the same version (npm run build).',
      });
    }
    this.emit({
      kind: 'welcome',
      protocol: PROTOCOL_VERSION,
      engineVersion: ENGINE_VERSION,
      capabilities: { fields: [...HEATMAP_FIELDS], maxInFlightFrames: MAX_IN_FLIGHT_FRAMES, demo: Boolean(this.opts.deps.prepareDemo) },
    });
    // A reconnecting window: nothing of the old connection is in flight any more.
    this.replay.resetClient();
    const session = this.replay.currentSession;
    if (this.ingestAbort && this.ingestPath) {
      this.emit({ kind: 'ingest_started', path: this.ingestPath });
      if (this.lastProgress) this.emit({ kind: 'ingest_progress', progress: this.lastProgress });
    }
    if (session) {
      this.emit({ kind: 'session_ready', session: session.info, cacheHit: this.sessionCacheHit });
      this.emit({ kind: 'playback', state: this.replay.state, speed: this.replay.currentSpeed, playheadWindowEndNs: this.replay.playheadNs?.toString() ?? null });
    }
    // The parameters in force, launch ones included (revision 0): the window's popover shows them.
    if (this.forecasts) this.emit({ kind: 'params', params: this.forecasts.numericParams, revision: this.forecasts.revision });
    if (!this.initialStarted) {
      this.initialStarted = true;
      const init = this.opts.initial;
      if (init.kind === 'file') void this.openFile(init.path, init.options ?? {});
      else if (init.kind === 'demo') void this.openDemo();
    }
  }

  // ---- sessions ------------------------------------------------------------------------
  async openFile(path: string, options: FileOpenOptions, isDemo = false): Promise<void> {
    try {
      path = guardOpenFile(path); // issue 14: resolved and checked before anything is read
    } catch (e) {
      this.alert(alertFromError(e, 'file.invalid', 'The file cannot be opened.'));
      return;
    }
    if (!this.replay.beginIngest()) return;
    const abort = new AbortController();
    let opts = options;
    // Announce at once: the window shows progress (and Cancel) while the file is scanned.
    this.ingestAbort = abort;
    this.ingestPath = path;
    this.lastProgress = null;
    this.emit({ kind: 'ingest_started', path });
    if (!options.start && !options.end && !isDemo) {
      // No session window given: open the first trading hour when the default window has no trading.
      try {
        const choice = await chooseSessionWindow(path, { date: options.date, tz: options.tz }, abort.signal);
        if (choice) {
          opts = { ...options, ...choice };
          this.alert({
            severity: 'info',
            code: 'session.auto_window',
            message: `Nothing trades in the default session window; opening the file's first trading hour, ${choice.date} ${choice.start}–${choice.end} (${choice.tz}).`,
            hint: 'Open the file with a start and end time to choose another window.',
          });
        }
      } catch {
        // Unreadable file: the ingest below reports it as a typed error.
      }
    }
    await this.track(this.runIngest(path, opts, isDemo, abort, true));
  }

  private async runIngest(path: string, options: FileOpenOptions, isDemo: boolean, abort: AbortController, announced = false): Promise<void> {
    this.ingestAbort = abort;
    if (!announced) {
      this.ingestPath = path;
      this.lastProgress = null;
      this.emit({ kind: 'ingest_started', path });
    }
    let lastSent = 0;
    let lastStage = '';
    // The growing session is shown only once the ingest is past its cache lookup (its first
    // 'ingest' progress comes from the build's transaction): the eager worker starts building
    // before the lookup, and a cache hit must not flash a growing session before the stored one.
    let pastLookup = false;
    let showWhenPastLookup: (() => void) | null = null;
    const onProgress = (p: IngestProgress) => {
      this.lastProgress = p;
      if (!pastLookup && p.stage !== 'hash') {
        pastLookup = true;
        showWhenPastLookup?.();
      }
      const now = Date.now();
      // Throttled, but a new stage (close, commit) always goes out: the window shows it.
      if (now - lastSent < PROGRESS_INTERVAL_MS && p.fraction < 1 && p.stage === lastStage) return;
      lastSent = now;
      lastStage = p.stage;
      this.emit({ kind: 'ingest_progress', progress: p });
    };
    // The session on show before this build (committed): it comes back if a growing build fails.
    const previous = this.replay.currentSession && !this.replay.machine.building ? this.replay.currentSession : null;
    // (The demo builds in a few seconds and opens on its first minutes, as it always has.)
    const live = this.opts.progressive === false || isDemo ? null : startLiveBuild(path, isDemo);
    let shownLive = false;
    live?.source.onReady(() => {
      const show = () => {
        if (this.ingestAbort !== abort || abort.signal.aborted) return;
        shownLive = this.showGrowing(live);
      };
      if (pastLookup) show();
      else showWhenPastLookup = show;
    });
    try {
      const store = await this.ensureStore();
      if (abort.signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const summary = await this.opts.deps.ingest({ file: path, dbPath: this.opts.dbPath, ...options, db: store.db, onProgress, signal: abort.signal, liveFrames: live?.sab });
      if (abort.signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      // Not shown (a cache hit, or no window with a book came before COMMIT): the ring goes.
      if (!shownLive) live?.source.dispose();
      const session = await loadReplaySession(store.conn, summary.datasetId, { timeZone: summary.timeZone, isDemo });
      this.ingestAbort = null;
      this.ingestPath = null;
      this.sessionCacheHit = summary.cacheHit;
      this.log(`session ready: ${session.info.symbol} ${summary.sessionDate}, ${session.windowCount} windows${summary.cacheHit ? ' (cache hit)' : ''}`);
      // The previous session's forecasts must not answer for this one: until this session's
      // are computed, fetch_forecasts says 'unavailable' and the window asks again later.
      this.forecasts?.close();
      this.emit({ kind: 'session_ready', session: session.info, cacheHit: summary.cacheHit });
      await this.replay.attach(store.conn, session, store.historyConn);
      void this.openForecasts(store, session);
      this.warmField('liquidity_velocity');
      void this.replay.fieldCache?.snapshots().catch(() => undefined);
    } catch (e) {
      this.ingestAbort = null;
      this.ingestPath = null;
      live?.source.dispose();
      // The previous session (if any) stays open and playable; a growing session of the failed
      // build closes, and the previous one opens again — before the alert, which the window
      // would otherwise drop as one about an earlier session.
      const wasGrowing = this.replay.machine.building === true;
      this.replay.ingestFailed();
      let reopened: Promise<void> | null = null;
      if (wasGrowing) {
        this.emit({ kind: 'session_closed' });
        if (previous && this.store) reopened = this.reopen(this.store, previous);
      }
      if (isAbort(e) || abort.signal.aborted) this.emit({ kind: 'ingest_cancelled' });
      else this.alert(alertFromError(e, 'ingest.failed', `Could not ingest ${path}.`));
      await reopened;
    }
  }

  /** Open the growing session of a running build (its first window with a book has closed). */
  private showGrowing(live: LiveBuild): boolean {
    if (this.replay.state !== 'ingesting') return false;
    // The previous session's forecasts must not answer for this one: live windows have none
    // (fetch_forecasts answers 'unavailable' until the committed build's are computed).
    this.forecasts?.close();
    this.sessionCacheHit = false;
    const session = live.source.session;
    this.log(`growing session: ${session.info.symbol}, first ${session.windowCount} windows built`);
    this.emit({ kind: 'session_ready', session: session.info, cacheHit: false });
    this.replay.attachGrowing(live.source).catch((e) => this.alert(alertFromError(e, 'replay.read_failed', 'The first windows of the build could not be shown.')));
    return true;
  }

  /** The committed session that was open before a failed growing build. */
  private async reopen(store: EngineStore, session: ReplaySession): Promise<void> {
    try {
      this.sessionCacheHit = true;
      this.emit({ kind: 'session_ready', session: session.info, cacheHit: true });
      if (!(await this.replay.restore(store.conn, session, store.historyConn))) return;
      void this.openForecasts(store, session);
    } catch (e) {
      this.alert(alertFromError(e, 'replay.read_failed', 'The previous session could not be opened again.'));
    }
  }

  async openDemo(): Promise<void> {
    const prepare = this.opts.deps.prepareDemo;
    if (!prepare) {
      this.alert({ severity: 'warning', code: 'demo.unavailable', message: 'This engine has no embedded demo.', hint: 'Open a DBN file instead.' });
      return;
    }
    if (this.replay.currentSession?.info.isDemo && this.replay.state !== 'ingesting') {
      // Already showing the demo: tell the (new) window again.
      this.emit({ kind: 'session_ready', session: this.replay.currentSession.info, cacheHit: true });
      return;
    }
    if (!this.replay.beginIngest()) return;
    const abort = new AbortController();
    this.ingestAbort = abort;
    this.ingestPath = 'demo';
    this.emit({ kind: 'ingest_started', path: 'demo' });
    let demo: DemoSource;
    try {
      demo = await prepare((p) => {
        this.lastProgress = p;
        this.emit({ kind: 'ingest_progress', progress: p });
      }, abort.signal);
    } catch (e) {
      this.ingestAbort = null;
      this.ingestPath = null;
      if (isAbort(e) || abort.signal.aborted) this.emit({ kind: 'ingest_cancelled' });
      else this.alert(alertFromError(e, 'demo.failed', 'The demo session could not be built.'));
      this.replay.ingestFailed();
      return;
    }
    await this.track(this.runIngest(demo.file, demo.options, true, abort, true));
  }

  private warmField(field: HeatmapField): void {
    const cache = this.replay.fieldCache;
    if (!cache?.enabled || cache.has(field)) return;
    cache.grid(field).catch((e) => this.log(`warming ${field} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  private closeSession(): void {
    if (!this.replay.close()) return;
    this.forecasts?.close();
    this.emit({ kind: 'session_closed' });
  }

  private async fetchSlab(req: Extract<Request, { kind: 'fetch_slab' }>): Promise<void> {
    const session = this.replay.currentSession;
    const conn = this.replay.historyConnection;
    const ring = this.replay.windowSource instanceof RingWindowSource ? this.replay.windowSource : null;
    if (!session || (!conn && !ring)) {
      this.alert({ severity: 'info', code: 'slab.no_session', message: 'There is no session to read history from.', hint: 'Open a file or the demo first.' });
      return;
    }
    try {
      const from = BigInt(req.fromWindowEndNs);
      const to = BigInt(req.toWindowEndNs);
      // A session still being built: its history is the frame ring's.
      const slab = ring ? buildRingSlab(ring, from, to, req.fields) : await buildSlab(conn!, session, from, to, req.fields, this.replay.fieldCache ?? undefined);
      if (this.replay.currentSession !== session) return; // the session changed meanwhile
      this.emit(
        { kind: 'slab', requestId: req.requestId, fromWindowEndNs: slab.fromWindowEndNs.toString(), toWindowEndNs: slab.toWindowEndNs.toString(), fields: req.fields },
        slab.parts,
      );
    } catch (e) {
      this.alert(alertFromError(e, 'slab.failed', 'The history for that range could not be read.'));
    }
  }

  private async fetchOverlays(req: Extract<Request, { kind: 'fetch_overlays' }>): Promise<void> {
    const session = this.replay.currentSession;
    const conn = this.replay.historyConnection;
    if (session && !conn && this.replay.windowSource instanceof RingWindowSource) {
      // Walls/voids and trades are read from the committed tables: they come with the COMMIT.
      this.emit({ kind: 'alert', alert: { severity: 'info', code: 'overlays.building', message: 'Overlays appear when the build is committed.', hint: 'The heatmap is shown while the file is being built.' } });
      return;
    }
    if (!session || !conn) {
      this.alert({ severity: 'info', code: 'overlays.no_session', message: 'There is no session to read overlays from.', hint: 'Open a file or the demo first.' });
      return;
    }
    try {
      const r = await buildOverlays(conn, session, BigInt(req.fromWindowEndNs), BigInt(req.toWindowEndNs), req.kinds);
      if (this.replay.currentSession !== session) return;
      this.emit(
        {
          kind: 'overlays',
          requestId: req.requestId,
          fromWindowEndNs: r.fromWindowEndNs.toString(),
          toWindowEndNs: r.toWindowEndNs.toString(),
          kinds: r.kinds,
          ...(r.tradesUnavailable ? { tradesUnavailable: r.tradesUnavailable } : {}),
        },
        r.parts,
      );
    } catch (e) {
      this.alert(alertFromError(e, 'overlays.failed', 'The overlays for that range could not be read.'));
    }
  }

  // ---- forecasts -------------------------------------------------------------------------
  /** Compute the session's forecasts from its stored feature rows; frames carry them once ready. */
  private async openForecasts(store: EngineStore, session: ReplaySession): Promise<void> {
    const make = this.opts.deps.forecast;
    if (!make) return;
    try {
      this.forecasts ??= new SessionForecasts(make(store));
      const t0 = performance.now();
      const fs = await this.forecasts.open(session);
      if (!fs || this.replay.currentSession !== session) return;
      this.replay.setForecasts(fs);
      // The first time (a launch with --params): tell the window what is in force.
      if (this.forecasts.revision === 0) this.emit({ kind: 'params', params: this.forecasts.numericParams, revision: 0 });
      this.log(`forecasts ready: ${session.windowCount} windows in ${(performance.now() - t0).toFixed(0)} ms`);
    } catch (e) {
      this.alert({ ...alertFromError(e, 'forecast.failed', 'The forecasts of this session could not be computed.'), severity: 'warning' });
    }
  }

  private fetchForecasts(req: Extract<Request, { kind: 'fetch_forecasts' }>): void {
    const session = this.replay.currentSession;
    const fs = this.forecasts?.current;
    if (!session || !fs) {
      this.alert({ severity: 'info', code: 'forecast.unavailable', message: 'There are no forecasts for this session (yet).', hint: session ? 'They are computed when the session opens; ask again in a moment.' : 'Open a file or the demo first.' });
      return;
    }
    try {
      const from = BigInt(req.fromWindowEndNs);
      const to = BigInt(req.toWindowEndNs);
      const i0 = Math.max(0, Number((from - session.firstWindowEndNs) / 1_000_000_000n));
      const i1 = Math.min(session.windowCount - 1, Number((to - session.firstWindowEndNs) / 1_000_000_000n));
      const part = fs.encodeForecasts(i0, i1);
      const ns = (i: number) => (session.firstWindowEndNs + BigInt(i) * 1_000_000_000n).toString();
      this.emit({ kind: 'forecasts', requestId: req.requestId, fromWindowEndNs: ns(i0), toWindowEndNs: ns(Math.max(i0, i1)), layers: ['forecast'] }, [part]);
    } catch (e) {
      this.alert(alertFromError(e, 'forecast.fetch_failed', 'The forecasts for that range could not be read.'));
    }
  }

  private async setParams(set: Record<string, number>): Promise<void> {
    const make = this.opts.deps.forecast;
    if (!make) {
      this.alert({ severity: 'info', code: 'forecast.unavailable', message: 'This engine has no forecast model, so it has no forecast parameters.' });
      return;
    }
    if (!set || typeof set !== 'object') {
      this.alert({ severity: 'warning', code: 'params.invalid', message: 'set_params needs an object of parameter values.', hint: 'e.g. { "beta": 0.05 }' });
      return;
    }
    try {
      this.forecasts ??= new SessionForecasts(make(await this.ensureStore()));
      const forecasts = this.forecasts;
      const pending = forecasts.setParams(set); // validates at once, recomputes in slices
      const revision = forecasts.revision;
      const fs = await pending;
      if (fs && this.replay.currentSession) this.replay.setForecasts(fs);
      // Answer once the forecasts (if any) are recomputed, so a refetch sees the new ones.
      if (revision === forecasts.revision) this.emit({ kind: 'params', params: forecasts.numericParams, revision });
    } catch (e) {
      this.alert({ ...alertFromError(e, 'params.invalid', 'Those parameter values were refused.'), severity: 'warning' });
    }
  }

  // ---- the database ---------------------------------------------------------------------
  private async ensureStore(): Promise<EngineStore> {
    if (!this.store) {
      this.store = await this.opts.deps.openStore(this.opts.dbPath);
      if (this.store.notice) this.alert(this.store.notice);
    }
    return this.store;
  }

  /** The build running now, so close() can wait for its rollback before the database closes. */
  private ingestRun: Promise<void> | null = null;
  private async track(run: Promise<void>): Promise<void> {
    this.ingestRun = run;
    try {
      await run;
    } finally {
      if (this.ingestRun === run) this.ingestRun = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ingestAbort?.abort();
    this.replay.dispose();
    // A cancelled build rolls back on the database's own connection: let it end first.
    await this.ingestRun?.catch(() => undefined);
    const store = this.store;
    this.store = null;
    await store?.close();
  }
}
