import { FIELD_INFO } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { perf, record } from '../engine/perf';
import { marginBox } from '../forecast/marginGeometry';
import { chartStore, type ChartState } from '../state/chartStore';
import { COLORS } from './heatmap';
import { drawOverlay, plotRect } from './overlay';

// Render on demand: a store change or a resize schedules one animation frame; nothing runs
// while nothing changes (no GPU work and no rAF while paused). Seeks: while the slabs of a
// seek's view are on their way the last picture stays (drawing the empty view would keep
// software GL busy and delay the slab); the slab that completes the view is drawn at once,
// right after the message that brought it, without waiting for the next animation frame.
// What is drawn is the engine client's list of layers (layers/registry.ts), in order: GPU
// layers (the heatmap) first, then the axes, and each visible layer's marks between the grid
// and the spot line.

export interface RenderTarget {
  gl: HTMLCanvasElement;
  /** The plot-sized clip the heatmap canvas is stretched inside. */
  clip: HTMLElement;
  overlay: HTMLCanvasElement;
  host: HTMLElement;
}

export function startRenderLoop(t: RenderTarget): () => void {
  let scheduled = 0;
  let drawSoon = false;
  let holdTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let cssW = 0;
  let cssH = 0;
  let dpr = 1;
  const ctx = t.overlay.getContext('2d')!;

  const draw = () => {
    if (scheduled) cancelAnimationFrame(scheduled);
    scheduled = 0;
    const st: ChartState = chartStore.getState();
    const start = performance.now();
    if (!st.geom || !st.data || st.nowIndex === null) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, t.overlay.width, t.overlay.height);
      engine.heatmap.clearGpu();
      return;
    }
    const hold = engine.drawHoldMs();
    if (hold > 0) {
      perf.heldDraws++;
      holdUntil(hold);
      return;
    }
    const plot = plotRect(cssW, cssH);
    const layers = engine.layers.visible(st);
    for (const layer of layers) layer.drawGpu?.({ canvas: t.gl, plot, dpr, st });
    drawOverlay(ctx, cssW, cssH, dpr, {
      geom: st.geom,
      view: st.view,
      nowIndex: st.nowIndex,
      spotRow: st.data.spotRow,
      bidRow: st.data.bidRow,
      askRow: st.data.askRow,
      hover: st.hover,
      fieldLabel: FIELD_INFO[st.field].label,
      showSpot: st.showSpot,
      margin: layers.some((l) => l.id === 'forecast') ? marginBox(st.view, plot, st.nowIndex) : null,
      drawMarks: (c, plotArea) => {
        for (const layer of layers) layer.drawMarks?.({ ctx: c, plot: plotArea, st });
      },
    });
    perf.draws++;
    record(perf.draw, performance.now() - start);
    engine.afterDraw();
  };

  /** Draw again when the seek's hold ends (if its slab has not ended it first). */
  const holdUntil = (ms: number) => {
    if (holdTimer) return;
    holdTimer = setTimeout(() => {
      holdTimer = null;
      request();
    }, ms + 1);
  };

  const request = () => {
    if (engine.seekReady()) {
      // After the rest of this task's store updates (range, recentre), not a frame later.
      if (!drawSoon) {
        drawSoon = true;
        queueMicrotask(() => {
          drawSoon = false;
          if (!stopped) draw();
        });
      }
      return;
    }
    const hold = engine.drawHoldMs();
    if (hold > 0) {
      holdUntil(hold);
      return;
    }
    if (!scheduled) scheduled = requestAnimationFrame(draw);
  };

  const resize = () => {
    const r = t.host.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    cssW = Math.max(1, Math.floor(r.width));
    cssH = Math.max(1, Math.floor(r.height));
    const c = t.overlay;
    c.width = Math.round(cssW * dpr);
    c.height = Math.round(cssH * dpr);
    c.style.width = `${cssW}px`;
    c.style.height = `${cssH}px`;
    // The heatmap canvas sizes itself (cellLayout); its clip is the plot rectangle.
    const plot = plotRect(cssW, cssH);
    Object.assign(t.clip.style, { left: `${plot.x}px`, top: `${plot.y}px`, width: `${plot.w}px`, height: `${plot.h}px` });
    request();
  };
  const ro = new ResizeObserver(resize);
  ro.observe(t.host);
  resize();
  const unsub = chartStore.subscribe(request);
  t.host.style.background = COLORS.bg;
  return () => {
    stopped = true;
    unsub();
    ro.disconnect();
    if (scheduled) cancelAnimationFrame(scheduled);
    if (holdTimer) clearTimeout(holdTimer);
    for (const layer of engine.layers.list()) layer.detach?.();
  };
}
