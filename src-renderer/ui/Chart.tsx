import { useEffect, useRef } from 'react';
import { engine } from '../engine/client';
import { chartStore } from '../state/chartStore';
import { currentPlot, dataAtPoint, followNow, panByPixels, pointerMoved, setChartSize, zoomPriceAt, zoomTimeAt } from '../state/viewActions';
import { startRenderLoop } from '../render/renderLoop';

// Hosts the two canvases (regl heatmap below, clipped to the plot; Canvas 2D overlay above) and turns the mouse
// into the named view actions (state/viewActions.ts): wheel zooms time (over the price axis,
// or with Shift: price), drag pans time and price, double-click returns to following "now".
// The pointer is handed on in pixels; the cell under it is derived at draw time.

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
    const ro = new ResizeObserver(() => setChartSize(Math.floor(el.clientWidth), Math.floor(el.clientHeight)));
    ro.observe(el);
    setChartSize(Math.floor(el.clientWidth), Math.floor(el.clientHeight));

    const local = (e: MouseEvent) => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };

    const onMove = (e: PointerEvent) => {
      if (!chartStore.getState().geom) return;
      if (drag) {
        panByPixels(e.clientX - drag.x, e.clientY - drag.y);
        drag = { x: e.clientX, y: e.clientY };
        afterViewChange();
        return;
      }
      pointerMoved(local(e));
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
      if (!drag) pointerMoved(null);
    };
    const onWheel = (e: WheelEvent) => {
      const st = chartStore.getState();
      if (!st.geom) return;
      e.preventDefault();
      const p = local(e);
      const d = dataAtPoint(p, st);
      const factor = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 300) * 0.0025);
      const plot = currentPlot(st);
      if (p.x >= plot.x + plot.w || e.shiftKey) zoomPriceAt(d.p, factor);
      else zoomTimeAt(d.t, factor);
      pointerMoved(p);
      afterViewChange();
    };
    const onDbl = () => {
      followNow();
      afterViewChange();
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('dblclick', onDbl);
    return () => {
      ro.disconnect();
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
