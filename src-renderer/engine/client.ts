import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { FIELD_INFO, PROTOCOL_VERSION, assertNever, type EngineEvent, type HeatmapField, type OverlayKind, type Request } from '../../contracts/protocol';
import { applySlab } from '../data/applyData';
import { framePartsByName, type DecodedSlab } from '../data/decode';
import { windowEndNsOf, windowIndexOf } from '../data/sessionGeom';
import { forecastStore } from '../forecast/forecastStore';
import { ForecastLayer } from '../layers/forecastLayer';
import { HeatmapLayer } from '../layers/heatmapLayer';
import { OverlayLayer } from '../layers/overlayLayer';
import { ProfileLayer } from '../layers/profileLayer';
import { LayerRegistry } from '../layers/registry';
import { bumpData, chartStore, closeSession, DEFAULT_SPAN, handOverSession, openSession, setBuilt, setFollowBuild } from '../state/chartStore';
import { pushAlert, useUi } from '../state/uiStore';
import { connectTransport } from '../transport/connect';
import type { Transport } from '../transport/transport';
import { Playhead } from './follow';
import { perf, type FieldSwitchMark } from './perf';
import { RequestBook } from './requestBook';
import { SeekHold } from './seekHold';

// The engine client: handshake, one exhaustive switch over the engine's events, frame
// acknowledgement. What each event means for the chart lives elsewhere: the layers
// (layers/: heatmap, trades, walls/voids, forecast — each with its own loader) take the
// frame's named parts and the replies to their requests; the playhead (follow.ts) moves
// "now" and the view; the seek hold (seekHold.ts) tells the render loop when to draw.

export class EngineClient {
  private transport: Transport | null = null;
  private lastFrameSeq: number | null = null;
  private ackedSeq = -1;
  readonly book = new RequestBook((req) => this.send(req));
  readonly layers = new LayerRegistry();
  readonly heatmap: HeatmapLayer;
  readonly forecast: ForecastLayer;
  private readonly hold: SeekHold;
  private readonly playhead: Playhead;
  /** A growing session just opened: follow its build until the opening view is built. */
  private openingFill = false;

  constructor() {
    this.hold = new SeekHold(() => this.heatmap.visibleLoaded());
    this.heatmap = new HeatmapLayer(this.book, this.hold, () => this.ensureVisibleLoaded());
    this.forecast = new ForecastLayer(this.book);
    // Drawing order: heatmap, trade bubbles, walls over bubbles (the thin bars near spot stay
    // visible where trading is busiest), the forecast margin and past path last.
    const trades = new OverlayLayer('trades', this.book);
    this.layers.register(this.heatmap).register(trades).register(new OverlayLayer('walls_voids', this.book)).register(new ProfileLayer(trades)).register(this.forecast);
    this.playhead = new Playhead({
      ensureVisibleLoaded: () => this.ensureVisibleLoaded(),
      chunkEntered: () => this.layers.chunkEntered(chartStore.getState()),
      seekIndex: (i) => this.seekIndex(i),
    });
  }

  start(transport: Transport = connectTransport()): void {
    this.transport = transport;
    useUi.setState({ transport: transport.kind });
    transport.onStatus((s) => {
      useUi.setState({ connection: s });
      if (s === 'open') this.send({ kind: 'hello', protocol: PROTOCOL_VERSION, client: transport.kind });
    });
    transport.onMessage((bytes) => this.receive(bytes));
    transport.onReplaced?.(() =>
      pushAlert({
        severity: 'warning',
        code: 'transport.replaced',
        message: 'Another window is now connected to the engine.',
        hint: 'The engine serves one window at a time. Reload this page to take it back.',
      }),
    );
  }

  send(req: Request): void {
    // The trader takes the playhead: the window stops following the build's newest window.
    if (req.kind === 'play' || req.kind === 'step' || req.kind === 'skip') {
      setFollowBuild(false);
      this.openingFill = false;
    }
    this.transport?.send(encodeEnvelope(req));
  }

  /** "Live edge": show the newest window built and keep following the build as it grows. */
  followBuild(): void {
    const st = chartStore.getState();
    if (st.built === null) return;
    this.openingFill = false;
    if (st.playback === 'playing') this.send({ kind: 'pause' });
    setFollowBuild(true);
    this.seekIndex(st.built - 1, true);
  }

  // ---- requests the controls make --------------------------------------------------------
  selectField(field: HeatmapField): void {
    const st = chartStore.getState();
    if (st.field === field) return;
    const mark: FieldSwitchMark = { field, at: performance.now(), replayedMs: 0, rangeMs: 0, slabMs: null, drawStartMs: null, drawnMs: null, presentedMs: null, uploadMs: null };
    perf.switching = mark;
    chartStore.setState({ field, range: { ...st.range, signed: FIELD_INFO[field].signed } });
    st.data?.ring.clear();
    // A field seen before in this session redraws from the slabs held for it (slabCache.ts).
    if (st.data && st.geom) st.data.slabCache.replay(field, (slab, asked) => applySlab(st.geom!, st.data!.ring, st.data!.spotRow, slab, field, asked, st.data!));
    mark.replayedMs = performance.now() - mark.at;
    // Not all of the view is held for this field: keep the last picture until its slab lands
    // (drawing the half-empty view first only delays it on software GL), then draw at once.
    // The slab request goes out before the colour range is computed (5–40 ms under load), and
    // before select_field: the engine reads the view's windows first, then warms the field's
    // whole-session grid (the other order made the slab wait for the whole grid).
    if (!this.heatmap.visibleLoaded()) this.hold.start('field');
    this.ensureVisibleLoaded();
    this.send({ kind: 'select_field', field });
    this.refreshRange();
    mark.rangeMs = performance.now() - mark.at;
    bumpData();
  }

  setLogScale(log: boolean): void {
    chartStore.setState({ logScale: log });
    this.refreshRange();
  }

  /** Toolbar / View ▸ overlays: walls and voids markers or trade bubbles on or off. */
  setOverlay(kind: OverlayKind, on: boolean): void {
    chartStore.setState(kind === 'walls_voids' ? { showWalls: on } : { showTrades: on });
    if (on) this.layers.get(kind)?.ensureLoaded?.();
  }

  /** Toolbar: the volume profile and CVD strip on or off (they load the trades if the bubbles have not). */
  setProfile(on: boolean): void {
    chartStore.setState({ showProfile: on });
    if (on) this.layers.get('profile')?.ensureLoaded?.();
  }

  /** Toolbar: forecast settings changed (toggle, model, past path): load what they need and redraw. */
  forecastChanged(): void {
    if (forecastStore.getState().enabled) this.forecast.ensureLoaded();
    bumpData();
  }

  /** Parameters… popover: override forecast parameters (engine answers `params` or a params.invalid alert). */
  setParams(set: Record<string, number>): void {
    forecastStore.setState({ paramsPending: true, paramsRefusal: null });
    this.send({ kind: 'set_params', set });
  }

  /** `following`: a seek of the build follower, not the trader's (which ends following). */
  seekIndex(index: number, following = false): void {
    const g = chartStore.getState().geom;
    if (!g) return;
    if (!following) {
      setFollowBuild(false);
      this.openingFill = false;
    }
    // A session still being built: no further than its newest window.
    const last = (chartStore.getState().built ?? g.windowCount) - 1;
    const i = Math.max(0, Math.min(g.windowCount - 1, last, Math.round(index)));
    // (Following the build moves a few windows at a time: the picture is not held for it.)
    if (!following) this.hold.start();
    this.playhead.seekTarget = i;
    // Show the target at once (the engine's playback event confirms it). This asks for the
    // view's missing slabs before the seek goes out, so the engine builds them (from memory,
    // a few ms) before it starts reading the target's frames: measured 20–30 % faster cold
    // seeks in paired runs.
    this.playhead.setNow(i, true);
    this.send({ kind: 'seek', windowEndNs: windowEndNsOf(g, i) });
  }

  /** How long the render loop should still keep the last picture (ms; 0 = draw). */
  drawHoldMs(): number {
    return this.hold.drawHoldMs();
  }

  /** A seek whose whole view is now held waits for its draw: the render loop draws at once. */
  seekReady(): boolean {
    return this.hold.ready();
  }

  /** Called by the render loop after a draw: acknowledge frames that reached the screen. */
  afterDraw(): void {
    if (this.lastFrameSeq !== null && this.lastFrameSeq > this.ackedSeq) {
      this.ackedSeq = this.lastFrameSeq;
      this.send({ kind: 'frame_ack', seq: this.ackedSeq });
    }
    this.hold.afterDraw();
  }

  /** Every shown layer asks for what the view needs and is not held. */
  ensureVisibleLoaded(): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null) return;
    this.playhead.recentreIfPending(this.heatmap.visibleLoaded());
    this.layers.ensureLoaded(chartStore.getState());
    // Once the view is held and quiet, the other fields of it load in the background.
    this.heatmap.prefetch.schedule();
  }

  recentre(): void {
    this.playhead.recentre();
  }

  /** True when every visible column up to now is held (tests and the seek benchmark wait on it). */
  visibleLoaded(): boolean {
    return this.heatmap.visibleLoaded();
  }

  /** All-field values of one window for the tooltip (cached; requested once). */
  cellValues(windowIndex: number): DecodedSlab | 'pending' | undefined {
    return this.heatmap.cellValues(windowIndex);
  }

  /** Percentile colour range over what the view shows (up to now). */
  refreshRange(): void {
    this.heatmap.refreshRange();
  }

  // ---- events --------------------------------------------------------------------------
  private receive(bytes: Uint8Array): void {
    let env;
    try {
      env = decodeEnvelope<EngineEvent>(bytes);
    } catch (e) {
      pushAlert({ severity: 'error', code: 'protocol.malformed', message: 'The engine sent a message the window could not read.', hint: String(e) });
      return;
    }
    try {
      this.handle(env.message, env.parts);
    } catch (e) {
      pushAlert({
        severity: 'error',
        code: 'protocol.payload',
        message: `Could not use the engine's ${env.message.kind} message.`,
        hint: e instanceof Error ? e.message : String(e),
      });
    }
  }

  private handle(m: EngineEvent, parts: Uint8Array[]): void {
    switch (m.kind) {
      case 'welcome':
        useUi.setState({ engineVersion: m.engineVersion, demoAvailable: m.capabilities.demo, fields: m.capabilities.fields });
        return;
      case 'ingest_started':
        useUi.setState({ ingest: { path: m.path, progress: null } });
        return;
      case 'ingest_progress':
        // Under a growing session the build's progress goes to the controls, not over the chart.
        useUi.setState((s) => (s.build ? { build: { path: s.build.path, progress: m.progress } } : { ingest: { path: s.ingest?.path ?? '', progress: m.progress } }));
        return;
      case 'ingest_cancelled':
        useUi.setState({ ingest: null, build: null });
        pushAlert({ severity: 'info', code: 'ingest.cancelled', message: 'Ingest cancelled.', hint: 'Nothing was written for that file; the previous session is unchanged.' });
        return;
      case 'session_ready': {
        // The committed build of the growing session on show: a handover, not a new session
        // (the engine keeps the playhead; the window keeps its place and reloads the columns).
        const prev = useUi.getState().session;
        const handover = !!prev?.growing && !m.session.growing && prev.sourcePath === m.session.sourcePath && prev.firstWindowEndNs === m.session.firstWindowEndNs;
        useUi.setState((s) => ({ session: m.session, cacheHit: m.cacheHit, ingest: null, build: m.session.growing ? (s.ingest ?? s.build) : null }));
        this.book.clear();
        this.layers.reset();
        this.lastFrameSeq = null;
        this.ackedSeq = -1;
        // (A handover keeps the last picture on screen while the committed columns load.)
        if (handover) {
          this.hold.start();
          handOverSession(m.session);
        }
        else {
          openSession(m.session);
          this.playhead.reset();
          // A growing session opens following its newest window, not on a fixed opening view.
          if (m.session.growing) this.playhead.openingView = false;
          this.openingFill = m.session.growing;
        }
        this.send({ kind: 'select_field', field: chartStore.getState().field });
        this.refreshRange();
        if (handover) this.ensureVisibleLoaded();
        return;
      }
      case 'session_closed':
        useUi.setState({ session: null, build: null });
        this.layers.reset();
        closeSession();
        return;
      case 'session_grown':
        // A build still running: the chart spans its whole session window; play, seek and
        // scrub reach as far as it is built (the timeline shows that extent).
        useUi.setState((s) => (s.session ? { session: { ...s.session, lastWindowEndNs: m.lastWindowEndNs, windowCount: m.windowCount, growing: m.growing } } : {}));
        if (chartStore.getState().built === null) return;
        setBuilt(m.windowCount);
        // Following the build: the playhead moves to the newest window (≤ 10 times a second).
        // (Not while the trader has panned the view away: double-click follows again.)
        if (chartStore.getState().followBuild && chartStore.getState().follow) {
          // A fresh growing session fills the opening view (the first DEFAULT_SPAN windows, as a
          // committed session opens) and stays there; "Live edge" follows the build to its end.
          if (this.openingFill && m.windowCount - 1 >= DEFAULT_SPAN) {
            this.openingFill = false;
            this.seekIndex(DEFAULT_SPAN, true);
            setFollowBuild(false);
          } else this.seekIndex(m.windowCount - 1, true);
        }
        return;
      case 'playback':
        this.playhead.onPlayback(m);
        this.heatmap.prefetch.schedule(); // paused or slowed down: the engine may have room now
        return;
      case 'frame':
        this.onFrame(m, parts);
        return;
      case 'slab':
      case 'overlays':
      case 'forecasts':
        this.book.reply(m, parts);
        return;
      case 'params':
        forecastStore.setState({ params: m.params, revision: m.revision, paramsPending: false, paramsRefusal: null });
        this.forecast.onParams(m.revision);
        return;
      case 'alert':
        if (m.alert.severity === 'error') useUi.setState({ ingest: null, build: null });
        // History the forecast layer asked for is not coming (yet): it backs off and the margin
        // says so where the trader looks; a toast after every seek would only be noise.
        // A session still being built has no overlays yet; the COMMIT's session_ready reloads them.
        if (m.alert.code === 'overlays.building') return;
        if (m.alert.code === 'forecast.unavailable') {
          this.forecast.onUnavailable();
          return;
        }
        // A refused set_params is answered in the Parameters… popover, next to the values.
        if (m.alert.code === 'params.invalid' && forecastStore.getState().paramsPending) {
          forecastStore.setState({ paramsPending: false, paramsRefusal: { message: m.alert.message, hint: m.alert.hint } });
          return;
        }
        pushAlert(m.alert);
        return;
      default:
        assertNever(m);
    }
  }

  private onFrame(m: Extract<EngineEvent, { kind: 'frame' }>, parts: Uint8Array[]): void {
    const st = chartStore.getState();
    this.lastFrameSeq = m.seq;
    if (!st.geom || !st.data) return;
    const wi = windowIndexOf(st.geom, m.windowEndNs);
    if (wi < 0 || wi >= st.geom.windowCount) return;
    this.layers.frame(wi, framePartsByName(m.layers, parts));
    this.playhead.onFrameWindow(wi);
    bumpData();
  }
}

export const engine = new EngineClient();
