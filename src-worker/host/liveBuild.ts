// Progressive display, the host's half: a build started from the window gets a shared frame
// ring (fields/frameRing.ts), written by the build's engine on the ingest worker or inline,
// and read here as a growing window source (replay/ringWindowSource.ts). As soon as a window
// with a book has closed the host opens a *growing* session on it; at COMMIT the committed
// build takes over where the window is (ReplayEngine.attach keeps the playhead).
//
// Memory: a slot is one window's raw frame, ≈ 83 KB at half-width 200 (802 rows × 26 fields
// + depth); the ring is sized for LIVE_RING_WINDOWS windows of the default grid (≈ 300 MB of
// address space, touched only as windows are written: one hour ≈ 300 MB resident during the
// build, released with the build). A longer build keeps its newest windows; older ones answer
// "no longer in memory" (seeks land on the oldest held one) until the COMMIT brings them back.
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import { createFrameRing, frameRingBytes } from '../fields/frameRing';
import { RingWindowSource } from '../replay/ringWindowSource';

/** Windows the ring holds at the default half-width: a whole default session (one hour) and some. */
export const LIVE_RING_WINDOWS = 3_700;

export interface LiveBuild {
  sab: SharedArrayBuffer;
  source: RingWindowSource;
}

export function startLiveBuild(sourcePath: string, isDemo: boolean, windows = LIVE_RING_WINDOWS): LiveBuild {
  const sab = createFrameRing(frameRingBytes(SESSION_DEFAULTS.gridHalfWidthTicks, windows));
  return { sab, source: new RingWindowSource(sab, { sourcePath, isDemo }) };
}
