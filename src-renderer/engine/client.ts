import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { FIELD_INFO, HEATMAP_FIELDS, PROTOCOL_VERSION, assertNever, type EngineEvent, type HeatmapField, type OverlayKind, type Request } from '../../contracts/protocol';
import { applyFrame, applySlab } from '../data/applyData';
import { nearlySameRange, percentileRange } from '../data/colorScale';
import { decodeFrame, decodeSlab, type DecodedSlab } from '../data/decode';
import { decodeOverlays } from '../data/overlayData';
import { windowEndNsOf, windowIndexOf } from '../data/sessionGeom';
import { CHUNK, DEFAULT_SPAN, bumpData, chartStore, closeSession, openSession } from '../state/chartStore';
import { pushAlert, useUi } from '../state/uiStore';
import { moveNow, recentreOnSpot } from '../state/viewActions';
import { connectTransport } from '../transport/connect';
import type { Transport } from '../transport/transport';
import { perf, record } from './perf';

// The engine client: handshake, event dispatch into the stores, frame acknowledgement,
// history slabs for whatever the view shows, and one-window all-field slabs for the tooltip.

const FRAME_CACHE = 90;
/** Longest slab asked for at once (chunks of CHUNK windows). */
const MAX_CHUNKS_PER_SLAB = 4;
/** A slab not answered within this long is asked for again when still needed. */
const RETRY_AFTER_MS = 15_000;
const CELL_CACHE = 40;
/**
 * Cells sampled for the colour range's percentiles: 20 k keeps ~200 cells beyond the 1st/99th
 * percentile, and sorting them takes ~2 ms where 60 k took ~8 ms (on every seek's slab and
 * every 20 live frames).
 */
const RANGE_SAMPLE = 20_000;
/**
 * Longest a seek keeps the last picture while its slabs are on their way. On software GL a
 * draw of the (still empty) view occupies both cores for 100+ ms and the slab waits behind it.
 */
const SEEK_HOLD_MS = 600;
/** Slab request ids; `pending` remembers whether a reply feeds the chart or the tooltip. */
let nextRequestId = 1;

interface PendingSlab {
  kind: 'chart' | 'cell';
  field: HeatmapField;
  chunks: number[];
  windowIndex: number;
  sentAt: number;
}

export class EngineClient {
  private transport: Transport | null = null;
  private pending = new Map<number, PendingSlab>();
  private lastFrameSeq: number | null = null;
  private ackedSeq = -1;
  private framesSinceRange = 0;
  private seekStartedAt: number | null = null;
  /** Start of the current seek hold (see drawHoldMs). */
  private holdFrom = 0;
  private openingView = false;
  private seekTarget: number | null = null;
  /** When each chart chunk (`field:chunk`) or tooltip window (`cell:index`) was last asked for. */
  private askedAt = new Map<string, number>();
  /** Overlay requests in flight: request id → the chunk they cover. */
  private overlayPending = new Map<number, { chunk: number; kinds: OverlayKind[] }>();

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
    this.transport?.send(encodeEnvelope(req));
  }

  // ---- requests the controls make --------------------------------------------------------
  selectField(field: HeatmapField): void {
    const st = chartStore.getState();
    if (st.field === field) return;
    chartStore.setState({ field, range: { ...st.range, signed: FIELD_INFO[field].signed } });
    st.data?.ring.clear();
    // A field seen before this session redraws from the slabs held for it (slabCache.ts).
    if (st.data && st.geom) st.data.slabCache.replay(field, (slab, asked) => applySlab(st.geom!, st.data!.ring, st.data!.spotRow, slab, field, asked, st.data!));
    this.send({ kind: 'select_field', field });
    this.refreshRange();
    bumpData();
    this.ensureVisibleLoaded();
  }

  setLogScale(log: boolean): void {
    chartStore.setState({ logScale: log });
    this.refreshRange();
  }

  /** Toolbar / View ▸ overlays: walls and voids markers or trade bubbles on or off. */
  setOverlay(kind: OverlayKind, on: boolean): void {
    chartStore.setState(kind === 'walls_voids' ? { showWalls: on } : { showTrades: on });
    if (on) this.ensureOverlaysLoaded();
  }

  seekIndex(index: number): void {
    const g = chartStore.getState().geom;
    if (!g) return;
    const i = Math.max(0, Math.min(g.windowCount - 1, Math.round(index)));
    const now = performance.now();
    // A burst of seeks (scrubbing) shares one hold, so the picture never freezes for long.
    if (this.seekStartedAt === null || now - this.holdFrom >= SEEK_HOLD_MS) this.holdFrom = now;
    this.seekStartedAt = now;
    performance.mark('spymaster:seek-start');
    this.seekTarget = i;
    // Show the target at once (the engine's playback event confirms it). This asks for the
    // view's missing slabs before the seek goes out, so the engine builds them (from memory,
    // a few ms) before it starts reading the target's frames: measured 20–30 % faster cold
    // seeks in paired runs.
    this.setNow(i, true);
    this.send({ kind: 'seek', windowEndNs: windowEndNsOf(g, i) });
  }

  /**
   * How long the render loop should still keep the last picture (ms; 0 = draw): while a seek's
   * view is not yet held, up to SEEK_HOLD_MS after the request.
   */
  drawHoldMs(): number {
    if (this.seekStartedAt === null) return 0;
    const left = SEEK_HOLD_MS - (performance.now() - this.holdFrom);
    return left > 0 && !this.visibleLoaded() ? left : 0;
  }

  /** A seek whose whole view is now held waits for its draw: the render loop draws at once. */
  seekReady(): boolean {
    return this.seekStartedAt !== null && this.visibleLoaded();
  }

  /** Called by the render loop after a draw: acknowledge frames that reached the screen. */
  afterDraw(): void {
    if (this.lastFrameSeq !== null && this.lastFrameSeq > this.ackedSeq) {
      this.ackedSeq = this.lastFrameSeq;
      this.send({ kind: 'frame_ack', seq: this.ackedSeq });
    }
    if (this.seekStartedAt !== null && this.visibleLoaded()) {
      const started = this.seekStartedAt;
      record(perf.seek, performance.now() - started);
      performance.mark('spymaster:seek-drawn');
      this.seekStartedAt = null;
      // The draw is on screen once the frame that carries it is committed.
      requestAnimationFrame(() => setTimeout(() => record(perf.seekPresented, performance.now() - started), 0));
    }
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
        useUi.setState((s) => ({ ingest: { path: s.ingest?.path ?? '', progress: m.progress } }));
        return;
      case 'ingest_cancelled':
        useUi.setState({ ingest: null });
        pushAlert({ severity: 'info', code: 'ingest.cancelled', message: 'Ingest cancelled.', hint: 'Nothing was written for that file; the previous session is unchanged.' });
        return;
      case 'session_ready':
        useUi.setState({ session: m.session, cacheHit: m.cacheHit, ingest: null });
        this.pending.clear();
        this.askedAt.clear();
        this.overlayPending.clear();
        this.lastFrameSeq = null;
        this.ackedSeq = -1;
        openSession(m.session);
        this.openingView = true;
        this.send({ kind: 'select_field', field: chartStore.getState().field });
        this.refreshRange();
        return;
      case 'session_closed':
        useUi.setState({ session: null });
        closeSession();
        return;
      case 'playback': {
        chartStore.setState({ playback: m.state, speed: m.speed });
        const g = chartStore.getState().geom;
        if (!g || m.playheadWindowEndNs === null) return;
        const index = windowIndexOf(g, m.playheadWindowEndNs);
        // A fresh session starts on its first window, which would show one lonely column:
        // open on a full view instead (the first DEFAULT_SPAN seconds of the session).
        if (this.openingView && index === 0 && (m.state === 'ready' || m.state === 'paused')) {
          this.openingView = false;
          this.seekIndex(Math.min(DEFAULT_SPAN, g.windowCount - 1));
          return;
        }
        this.openingView = false;
        // While our seek is in flight, stale playheads (a frame or announcement from before
        // the seek) must not yank the view back; the engine's settled state ends the wait.
        if (this.seekTarget !== null && index !== this.seekTarget && m.state === 'seeking') return;
        if (m.state !== 'seeking') this.seekTarget = null;
        this.setNow(index, false);
        return;
      }
      case 'frame':
        this.onFrame(m.seq, parts);
        return;
      case 'slab':
        this.onSlab(m.requestId, m.fields, parts, { fromNs: m.fromWindowEndNs, toNs: m.toWindowEndNs });
        return;
      case 'overlays':
        this.onOverlays(m.requestId, m.kinds, m.tradesUnavailable, parts);
        return;
      case 'alert':
        if (m.alert.severity === 'error') useUi.setState({ ingest: null });
        pushAlert(m.alert);
        return;
      default:
        assertNever(m);
    }
  }

  private onFrame(seq: number, parts: Uint8Array[]): void {
    const st = chartStore.getState();
    this.lastFrameSeq = seq;
    if (!st.geom || !st.data) return;
    const t0 = performance.now();
    const frame = decodeFrame(parts);
    const wi = applyFrame(st.geom, st.data.ring, st.data.spotRow, frame, st.field, st.data);
    record(perf.frameDecode, performance.now() - t0);
    if (wi === null) return;
    const frames = st.data.frames;
    frames.set(wi, frame);
    if (frames.size > FRAME_CACHE) frames.delete(frames.keys().next().value!);
    if (++this.framesSinceRange >= 20) this.refreshRange();
    if (this.seekTarget !== null && wi !== this.seekTarget) {
      bumpData();
      return;
    }
    this.seekTarget = null;
    this.setNow(wi, false);
    bumpData();
  }

  private onSlab(requestId: number, fields: HeatmapField[], parts: Uint8Array[], asked: { fromNs: string; toNs: string }): void {
    const p = this.pending.get(requestId);
    this.pending.delete(requestId);
    const st = chartStore.getState();
    if (!p || !st.geom || !st.data) return;
    const t0 = performance.now();
    if (p.kind === 'chart') record(perf.slabRoundTrip, t0 - p.sentAt);
    const slab = decodeSlab(parts, fields);
    if (p.kind === 'cell') {
      st.data.cellSlabs.set(p.windowIndex, slab);
      if (st.data.cellSlabs.size > CELL_CACHE) st.data.cellSlabs.delete(st.data.cellSlabs.keys().next().value!);
      bumpData();
      return;
    }
    const chunks = st.data.chunks.get(p.field);
    if (p.field !== st.field) return; // field changed while it was in flight
    applySlab(st.geom, st.data.ring, st.data.spotRow, slab, st.field, asked, st.data);
    st.data.slabCache.keep(p.field, slab, asked);
    for (const c of p.chunks) chunks?.set(c, 'loaded');
    if (this.seekStartedAt !== null && this.visibleLoaded()) record(perf.seekLoaded, performance.now() - this.seekStartedAt);
    this.refreshRange();
    record(perf.slabApply, performance.now() - t0);
    bumpData();
    this.ensureVisibleLoaded();
  }

  private onOverlays(requestId: number, kinds: OverlayKind[], tradesUnavailable: 'bronze_skipped' | undefined, parts: Uint8Array[]): void {
    const p = this.overlayPending.get(requestId);
    this.overlayPending.delete(requestId);
    const st = chartStore.getState();
    if (!p || !st.geom || !st.data) return;
    const d = decodeOverlays(st.geom, kinds, parts);
    const mark = (k: OverlayKind) => {
      let m = st.data!.overlayChunks.get(k);
      if (!m) st.data!.overlayChunks.set(k, (m = new Map()));
      m.set(p.chunk, 'loaded');
    };
    if (d.walls_voids) {
      st.data.wallsVoids.set(p.chunk, d.walls_voids);
      mark('walls_voids');
    }
    if (d.trades) {
      st.data.trades.set(p.chunk, d.trades);
      mark('trades');
    }
    if (tradesUnavailable && !st.data.tradesUnavailable) {
      st.data.tradesUnavailable = true;
      pushAlert({
        severity: 'info',
        code: 'overlays.no_bronze',
        message: 'Trades are not available for this session: it was ingested without the Bronze table.',
        hint: 'Open the file again with bronze kept (the default) to see trade bubbles.',
      });
    }
    bumpData();
  }

  /** Requests the overlays that are switched on for every chunk from the view's start up to now not yet held. */
  ensureOverlaysLoaded(): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null) return;
    const kinds: OverlayKind[] = [];
    if (st.showWalls) kinds.push('walls_voids');
    if (st.showTrades && !st.data.tradesUnavailable) kinds.push('trades');
    if (kinds.length === 0) return;
    const g = st.geom;
    const lo = Math.max(0, Math.floor(st.view.t0));
    const hi = Math.min(g.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
    if (hi < lo) return;
    // Nearest to now first.
    for (let c = Math.floor(hi / CHUNK); c >= Math.floor(lo / CHUNK); c--) {
      const want = kinds.filter((k) => {
        const state = st.data!.overlayChunks.get(k)?.get(c);
        return state === undefined || (state === 'pending' && this.stale(`ov:${k}:${c}`));
      });
      if (want.length === 0) continue;
      for (const k of want) {
        let m = st.data.overlayChunks.get(k);
        if (!m) st.data.overlayChunks.set(k, (m = new Map()));
        m.set(c, 'pending');
        this.askedAt.set(`ov:${k}:${c}`, performance.now());
      }
      const requestId = nextRequestId++;
      this.overlayPending.set(requestId, { chunk: c, kinds: want });
      const from = c * CHUNK;
      const to = Math.min(g.windowCount - 1, from + CHUNK - 1);
      this.send({ kind: 'fetch_overlays', requestId, fromWindowEndNs: windowEndNsOf(g, from), toWindowEndNs: windowEndNsOf(g, to), kinds: want });
    }
  }

  // ---- playhead, view, loading ------------------------------------------------------------
  private setNow(index: number, jump: boolean): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return;
    const prev = st.nowIndex;
    const isJump = moveNow(index, jump);
    // After a jump the price rows are fitted to the spot track once the view's slabs are in.
    if (isJump) this.pendingRecentre = true;
    if (isJump) this.ensureVisibleLoaded();
    // Playing into a new chunk: its overlays are asked for once (a cheap map look-up otherwise).
    else if (prev === null || Math.floor(prev / CHUNK) !== Math.floor(index / CHUNK)) this.ensureOverlaysLoaded();
  }

  /** After a jump the spot of the target window may arrive with its slab; recentre then. */
  private pendingRecentre = false;

  recentre(): void {
    recentreOnSpot();
  }

  /** Requests slabs for every visible chunk not yet held (up to now; the future stays hidden). */
  ensureVisibleLoaded(): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null) return;
    this.ensureOverlaysLoaded();
    if (this.pendingRecentre && this.visibleLoaded()) {
      this.pendingRecentre = false;
      this.recentre();
    }
    const g = st.geom;
    const lo = Math.max(0, Math.floor(st.view.t0));
    const hi = Math.min(g.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
    if (hi < lo) return;
    let chunks = st.data.chunks.get(st.field);
    if (!chunks) st.data.chunks.set(st.field, (chunks = new Map()));
    const missing: number[] = [];
    for (let c = Math.floor(lo / CHUNK); c <= Math.floor(hi / CHUNK); c++) {
      const state = chunks.get(c);
      if (state === 'pending' && !this.stale(`${st.field}:${c}`)) continue;
      if (state === 'loaded' && this.chunkResident(c, g.windowCount, lo, hi)) continue;
      missing.push(c);
    }
    // Contiguous missing chunks go out as one slab (one DuckDB query instead of several),
    // nearest to now first so the part a trader looks at fills in first.
    missing.sort((a, b) => b - a);
    const runs: number[][] = [];
    for (const c of missing) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === c + 1 && run.length < MAX_CHUNKS_PER_SLAB) run.push(c);
      else runs.push([c]);
    }
    for (const run of runs) {
      for (const c of run) {
        chunks.set(c, 'pending');
        this.askedAt.set(`${st.field}:${c}`, performance.now());
      }
      // Only the visible windows up to now: a 15-minute view spans 3–4 chunks but shows ~800
      // windows, and a smaller slab reaches the window sooner. A chunk held only in part is
      // asked for again when more of it comes into view (chunkResident).
      const from = Math.max(lo, run[run.length - 1] * CHUNK);
      const to = Math.min(hi, (run[0] + 1) * CHUNK - 1);
      this.requestSlab({ kind: 'chart', field: st.field, chunks: run, windowIndex: from, sentAt: performance.now() }, from, to, [st.field]);
    }
  }

  /** A request that got no reply (the engine answered with an alert instead) may be asked again. */
  private stale(key: string): boolean {
    const t = this.askedAt.get(key);
    return t === undefined || performance.now() - t > RETRY_AFTER_MS;
  }

  /** The part of chunk c inside the visible windows [lo, hi] is held (every window of it). */
  private chunkResident(c: number, windowCount: number, lo: number, hi: number): boolean {
    const ring = chartStore.getState().data!.ring;
    const from = Math.max(lo, c * CHUNK);
    const to = Math.min(windowCount - 1, hi, c * CHUNK + CHUNK - 1);
    // Every window, not only the ends: a frame may have claimed the first window of a chunk
    // whose earlier slab started later (the view was elsewhere), leaving a hole in between.
    for (let w = from; w <= to; w++) if (!ring.has(w)) return false;
    return true;
  }

  /** True when every visible column up to now is held (tests and the seek benchmark wait on it). */
  visibleLoaded(): boolean {
    const st = chartStore.getState();
    if (!st.geom || !st.data || st.nowIndex === null) return true;
    const lo = Math.max(0, Math.floor(st.view.t0));
    const hi = Math.min(st.geom.windowCount - 1, Math.ceil(st.view.t1), st.nowIndex);
    const ring = st.data.ring;
    for (let w = lo; w <= hi; w += 1) if (!ring.has(w)) return false;
    return true;
  }

  /** All-field values of one window for the tooltip (cached; requested once). */
  cellValues(windowIndex: number): DecodedSlab | 'pending' | undefined {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return undefined;
    const have = st.data.cellSlabs.get(windowIndex);
    if (have && !(have === 'pending' && this.stale(`cell:${windowIndex}`))) return have;
    st.data.cellSlabs.set(windowIndex, 'pending');
    this.askedAt.set(`cell:${windowIndex}`, performance.now());
    this.requestSlab({ kind: 'cell', field: st.field, chunks: [], windowIndex, sentAt: performance.now() }, windowIndex, windowIndex, [...HEATMAP_FIELDS]);
    return 'pending';
  }

  private requestSlab(p: PendingSlab, from: number, to: number, fields: HeatmapField[]): void {
    const g = chartStore.getState().geom!;
    const requestId = nextRequestId++;
    this.pending.set(requestId, p);
    this.send({ kind: 'fetch_slab', requestId, fromWindowEndNs: windowEndNsOf(g, from), toWindowEndNs: windowEndNsOf(g, to), fields });
  }

  /** Percentile colour range over what the view shows (up to now). */
  refreshRange(): void {
    this.framesSinceRange = 0;
    const st = chartStore.getState();
    const signed = FIELD_INFO[st.field].signed;
    if (!st.data || st.nowIndex === null) {
      chartStore.setState({ range: { ...st.range, signed, log: st.logScale } });
      return;
    }
    const sample = st.data.ring.sample(Math.max(0, st.view.t0), Math.min(st.view.t1, st.nowIndex), RANGE_SAMPLE);
    if (sample.length === 0) {
      chartStore.setState({ range: { ...st.range, signed, log: st.logScale } });
      return;
    }
    const next = percentileRange(sample, signed, st.logScale, st.contrast);
    if (!nearlySameRange(st.range, next)) chartStore.setState({ range: next });
  }
}

export const engine = new EngineClient();
