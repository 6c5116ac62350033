import type { FrameLayer } from '../../contracts/protocol';
import type { FrameParts } from '../data/decode';
import type { RequestBook } from '../engine/requestBook';
import type { PlotRect } from '../render/heatmap';
import type { ChartState } from '../state/chartStore';

// A layer of the chart: what it reads from the engine's frames, how it loads its history
// (its own loader, over the request book), and how it draws. The engine client hands each
// frame's named parts to the layers; the render loop draws the visible layers in order.

export type LayerId = 'heatmap' | 'trades' | 'walls_voids' | 'profile' | 'forecast';

/** Where and what a layer draws: the Canvas 2D overlay, between the grid and the spot line. */
export interface MarksInput {
  ctx: CanvasRenderingContext2D;
  plot: PlotRect;
  st: ChartState;
}

/** The GPU surface (the heatmap's canvas) and the plot it is clipped to. */
export interface GpuInput {
  canvas: HTMLCanvasElement;
  plot: PlotRect;
  dpr: number;
  st: ChartState;
}

export interface Layer {
  readonly id: LayerId;
  /** Frame layers this layer reads (contracts/protocol.ts FrameLayer). */
  readonly reads: readonly FrameLayer[];
  /** Shown in the current state (a toggle, a field)? Loaders and draws run only then. */
  visible(st: ChartState): boolean;
  /** A session opened or closed: drop whatever was held for the previous one. */
  reset(): void;
  /** One window's frame; `parts` holds only the layers the frame carries. */
  onFrame?(windowIndex: number, parts: FrameParts): void;
  /** Asks for what the view shows and is not held (after a jump, a pan, a toggle). */
  ensureLoaded?(): void;
  /** Playing into a new history chunk: history that frames do not bring. */
  chunkEntered?(): void;
  drawGpu?(inp: GpuInput): void;
  drawMarks?(inp: MarksInput): void;
  /** The render target went away: free GPU resources. */
  detach?(): void;
}

/** What a layer's loader gets from the engine client. */
export interface LoaderContext {
  book: RequestBook;
}
