import createREGL from 'regl';
import type { Framebuffer2D, Regl, Texture2D } from 'regl';
import { DIVERGING, SEQUENTIAL, normalise, type ColorRange } from '../data/colorScale';
import type { ColumnRing } from '../data/columnRing';
import type { View } from '../state/chartStore';

// The GPU heatmap: one ring texture (width = price rows, height = 1-s slots) holding
// (value, lap mark) per cell — see ColumnRing — and a palette. When zoomed in, each visible
// cell is coloured once into a small offscreen image that a one-fetch blit stretches over the
// plot: software GL (SwiftShader) pays per fragment, and this doubled its 1080p frame rate. Commands and textures are made once; new columns go up with subimage.
// Float textures when OES_texture_float exists; otherwise values are normalised on the CPU
// into bytes and re-uploaded when the colour range changes.

export interface PlotRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const VERT = `
precision highp float;
attribute vec2 position;
varying vec2 uv;
void main() {
  uv = position;
  gl_Position = vec4(position * 2.0 - 1.0, 0.0, 1.0);
}`;

const FRAG = `
precision highp float;
varying vec2 uv;
uniform sampler2D cells;
uniform sampler2D palette;
uniform vec2 cellsSize;     // price rows, slots
uniform vec4 view;          // t0, t1, p0, p1
uniform float nowW;
uniform vec4 range;         // lo, hi, signed, log
uniform float prenormalised;
uniform vec3 bg;
uniform vec3 futureBg;

float normaliseValue(float v) {
  if (range.z > 0.5) {
    float t = clamp(v / range.y, -1.0, 1.0);
    if (range.w > 0.5) t = sign(t) * log(1.0 + abs(t) * 1000.0) / log(1001.0);
    return 0.5 + 0.5 * t;
  }
  float t = clamp((v - range.x) / (range.y - range.x), 0.0, 1.0);
  if (range.w > 0.5) t = log(1.0 + t * 1000.0) / log(1001.0);
  return t;
}

void main() {
  float t = mix(view.x, view.y, uv.x);
  float p = mix(view.z, view.w, uv.y);
  float w = floor(t) + 1.0;            // column w spans t in [w-1, w)
  if (w > nowW + 0.5) { gl_FragColor = vec4(futureBg, 1.0); return; }
  float row = floor(p + 0.5);          // row r spans p in [r-0.5, r+0.5)
  if (w < 0.0 || row < 0.0 || row >= cellsSize.x) { gl_FragColor = vec4(bg, 1.0); return; }
  float lap = floor((w + 0.5) / cellsSize.y); // +0.5: exact even where division is a reciprocal multiply
  float slot = w - lap * cellsSize.y;
  vec4 c = texture2D(cells, vec2((row + 0.5) / cellsSize.x, (slot + 0.5) / cellsSize.y));
  // mark = lap + 1 of the window that wrote the cell (0 = empty); bytes in the fallback path.
  float mark = prenormalised > 0.5 ? floor(c.a * 255.0 + 0.5) : c.a;
  if (abs(mark - (lap + 1.0)) > 0.5) { gl_FragColor = vec4(bg, 1.0); return; }
  float tt = prenormalised > 0.5 ? c.r : normaliseValue(c.r);
  gl_FragColor = vec4(texture2D(palette, vec2(tt * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb, 1.0);
}`;

// Blit of the per-cell image: one texture fetch per screen pixel.
const BLIT = `
precision highp float;
varying vec2 uv;
uniform sampler2D cellImage;
uniform vec4 view;   // t0, t1, p0, p1 of the screen
uniform vec4 grid;   // first column edge c0, first row edge r0 - 0.5, image width, height
void main() {
  float t = mix(view.x, view.y, uv.x);
  float p = mix(view.z, view.w, uv.y);
  vec2 texel = vec2(floor(t - grid.x), floor(p - grid.y));
  gl_FragColor = texture2D(cellImage, (texel + 0.5) / grid.zw);
}`;

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];

export const COLORS = {
  bg: '#0c0f14',
  future: '#10151d',
};

export class Heatmap {
  readonly regl: Regl;
  readonly floatTextures: boolean;
  private cells: Texture2D;
  private palettes: { diverging: Texture2D; sequential: Texture2D };
  private byteScratch: Uint8Array | null = null;
  private lastRangeKey = '';
  private draw: (props: Record<string, unknown>) => void;
  private blit: (props: Record<string, unknown>) => void;
  private cellFbo: Framebuffer2D;
  private fboSize = [1, 1];

  constructor(
    canvas: HTMLCanvasElement,
    readonly ring: ColumnRing,
  ) {
    this.regl = createREGL({
      canvas,
      attributes: { antialias: false, alpha: false, depth: false, stencil: false, preserveDrawingBuffer: false },
      optionalExtensions: ['OES_texture_float'],
    });
    const r = this.regl;
    // `?gl-bytes` forces the 8-bit path (what a GPU without float textures gets) for testing.
    const forceBytes = typeof location !== 'undefined' && new URLSearchParams(location.search).has('gl-bytes');
    this.floatTextures = r.hasExtension('OES_texture_float') && !forceBytes;
    this.cells = r.texture({
      width: ring.rows,
      height: ring.slots,
      format: 'luminance alpha',
      type: this.floatTextures ? 'float' : 'uint8',
      min: 'nearest',
      mag: 'nearest',
      wrapS: 'clamp',
      wrapT: 'clamp',
    });
    const pal = (data: Uint8Array) => r.texture({ width: 256, height: 1, data, format: 'rgba', min: 'linear', mag: 'linear', wrapS: 'clamp', wrapT: 'clamp' });
    this.palettes = { diverging: pal(DIVERGING), sequential: pal(SEQUENTIAL) };
    ring.markAllDirty();
    this.draw = r({
      vert: VERT,
      frag: FRAG,
      attributes: { position: [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1] },
      count: 6,
      depth: { enable: false },
      uniforms: {
        cells: this.cells,
        palette: r.prop<Record<string, unknown>, 'palette'>('palette'),
        cellsSize: [ring.rows, ring.slots],
        view: r.prop<Record<string, unknown>, 'view'>('view'),
        nowW: r.prop<Record<string, unknown>, 'nowW'>('nowW'),
        range: r.prop<Record<string, unknown>, 'range'>('range'),
        prenormalised: this.floatTextures ? 0 : 1,
        bg: rgb(COLORS.bg),
        futureBg: rgb(COLORS.future),
      },
      viewport: r.prop<Record<string, unknown>, 'viewport'>('viewport'),
      scissor: { enable: true, box: r.prop<Record<string, unknown>, 'viewport'>('viewport') },
      framebuffer: r.prop<Record<string, unknown>, 'framebuffer'>('framebuffer'),
    }) as unknown as (props: Record<string, unknown>) => void;
    this.cellFbo = r.framebuffer({ width: 1, height: 1, colorType: 'uint8', depth: false, stencil: false });
    this.blit = r({
      vert: VERT,
      frag: BLIT,
      attributes: { position: [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1] },
      count: 6,
      depth: { enable: false },
      uniforms: {
        cellImage: this.cellFbo,
        view: r.prop<Record<string, unknown>, 'view'>('view'),
        grid: r.prop<Record<string, unknown>, 'grid'>('grid'),
      },
      viewport: r.prop<Record<string, unknown>, 'viewport'>('viewport'),
      scissor: { enable: true, box: r.prop<Record<string, unknown>, 'viewport'>('viewport') },
    }) as unknown as (props: Record<string, unknown>) => void;
  }

  /** Uploads dirty slots (subimage per contiguous run). */
  upload(range: ColorRange): void {
    const ring = this.ring;
    if (!this.floatTextures) {
      const key = `${range.lo}:${range.hi}:${range.signed}:${range.log}`;
      if (key !== this.lastRangeKey) {
        this.lastRangeKey = key;
        ring.markAllDirty();
      }
    }
    const rowLen = ring.rows * 2;
    for (const [slot, count] of ring.takeDirtyRuns()) {
      const src = ring.value.subarray(slot * rowLen, (slot + count) * rowLen);
      let data: Float32Array | Uint8Array = src;
      if (!this.floatTextures) {
        if (!this.byteScratch) this.byteScratch = new Uint8Array(ring.value.length);
        data = this.byteScratch.subarray(0, src.length);
        for (let i = 0; i < src.length; i += 2) {
          data[i] = Math.round(normalise(src[i], range) * 255);
          data[i + 1] = Math.min(255, src[i + 1]);
        }
      }
      this.cells.subimage({ data, width: ring.rows, height: count, format: 'luminance alpha', type: this.floatTextures ? 'float' : 'uint8' }, 0, slot);
    }
    ring.takeOwnerDirty();
  }

  render(plot: PlotRect, canvasHeight: number, dpr: number, view: View, nowW: number, range: ColorRange): void {
    const r = this.regl;
    r.poll();
    r.clear({ color: [...rgb(COLORS.bg), 1], depth: 1 });
    const viewport = {
      x: Math.round(plot.x * dpr),
      y: Math.round(canvasHeight - (plot.y + plot.h) * dpr),
      width: Math.max(1, Math.round(plot.w * dpr)),
      height: Math.max(1, Math.round(plot.h * dpr)),
    };
    const common = {
      palette: range.signed ? this.palettes.diverging : this.palettes.sequential,
      nowW,
      range: [range.lo, range.hi, range.signed ? 1 : 0, range.log ? 1 : 0],
    };
    // Zoomed in (fewer cells than pixels, the usual case): colour each visible cell once into a
    // small image, then stretch it over the plot with a one-fetch blit. Software GL pays per
    // fragment, so this cuts the heavy shader from ~2 M fragments at 1080p to cols × rows.
    const c0 = Math.floor(view.t0);
    const cols = Math.ceil(view.t1) - c0;
    const r0 = Math.floor(view.p0 + 0.5);
    const rows = Math.floor(view.p1 + 0.5) - r0 + 1;
    if (cols > 0 && rows > 0 && cols <= viewport.width && rows <= viewport.height) {
      if (this.fboSize[0] !== viewport.width || this.fboSize[1] !== viewport.height) {
        this.cellFbo.resize(viewport.width, viewport.height);
        this.fboSize = [viewport.width, viewport.height];
      }
      this.draw({
        ...common,
        framebuffer: this.cellFbo,
        view: [c0, c0 + cols, r0 - 0.5, r0 - 0.5 + rows],
        viewport: { x: 0, y: 0, width: cols, height: rows },
      });
      this.blit({ view: [view.t0, view.t1, view.p0, view.p1], grid: [c0, r0 - 0.5, this.fboSize[0], this.fboSize[1]], viewport });
    } else {
      this.draw({ ...common, framebuffer: null, view: [view.t0, view.t1, view.p0, view.p1], viewport });
    }
    // Flush so timing marks measure GPU submission, not deferred work.
    r._gl.flush();
  }

  destroy(): void {
    this.regl.destroy();
  }
}
