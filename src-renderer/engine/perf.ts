// Performance marks for the browser harness benchmarks (BENCHMARKS.md "Workstation").
// Kept as plain numbers so e2e tests and the bench read them through window.__spymaster.

export interface PerfLog {
  /** seek request → visible view fully loaded and drawn (draw calls issued) (ms). */
  seek: number[];
  /** seek request → the slab completing the visible view applied to the ring (ms). */
  seekLoaded: number[];
  /** seek request → the frame holding that draw committed (next animation frame + task) (ms). */
  seekPresented: number[];
  /** draws skipped while a seek's slab was on its way (the last image stays on screen). */
  heldDraws: number;
  /** one live frame: decode + ring write (ms); texture upload is in `upload`. */
  frameDecode: number[];
  /** colouring of changed visible cells + texture subimage uploads per draw (ms). */
  upload: number[];
  /** whole draw (upload + heatmap + overlay) (ms). */
  draw: number[];
  /** chart slab: request sent → reply received (engine query + encode + transfer) (ms). */
  slabRoundTrip: number[];
  /** chart slab: decode + ring write + colour range (ms). */
  slabApply: number[];
  /** count of draws, for fps and "no work while paused" checks. */
  draws: number;
  /** Cell texture format in use: CPU-coloured RGBA8 (render/cellColours.ts). */
  textureFormat: 'rgba8' | null;
}

export const perf: PerfLog = { seek: [], seekLoaded: [], seekPresented: [], heldDraws: 0, frameDecode: [], upload: [], draw: [], slabRoundTrip: [], slabApply: [], draws: 0, textureFormat: null };

export function record(list: number[], ms: number): void {
  list.push(ms);
  if (list.length > 500) list.splice(0, list.length - 500);
}
