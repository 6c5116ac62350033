import createREGL from 'regl';
import type { Buffer, Regl, Texture2D } from 'regl';
import type { ColorRange } from '../data/colorScale';
import type { ColumnRing } from '../data/columnRing';
import type { View } from '../state/chartStore';
import { colourSlots, packRgb } from './cellColours';
import { cellLayout, type CellLayout } from './cellLayout';
import { cellQuads } from './cellQuads';

// The GPU heatmap, built for the rasteriser that is slowest per pixel (software GL,
// SwiftShader) without costing a real GPU anything:
// - the canvas is shaded at the data's resolution (one buffer pixel per visible cell, see
//   cellLayout.ts) and the compositor stretches it over the plot with nearest filtering
//   (~0.36 M fragments for 15 min × 401 ticks instead of ~2 M device pixels at 1080p);
// - cells are coloured on the CPU into an RGBA8 texture mirroring the ring (cellColours.ts),
//   only the slots about to be drawn whose data or colour range changed;
// - each draw is a few textured quads (cellQuads.ts), so the fragment shader is one fetch.
// The spot line, axes, markers and text stay crisp in the full-resolution Canvas 2D layer.

export interface PlotRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const VERT = `
precision highp float;
attribute vec4 vertex;   // clip x, y; texture u, v
varying vec2 uv;
void main() {
  uv = vertex.zw;
  gl_Position = vec4(vertex.xy, 0.0, 1.0);
}`;

const FRAG = `
precision highp float;
varying vec2 uv;
uniform sampler2D colours;
void main() {
  gl_FragColor = texture2D(colours, uv);
}`;

const FLAT_VERT = `
precision highp float;
attribute vec2 position;
uniform vec2 span;   // clip x0, x1
void main() {
  gl_Position = vec4(mix(span.x, span.y, position.x), position.y * 2.0 - 1.0, 0.0, 1.0);
}`;

const FLAT_FRAG = `
precision mediump float;
uniform vec3 colour;
void main() {
  gl_FragColor = vec4(colour, 1.0);
}`;

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];

export const COLORS = {
  bg: '#0c0f14',
  future: '#10151d',
};

const rangeKey = (r: ColorRange) => `${r.lo}:${r.hi}:${r.signed}:${r.log}`;

export class Heatmap {
  readonly regl: Regl;
  private texture: Texture2D;
  /** RGBA8 mirror of the ring (slot-major, one texel per price row). */
  private colours: Uint32Array;
  /** Colour version each slot was last coloured with (−1: its data changed since). */
  private slotVersion: Int32Array;
  private version = 0;
  private lastRangeKey = '';
  private vertices: Buffer;
  private drawCells: (props: Record<string, unknown>) => void;
  private drawFlat: (props: Record<string, unknown>) => void;
  private lastTransform = '';
  private readonly empty = packRgb(COLORS.bg);

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly ring: ColumnRing,
  ) {
    this.regl = createREGL({
      canvas,
      attributes: { antialias: false, alpha: false, depth: false, stencil: false, preserveDrawingBuffer: false },
    });
    const r = this.regl;
    this.colours = new Uint32Array(ring.slots * ring.rows);
    this.slotVersion = new Int32Array(ring.slots).fill(-1);
    this.texture = r.texture({ width: ring.rows, height: ring.slots, format: 'rgba', type: 'uint8', min: 'nearest', mag: 'nearest', wrapS: 'clamp', wrapT: 'clamp' });
    this.vertices = r.buffer({ usage: 'dynamic', type: 'float', length: 4 * 24 * 8 });
    this.drawCells = r({
      vert: VERT,
      frag: FRAG,
      attributes: { vertex: { buffer: this.vertices, size: 4 } },
      count: r.prop<Record<string, unknown>, 'count'>('count'),
      depth: { enable: false },
      uniforms: { colours: this.texture },
      viewport: r.prop<Record<string, unknown>, 'viewport'>('viewport'),
    }) as unknown as (props: Record<string, unknown>) => void;
    this.drawFlat = r({
      vert: FLAT_VERT,
      frag: FLAT_FRAG,
      attributes: { position: [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1] },
      count: 6,
      depth: { enable: false },
      uniforms: { span: r.prop<Record<string, unknown>, 'span'>('span'), colour: rgb(COLORS.future) },
      viewport: r.prop<Record<string, unknown>, 'viewport'>('viewport'),
    }) as unknown as (props: Record<string, unknown>) => void;
  }

  /**
   * Colours and uploads what the next draw shows: held slots in the visible columns whose data
   * changed (ring dirty runs) or that were coloured with another range. Returns texels uploaded.
   */
  upload(range: ColorRange, view: View, nowW: number): number {
    const ring = this.ring;
    for (const [slot, count] of ring.takeDirtyRuns()) this.slotVersion.fill(-1, slot, slot + count);
    ring.takeOwnerDirty();
    const key = rangeKey(range);
    if (key !== this.lastRangeKey) {
      this.lastRangeKey = key;
      this.version++;
    }
    const { runs } = cellQuads(ring, [view.t0, view.t1, view.p0, view.p1], view, nowW);
    let texels = 0;
    for (const [a, b] of runs) {
      // Stale slots of this run, as contiguous sub-runs (one subimage each).
      let start = -1;
      const sa = ring.slotOf(a);
      const sb = ring.slotOf(b);
      for (let s = sa; s <= sb + 1; s++) {
        const stale = s <= sb && this.slotVersion[s] !== this.version;
        if (stale && start < 0) start = s;
        if (!stale && start >= 0) {
          texels += this.put(start, s - start, range);
          start = -1;
        }
      }
    }
    return texels;
  }

  private put(first: number, count: number, range: ColorRange): number {
    const rows = this.ring.rows;
    colourSlots(this.ring, first, count, range, this.empty, this.colours);
    this.slotVersion.fill(this.version, first, first + count);
    const data = new Uint8Array(this.colours.buffer, first * rows * 4, count * rows * 4);
    this.texture.subimage({ data, width: rows, height: count, format: 'rgba', type: 'uint8' }, 0, first);
    return count * rows;
  }

  /**
   * Draws the visible cells into the canvas (sized and placed by cellLayout inside the plot's
   * clip element) and returns the layout used.
   */
  render(plot: PlotRect, dpr: number, view: View, nowW: number): CellLayout {
    const r = this.regl;
    const c = this.canvas;
    const lay = cellLayout(view, plot.w, plot.h, dpr, { w: c.width, h: c.height });
    // One CSS px per buffer pixel; the transform scales it onto the plot.
    if (c.width !== lay.x.buf) c.width = lay.x.buf;
    if (c.height !== lay.y.buf) c.height = lay.y.buf;
    const sw = `${lay.x.buf}px`;
    const sh = `${lay.y.buf}px`;
    if (c.style.width !== sw) c.style.width = sw;
    if (c.style.height !== sh) c.style.height = sh;
    if (lay.transform !== this.lastTransform) {
      c.style.transform = lay.transform;
      this.lastTransform = lay.transform;
    }
    r.poll();
    r.clear({ color: [...rgb(COLORS.bg), 1] });
    const viewport = { x: 0, y: 0, width: lay.x.buf, height: lay.y.buf };
    const q = cellQuads(this.ring, lay.cover, view, nowW);
    if (q.count > 0) {
      this.vertices({ data: q.cells, usage: 'dynamic' });
      this.drawCells({ count: q.count, viewport });
    }
    if (q.future) this.drawFlat({ span: q.future, viewport });
    // Flush so timing marks measure GPU submission, not deferred work.
    r._gl.flush();
    return lay;
  }

  /** Fills the canvas with the background (no session). */
  clear(): void {
    this.regl.poll();
    this.regl.clear({ color: [...rgb(COLORS.bg), 1] });
  }

  destroy(): void {
    this.regl.destroy();
  }
}
