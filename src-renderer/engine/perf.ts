// Performance marks for the browser harness benchmarks (BENCHMARKS.md "Workstation").
// Kept as plain numbers so e2e tests and the bench read them through window.__spymaster.

/** One heatmap field switch, phase by phase (ms from the switch's start). */
export interface FieldSwitchMark {
  field: string;
  /** performance.now() when the switch started (the selector's change handler ran). */
  at: number;
  /** Ring cleared and the held slabs of the field replayed into it. */
  replayedMs: number;
  /** Colour range of the new field computed. */
  rangeMs: number;
  /** A chart slab of the field arrived from the engine (null: none was needed). */
  slabMs: number | null;
  /** That slab decoded, and written into the ring with the colour range refreshed. */
  slabDecodedMs?: number | null;
  slabAppliedMs?: number | null;
  /** The draw showing the whole visible view started / ended. */
  drawStartMs: number | null;
  drawnMs: number | null;
  /** The frame holding that draw committed (next animation frame + a task): on screen. */
  presentedMs: number | null;
  /** Colouring + texture upload of that draw. */
  uploadMs: number | null;
}

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
  /** Heatmap field switches (issue 13: ≤ 150 ms from the click to the new field drawn). */
  fieldSwitch: FieldSwitchMark[];
  /** The switch whose draw is still to come. */
  switching: FieldSwitchMark | null;
  /** Cell texture format in use: CPU-coloured RGBA8 (render/cellColours.ts). */
  textureFormat: 'rgba8' | null;
}

export const perf: PerfLog = { seek: [], seekLoaded: [], seekPresented: [], heldDraws: 0, frameDecode: [], upload: [], draw: [], slabRoundTrip: [], slabApply: [], draws: 0, fieldSwitch: [], switching: null, textureFormat: null };

export function record(list: number[], ms: number): void {
  list.push(ms);
  if (list.length > 500) list.splice(0, list.length - 500);
}
