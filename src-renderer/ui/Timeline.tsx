import { useEffect, useRef } from 'react';
import { engine } from '../engine/client';
import { formatClock } from '../data/exchangeTime';
import { msOfIndex } from '../data/sessionGeom';
import { timeStep } from '../data/viewMath';
import { CHUNK, chartStore } from '../state/chartStore';

// The whole session at a glance: hour ticks, loaded ranges (history held for the current
// field), the visible window, and a draggable playhead. Drawn imperatively from the store.
// A session still being built spans its whole session window: the part not built yet is
// hatched, and the playhead can be dragged only over what is built.

const H = 34;
const TRACK = '#1f2733';
const TRACK_EDGE = '#344050';

export function Timeline() {
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = ref.current!;
    const ctx = c.getContext('2d')!;
    let raf = 0;
    let dragIndex: number | null = null;

    const draw = () => {
      raf = 0;
      const st = chartStore.getState();
      const dpr = window.devicePixelRatio || 1;
      const w = c.clientWidth;
      if (c.width !== Math.round(w * dpr)) c.width = Math.round(w * dpr);
      if (c.height !== Math.round(H * dpr)) c.height = Math.round(H * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, H);
      // The whole session's track, visibly lighter than the footer (#11151c) and outlined: the
      // part not loaded yet was the footer's own colour, so a trader saw a bar ending at the
      // last loaded minute and labels running on past it.
      ctx.fillStyle = TRACK;
      ctx.fillRect(0, 6, w, 14);
      ctx.strokeStyle = TRACK_EDGE;
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 6.5, w - 1, 13);
      const g = st.geom;
      if (!g || !st.data) return;
      const n = g.windowCount;
      const xOf = (i: number) => (i / Math.max(1, n - 1)) * w;
      // Loaded ranges.
      const chunks = st.data.chunks.get(st.field);
      ctx.fillStyle = 'rgba(64, 224, 208, 0.28)';
      if (chunks) {
        // A chunk may be held in part (slabs cover only what was visible): draw the held span.
        for (const [k, state] of chunks) {
          if (state !== 'loaded') continue;
          let a = k * CHUNK;
          let b = Math.min(n - 1, (k + 1) * CHUNK - 1);
          while (a <= b && !st.data.ring.has(a)) a++;
          while (b >= a && !st.data.ring.has(b)) b--;
          if (a > b) continue;
          ctx.fillRect(xOf(a), 6, Math.max(1, xOf(Math.min(n - 1, b + 1)) - xOf(a)), 14);
        }
      }
      // Not built yet (a build still running): hatched, with the built edge marked.
      if (st.built !== null && st.built < n) {
        const xb = xOf(Math.max(0, st.built - 1));
        ctx.fillStyle = 'rgba(8, 10, 14, 0.72)';
        ctx.fillRect(xb, 6, w - xb, 14);
        ctx.strokeStyle = 'rgba(107, 119, 136, 0.45)';
        ctx.lineWidth = 1;
        ctx.save();
        ctx.beginPath();
        ctx.rect(xb, 6, w - xb, 14);
        ctx.clip();
        ctx.beginPath();
        for (let x = Math.floor(xb / 6) * 6; x < w + 14; x += 6) {
          ctx.moveTo(x - 14, 20);
          ctx.lineTo(x, 6);
        }
        ctx.stroke();
        ctx.restore();
        ctx.fillStyle = '#f0b429';
        ctx.fillRect(Math.round(xb), 4, 2, 18);
      }
      // Visible window.
      ctx.strokeStyle = 'rgba(226, 232, 240, 0.55)';
      ctx.lineWidth = 1;
      const v0 = xOf(Math.max(0, st.view.t0));
      const v1 = xOf(Math.min(n - 1, st.view.t1));
      ctx.strokeRect(Math.round(v0) + 0.5, 4.5, Math.max(2, v1 - v0), 17);
      // Hour ticks.
      const tz = g.info.timeZone;
      const step = timeStep(n / Math.max(1, w), 70);
      ctx.fillStyle = '#6b7788';
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.textAlign = 'center';
      const firstSec = Math.floor(g.firstMs / 1000);
      for (let s = Math.ceil(firstSec / step) * step; s <= firstSec + n; s += step) {
        const x = xOf(s - firstSec);
        ctx.fillRect(Math.round(x), 20, 1, 3);
        if (x > 18 && x < w - 18) ctx.fillText(formatClock(s * 1000, tz, false), x, 23);
      }
      // Playhead.
      const now = dragIndex ?? st.nowIndex;
      if (now !== null) {
        const x = Math.round(xOf(now));
        ctx.fillStyle = '#40e0d0';
        ctx.fillRect(x - 1, 2, 2, 20);
        ctx.beginPath();
        ctx.moveTo(x - 5, 1);
        ctx.lineTo(x + 5, 1);
        ctx.lineTo(x, 7);
        ctx.fill();
        if (dragIndex !== null) {
          const label = formatClock(msOfIndex(g, dragIndex), tz);
          ctx.font = '11px system-ui, sans-serif';
          const lw = ctx.measureText(label).width + 10;
          const lx = Math.max(0, Math.min(w - lw, x - lw / 2));
          ctx.fillStyle = '#e2e8f0';
          ctx.fillRect(lx, 22, lw, 12);
          ctx.fillStyle = '#0c0f14';
          ctx.textAlign = 'left';
          ctx.fillText(label, lx + 5, 23);
        }
      }
    };
    const request = () => {
      if (!raf) raf = requestAnimationFrame(draw);
    };

    const indexAt = (clientX: number) => {
      const g = chartStore.getState().geom;
      if (!g) return null;
      const r = c.getBoundingClientRect();
      const f = Math.max(0, Math.min(1, (clientX - r.left) / r.width));
      const built = chartStore.getState().built;
      return Math.min(Math.round(f * (g.windowCount - 1)), built === null ? Infinity : Math.max(0, built - 1));
    };
    let lastSeek = 0;
    const onDown = (e: PointerEvent) => {
      const i = indexAt(e.clientX);
      if (i === null) return;
      c.setPointerCapture(e.pointerId);
      dragIndex = i;
      request();
    };
    const onMove = (e: PointerEvent) => {
      if (dragIndex === null) return;
      dragIndex = indexAt(e.clientX);
      // Live scrubbing, throttled so the engine is not flooded with seeks.
      const t = performance.now();
      if (dragIndex !== null && t - lastSeek > 300) {
        lastSeek = t;
        engine.seekIndex(dragIndex);
      }
      request();
    };
    const onUp = (e: PointerEvent) => {
      if (dragIndex === null) return;
      const i = indexAt(e.clientX);
      dragIndex = null;
      if (c.hasPointerCapture(e.pointerId)) c.releasePointerCapture(e.pointerId);
      if (i !== null) engine.seekIndex(i);
      request();
    };
    c.addEventListener('pointerdown', onDown);
    c.addEventListener('pointermove', onMove);
    c.addEventListener('pointerup', onUp);
    const unsub = chartStore.subscribe((s, p) => {
      if (s.nowIndex !== p.nowIndex || s.view !== p.view || s.dataVersion !== p.dataVersion || s.geom !== p.geom || s.built !== p.built) request();
    });
    const ro = new ResizeObserver(request);
    ro.observe(c);
    request();
    return () => {
      unsub();
      ro.disconnect();
      if (raf) cancelAnimationFrame(raf);
    };
  }, []);

  return <canvas ref={ref} className="timeline" data-testid="timeline" />;
}
