import type { EngineEvent } from '../../contracts/protocol';
import { windowIndexOf } from '../data/sessionGeom';
import { CHUNK, DEFAULT_SPAN, chartStore } from '../state/chartStore';
import { moveNow, recentreOnSpot } from '../state/viewActions';

// The playhead and the view that follows it: where "now" is, keeping it at the margin while
// following, recentring on spot after a jump, and which playback announcements to believe
// while a seek of ours is in flight.

export interface PlayheadLoads {
  /** Everything the view shows, after a jump. */
  ensureVisibleLoaded(): void;
  /** Playing into a new chunk (history that frames do not bring: overlays, forecasts). */
  chunkEntered(): void;
  /** Asks the engine for window `index` (a seek). */
  seekIndex(index: number): void;
}

export class Playhead {
  /** The window a seek of ours asked for, until the engine settles on it. */
  seekTarget: number | null = null;
  /** A fresh session: its first playhead opens a full view instead of one column. */
  openingView = false;
  /** After a jump the spot of the target window may arrive with its slab; recentre then. */
  private pendingRecentre = false;

  constructor(private readonly loads: PlayheadLoads) {}

  reset(): void {
    this.seekTarget = null;
    this.openingView = true;
    this.pendingRecentre = false;
  }

  onPlayback(m: Extract<EngineEvent, { kind: 'playback' }>): void {
    chartStore.setState({ playback: m.state, speed: m.speed });
    const g = chartStore.getState().geom;
    if (!g || m.playheadWindowEndNs === null) return;
    const index = windowIndexOf(g, m.playheadWindowEndNs);
    // A fresh session starts on its first window, which would show one lonely column:
    // open on a full view instead (the first DEFAULT_SPAN seconds of the session).
    if (this.openingView && index === 0 && (m.state === 'ready' || m.state === 'paused')) {
      this.openingView = false;
      this.loads.seekIndex(Math.min(DEFAULT_SPAN, g.windowCount - 1));
      return;
    }
    this.openingView = false;
    // While our seek is in flight, stale playheads (a frame or announcement from before
    // the seek) must not yank the view back; the engine's settled state ends the wait.
    if (this.seekTarget !== null && index !== this.seekTarget && m.state === 'seeking') return;
    if (m.state !== 'seeking') this.seekTarget = null;
    this.setNow(index, false);
  }

  /** A frame of window wi arrived: it is now, unless a seek of ours waits for another window. */
  onFrameWindow(wi: number): boolean {
    if (this.seekTarget !== null && wi !== this.seekTarget) return false;
    // The engine settled (paused) on another window: this frame is a superseded seek's, read
    // slowly from the database while a later seek finished first (−2m then +2m). Its data is
    // kept; the playhead stays where the engine said it is.
    const st = chartStore.getState();
    if (this.seekTarget === null && (st.playback === 'paused' || st.playback === 'ready') && st.nowIndex !== null && wi !== st.nowIndex) return false;
    this.seekTarget = null;
    this.setNow(wi, false);
    return true;
  }

  setNow(index: number, jump: boolean): void {
    const st = chartStore.getState();
    if (!st.geom || !st.data) return;
    const prev = st.nowIndex;
    // The view itself is moved by the named view action (state/viewActions.ts, its one owner).
    const isJump = moveNow(index, jump);
    // After a jump the price rows are fitted to the spot track once the view's slabs are in.
    if (isJump) this.pendingRecentre = true;
    if (isJump) this.loads.ensureVisibleLoaded();
    // Playing into a new chunk: its history is asked for once (a cheap map look-up otherwise).
    else if (prev === null || Math.floor(prev / CHUNK) !== Math.floor(index / CHUNK)) this.loads.chunkEntered();
  }

  /** `visibleLoaded`: every visible column is held, so the spot track can be fitted. */
  recentreIfPending(visibleLoaded: boolean): void {
    if (!this.pendingRecentre || !visibleLoaded) return;
    this.pendingRecentre = false;
    this.recentre();
  }

  recentre(): void {
    recentreOnSpot();
  }
}
