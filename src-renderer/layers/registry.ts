import type { FrameLayer } from '../../contracts/protocol';
import type { FrameParts } from '../data/decode';
import type { ChartState } from '../state/chartStore';
import type { Layer, LayerId } from './types';

// The window's layers in drawing order (heatmap first, marks over it, the forecast margin
// last). Frames are dispatched by part name, loads and draws walk the list: adding a layer
// (options, a predicted heatmap) is a registration, not an edit of the client or the loop.

export class LayerRegistry {
  private readonly layers: Layer[] = [];

  register(layer: Layer): this {
    if (this.layers.some((l) => l.id === layer.id)) throw new Error(`layer ${layer.id} registered twice`);
    this.layers.push(layer);
    return this;
  }

  list(): readonly Layer[] {
    return this.layers;
  }

  get<T extends Layer = Layer>(id: LayerId): T | undefined {
    return this.layers.find((l) => l.id === id) as T | undefined;
  }

  /** The layer that reads a frame part, if any. */
  readerOf(part: FrameLayer): Layer | undefined {
    return this.layers.find((l) => l.reads.includes(part));
  }

  /** Hands one frame to every layer that reads a part it carries. */
  frame(windowIndex: number, parts: FrameParts): void {
    for (const l of this.layers) if (l.onFrame && l.reads.some((r) => parts.has(r))) l.onFrame(windowIndex, parts);
  }

  ensureLoaded(st: ChartState): void {
    for (const l of this.layers) if (l.ensureLoaded && l.visible(st)) l.ensureLoaded();
  }

  chunkEntered(st: ChartState): void {
    for (const l of this.layers) if (l.chunkEntered && l.visible(st)) l.chunkEntered();
  }

  reset(): void {
    for (const l of this.layers) l.reset();
  }

  visible(st: ChartState): Layer[] {
    return this.layers.filter((l) => l.visible(st));
  }
}
