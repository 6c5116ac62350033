import { useEffect, useRef } from 'react';
import { engine } from '../engine/client';
import { pan, zoomPrice, zoomTime } from '../data/viewMath';
import { chartStore } from '../state/chartStore';
import { plotRect } from '../render/overlay';
import { startRenderLoop } from '../render/renderLoop';

// Hosts the two canvases (regl heatmap below, clipped to the plot; Canvas 2D overlay above) and turns the mouse
// into view changes: wheel zooms time (over the price axis, or with Shift: price), drag pans
// time and price, double-click returns to following "now".

let loadTimer: ReturnType<typeof setTimeout> | null = null;
function afterViewChange(): void {
  if (loadTimer) return;
  loadTimer = setTimeout(() => {
    loadTimer = null;
    engine.ensureVisibleLoaded();
    engine.refreshRange();
  }, 60);
}

export function Chart() {
  const host = useRef<HTMLDivElement>(null);
  const gl = useRef<HTMLCanvasElement>(null);
  const clip = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);

  useEffect(() => startRenderLoop({ host: host.current!, gl: gl.current!, clip: clip.current!, overlay: overlay.current! }), []);

  useEffect(() => {
    const el = host.current!;
    let drag: { x: number; y: number } | null = null;

    const toData = (cx: number, cy: number) => {
      const r = el.getBoundingClientRect();
      const x = cx - r.left;
      const y = cy - r.top;
      const plot = plotRect(r.width, r.height);
      const v = chartStore.getState().view;
      const t = v.t0 + ((x - plot.x) / plot.w) * (v.t1 - v.t0);
      const p = v.p0 + ((plot.y + plot.h - y) / plot.h) * (v.p1 - v.p0);
      return { x, y, t, p, plot, inPlot: x >= plot.x && x < plot.x + plot.w && y >= plot.y && y < plot.y + plot.h, onPriceAxis: x >= plot.x + plot.w };
    };

    const onMove = (e: PointerEvent) => {
      const st = chartStore.getState();
      if (!st.geom) return;
      const d = toData(e.clientX, e.clientY);
      if (drag) {
        const v = st.view;
        const dt = -((e.clientX - drag.x) / d.plot.w) * (v.t1 - v.t0);
        const dp = ((e.clientY - drag.y) / d.plot.h) * (v.p1 - v.p0);
        drag = { x: e.clientX, y: e.clientY };
        chartStore.setState({ view: pan(v, dt, dp), follow: st.follow && Math.abs(dt) < 1e-9, hover: null });
        afterViewChange();
        return;
      }
      chartStore.setState({ hover: d.inPlot ? { x: d.x, y: d.y, windowIndex: Math.floor(d.t) + 1, row: Math.round(d.p) } : null });
    };
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY };
      el.setPointerCapture(e.pointerId);
      el.classList.add('dragging');
    };
    const onUp = (e: PointerEvent) => {
      drag = null;
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
      el.classList.remove('dragging');
    };
    const onLeave = () => {
      if (!drag) chartStore.setState({ hover: null });
    };
    const onWheel = (e: WheelEvent) => {
      const st = chartStore.getState();
      if (!st.geom) return;
      e.preventDefault();
      const d = toData(e.clientX, e.clientY);
      const factor = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 300) * 0.0025);
      if (d.onPriceAxis || e.shiftKey) {
        chartStore.setState({ view: zoomPrice(st.view, d.p, factor, st.geom.nPrices) });
      } else {
        // Following keeps "now" pinned at the margin; otherwise zoom about the cursor.
        const anchor = st.follow && st.nowIndex !== null ? st.nowIndex : d.t;
        chartStore.setState({ view: zoomTime(st.view, anchor, factor) });
      }
      afterViewChange();
    };
    const onDbl = () => {
      const st = chartStore.getState();
      chartStore.setState({ follow: true });
      if (st.nowIndex !== null) {
        const span = st.view.t1 - st.view.t0;
        chartStore.setState({ view: { ...st.view, t1: st.nowIndex + span * 0.12, t0: st.nowIndex + span * 0.12 - span } });
      }
      engine.recentre();
      afterViewChange();
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('dblclick', onDbl);
    return () => {
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointerleave', onLeave);
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('dblclick', onDbl);
    };
  }, []);

  return (
    <div className="chart" ref={host} data-testid="chart">
      <div ref={clip} className="chart-clip">
        <canvas ref={gl} className="chart-gl" data-testid="heatmap-canvas" />
      </div>
      <canvas ref={overlay} className="chart-overlay" />
    </div>
  );
}
