import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { FIELD_INFO, HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { frameValueAt } from '../data/decode';
import { tradesAt, wallsVoidsAt } from '../data/overlayData';
import { formatClock, formatDate } from '../data/exchangeTime';
import { msOfIndex, priceDecimals, priceOfRow, rowOfPrice, type SessionGeom } from '../data/sessionGeom';
import { CHUNK, chartStore, type ChartData } from '../state/chartStore';
import { useUi } from '../state/uiStore';
import { fieldGloss } from '../data/fieldGlossary';
import { formatValue } from '../data/formatValue';
import { currentPlot, hoveredCell } from '../state/viewActions';

// Crosshair tooltip, compact: time, price, ticks from spot, the selected field with its unit,
// the resting size at the level and a few key fields; D shows every gold field. Values come
// from a held live frame when there is one, otherwise from a one-window all-field slab.

type Values = Map<HeatmapField, number | null> | 'loading' | null;

function cellValues(g: SessionGeom, data: ChartData, wi: number, row: number, mayFetch: boolean): Values {
  const priceInt = g.priceMinInt + BigInt(row) * g.tickInt;
  const frame = data.frames.get(wi);
  const out = new Map<HeatmapField, number | null>();
  if (frame) {
    for (const f of HEATMAP_FIELDS) out.set(f, frameValueAt(frame, f, priceInt));
    return out;
  }
  const held = data.cellSlabs.get(wi);
  // Ask the engine only once the pointer rests on a window: sweeping across a hundred columns
  // must not queue a hundred DuckDB queries in front of the chart's own history requests.
  const slab = held ?? (mayFetch ? engine.cellValues(wi) : 'pending');
  if (slab === undefined) return null;
  if (slab === 'pending') return 'loading';
  const pi = rowOfPrice(g, priceInt) - rowOfPrice(g, slab.priceMinInt);
  for (const f of HEATMAP_FIELDS) {
    const col = slab.fields.get(f);
    out.set(f, col && pi >= 0 && pi < slab.nPrices ? col[pi] : null);
  }
  return out;
}

function fmt(v: number | null, scale?: number): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return formatValue(v, scale);
}

/** Key fields shown under the selected one (the full list with D). */
const KEY_FIELDS: HeatmapField[] = ['liquidity_velocity', 'pull_intensity', 'fill_intensity'];

/** Resting size at the level in lots: ρ = log1p(depth). */
function restingLots(values: Map<HeatmapField, number | null>): number | null {
  const rho = values.get('rho');
  return rho === null || rho === undefined || !Number.isFinite(rho) ? null : Math.round(Math.expm1(rho));
}

const REST_MS = 120;

export function Tooltip() {
  // The cell is derived from (pointer, view, plot) on every render: any of them changing
  // (a wheel zoom, play, a seek under a still mouse) re-renders with the cell now under it.
  const pointer = useStore(chartStore, (s) => s.hover);
  useStore(chartStore, (s) => s.view);
  useStore(chartStore, (s) => s.size);
  useStore(chartStore, (s) => s.nowIndex);
  useStore(chartStore, (s) => s.dataVersion);
  const cell = hoveredCell();
  const [restingOn, setRestingOn] = useState<number | null>(null);
  const hoverWi = cell?.windowIndex ?? null;
  useEffect(() => {
    setRestingOn(null);
    if (hoverWi === null) return;
    const t = setTimeout(() => setRestingOn(hoverWi), REST_MS);
    return () => clearTimeout(t);
  }, [hoverWi]);
  const showAll = useUi((u) => u.tooltipAllFields);
  // The box's real height (its rows vary: walls, trades, all fields), measured after each
  // render, so it is placed inside the plot and never over the axes' tags.
  const boxRef = useRef<HTMLDivElement>(null);
  const [boxH, setBoxH] = useState(0);
  useLayoutEffect(() => {
    const hNow = boxRef.current?.offsetHeight ?? 0;
    if (hNow && Math.abs(hNow - boxH) > 1) setBoxH(hNow);
  });
  const st = chartStore.getState();
  if (!pointer || !cell || !st.geom || !st.data || st.nowIndex === null) return null;
  const hover = { ...pointer, ...cell };
  const g = st.geom;
  const wi = hover.windowIndex;
  if (wi < 0 || wi > st.nowIndex || wi >= g.windowCount || hover.row < 0 || hover.row >= g.nPrices) return null;
  const spot = st.data.spotRow[wi];
  const rel = Number.isFinite(spot) ? Math.round(hover.row - spot) : null;
  const values = cellValues(g, st.data, wi, hover.row, restingOn === wi);
  const ms = msOfIndex(g, wi);
  const chunk = Math.floor(wi / CHUNK);
  const levels = st.showWalls ? wallsVoidsAt(st.data.wallsVoids.get(chunk), wi, hover.row) : [];
  const traded = st.showTrades ? tradesAt(st.data.trades.get(chunk), wi, hover.row) : null;
  const plot = currentPlot(st);
  const width = showAll ? 300 : 216;
  const height = boxH || (showAll ? 470 : 170);
  // Beside the pointer, never under it and inside the plot: flip left near the price axis,
  // above the pointer near the time axis (it used to hang over the crosshair's time tag).
  const left = hover.x + 18 + width > plot.x + plot.w ? Math.max(4, hover.x - width - 18) : hover.x + 18;
  const below = hover.y + 16;
  const top = Math.max(plot.y + 4, below + height <= plot.y + plot.h - 4 ? below : Math.min(hover.y - 16 - height, plot.y + plot.h - 4 - height));
  const gloss = fieldGloss(st.field);
  const rows = showAll ? [...HEATMAP_FIELDS] : KEY_FIELDS.filter((f) => f !== st.field);
  return (
    <div className={`tooltip${showAll ? ' tt-all' : ''}`} data-testid="tooltip" ref={boxRef} style={{ left, top, width }}>
      <div className="tt-head">
        <span>{formatClock(ms, g.info.timeZone)}</span>
        <span className="tt-price">{priceOfRow(g, hover.row).toFixed(priceDecimals(g))}</span>
      </div>
      <div className="tt-sub">
        {formatDate(ms, g.info.timeZone)} · <b data-testid="tt-rel">{rel === null ? '—' : rel > 0 ? `+${rel}` : rel}</b> ticks from spot
      </div>
      {values === 'loading' && <div className="tt-loading">loading…</div>}
      {values instanceof Map && (
        <>
          <div className="tt-main">
            <span>{gloss.plain}</span>
            <b data-field={st.field} data-testid="tt-selected">{fmt(values.get(st.field) ?? null, Math.max(Math.abs(st.range.lo), Math.abs(st.range.hi)))}</b>
            {gloss.unit && <i>{gloss.unit}</i>}
          </div>
          <table className="tt-table">
            <tbody>
              {!showAll && (
                <tr>
                  <td>Resting size</td>
                  <td data-testid="tt-size">{restingLots(values) === null ? '—' : `${restingLots(values)} lots`}</td>
                </tr>
              )}
              {rows.map((f) => (
                <tr key={f} className={f === st.field ? 'sel' : ''}>
                  <td>{showAll ? FIELD_INFO[f].label : fieldGloss(f).plain}</td>
                  <td data-field={showAll || f !== st.field ? f : undefined}>{fmt(values.get(f) ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {levels.map((l) => (
        <div key={`${l.kind}${l.direction}${l.rank}`} className={`tt-mark tt-${l.kind}`} data-testid="tt-wall">
          {l.kind === 'wall' ? 'Wall' : 'Void'} {l.direction === 'above' ? '▲' : '▼'} #{l.rank} · strength <b>{fmt(l.strength)}</b>
        </div>
      ))}
      {traded && traded.buy + traded.sell + traded.other > 0 && (
        <div className="tt-mark" data-testid="tt-trades">
          Traded <b className="tt-buy">{traded.buy}</b> buy ({traded.buyCount}) · <b className="tt-sell">{traded.sell}</b> sell ({traded.sellCount})
          {traded.other > 0 ? ` · ${traded.other} other` : ''}
        </div>
      )}
      <div className="tt-foot">{showAll ? 'D: fewer fields' : 'D: all fields'}</div>
    </div>
  );
}
