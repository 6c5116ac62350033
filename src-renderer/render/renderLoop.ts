import { FIELD_INFO } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { perf, record } from '../engine/perf';
import { chartStore, type ChartData, type ChartState } from '../state/chartStore';
import { COLORS, Heatmap } from './heatmap';
import { drawOverlay, plotRect } from './overlay';
import { drawTradeBubbles, drawWallsVoids, tradeBubbles, wallVoidMarkers } from './overlayMarks';

// Render on demand: a store change or a resize schedules one animation frame; nothing runs
// while nothing changes (no GPU work and no rAF while paused).

export interface RenderTarget {
  gl: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
  host: HTMLElement;
}

export function startRenderLoop(t: RenderTarget): () => void {
  let heatmap: Heatmap | null = null;
  let heatmapData: ChartData | null = null;
  let scheduled = 0;
  let cssW = 0;
  let cssH = 0;
  let dpr = 1;
  const ctx = t.overlay.getContext('2d')!;

  const draw = () => {
    scheduled = 0;
    const st: ChartState = chartStore.getState();
    const start = performance.now();
    if (!st.geom || !st.data || st.nowIndex === null) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, t.overlay.width, t.overlay.height);
      if (heatmap) heatmap.regl.clear({ color: [12 / 255, 15 / 255, 20 / 255, 1], depth: 1 });
      return;
    }
    if (heatmapData !== st.data) {
      heatmap?.destroy();
      heatmap = new Heatmap(t.gl, st.data.ring);
      heatmapData = st.data;
      perf.textureFormat = heatmap.floatTextures ? 'float' : 'uint8';
    }
    const plot = plotRect(cssW, cssH);
    const u0 = performance.now();
    heatmap!.upload(st.range);
    record(perf.upload, performance.now() - u0);
    heatmap!.render(plot, t.gl.height, dpr, st.view, st.nowIndex, st.range);
    drawOverlay(ctx, cssW, cssH, dpr, {
      geom: st.geom,
      view: st.view,
      nowIndex: st.nowIndex,
      spotRow: st.data.spotRow,
      hover: st.hover,
      fieldLabel: FIELD_INFO[st.field].label,
      showSpot: st.showSpot,
      drawMarks: (c, plotArea) => {
        const data = st.data!;
        // Walls over bubbles: the thin bars near spot stay visible where trading is busiest.
        if (st.showTrades && data.trades.size) drawTradeBubbles(c, tradeBubbles(data.trades.values(), st.view, plotArea, st.nowIndex!));
        if (st.showWalls && data.wallsVoids.size) drawWallsVoids(c, wallVoidMarkers(data.wallsVoids.values(), st.view, plotArea, st.nowIndex!));
      },
    });
    perf.draws++;
    record(perf.draw, performance.now() - start);
    engine.afterDraw();
  };

  const request = () => {
    if (!scheduled) scheduled = requestAnimationFrame(draw);
  };

  const resize = () => {
    const r = t.host.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    cssW = Math.max(1, Math.floor(r.width));
    cssH = Math.max(1, Math.floor(r.height));
    for (const c of [t.gl, t.overlay]) {
      c.width = Math.round(cssW * dpr);
      c.height = Math.round(cssH * dpr);
      c.style.width = `${cssW}px`;
      c.style.height = `${cssH}px`;
    }
    request();
  };
  const ro = new ResizeObserver(resize);
  ro.observe(t.host);
  resize();
  const unsub = chartStore.subscribe(request);
  t.gl.style.background = COLORS.bg;
  return () => {
    unsub();
    ro.disconnect();
    if (scheduled) cancelAnimationFrame(scheduled);
    heatmap?.destroy();
  };
}
