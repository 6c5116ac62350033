import { useStore } from 'zustand';
import { FORECAST_FAMILY_INFO } from '../../contracts/forecast';
import { formatClock } from '../data/exchangeTime';
import { msOfIndex, priceDecimals } from '../data/sessionGeom';
import { engine } from '../engine/client';
import { plotRect } from '../render/overlay';
import { chartStore } from '../state/chartStore';
import { forecastStore } from './forecastStore';
import { horizonAtX, marginBox } from './marginGeometry';

// The tooltip over the prediction margin: the horizon under the pointer, the predicted price
// and move, the band, the family's confidence (and P(up) where it gives one) and the inputs
// that drove the forecast made at the playhead window.

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 1 : a >= 1 ? 3 : 4);
}

export function ForecastTooltip() {
  const hover = useStore(chartStore, (s) => s.hover);
  useStore(chartStore, (s) => s.dataVersion);
  const fs = useStore(forecastStore);
  const st = chartStore.getState();
  if (!fs.enabled || !hover || !st.geom || st.nowIndex === null) return null;
  const host = document.querySelector('.chart') as HTMLElement | null;
  const plot = plotRect(host?.clientWidth ?? 1000, host?.clientHeight ?? 800);
  const box = marginBox(st.view, plot, st.nowIndex);
  const h = box ? horizonAtX(box, hover.x) : null;
  if (!box || h === null) return null;
  const path = engine.forecast.pathAt(st.nowIndex);
  const g = st.geom;
  const tick = Number(g.tickInt) / 1e9;
  const dec = priceDecimals(g);
  const p = path?.points.find((q) => q.horizonS === h);
  const inputs = engine.forecast.inputsAt(st.nowIndex);
  const ms = msOfIndex(g, st.nowIndex + h);
  const hostH = host?.clientHeight ?? 800;
  // The margin is at the plot's right edge: the tooltip opens to the left of the pointer.
  const left = Math.max(4, hover.x - 318);
  const top = Math.max(4, Math.min(hostH - 330, hover.y - 40));
  const move = p && path ? p.predictedTick - path.spotTick : NaN;
  return (
    <div className="tooltip" data-testid="forecast-tooltip" style={{ left, top }}>
      <div className="tt-head">
        <span data-testid="ft-horizon">+{h} s · {formatClock(ms, g.info.timeZone)}</span>
        <span className="tt-price" data-testid="ft-price">{p ? (p.predictedTick * tick).toFixed(dec) : '—'}</span>
      </div>
      <div className="tt-sub">
        forecast made at {formatClock(msOfIndex(g, st.nowIndex), g.info.timeZone)} · <b>{FORECAST_FAMILY_INFO[fs.family].label}</b>
      </div>
      {!p && <div className="tt-loading">no forecast held for this window</div>}
      {p && path && (
        <table className="tt-table">
          <tbody>
            <tr>
              <td>Move from spot</td>
              <td data-testid="ft-move">
                {p.direction > 0 ? '▲' : p.direction < 0 ? '▼' : '■'} {move > 0 ? '+' : ''}
                {move.toFixed(2)} ticks
              </td>
            </tr>
            <tr>
              <td>Band</td>
              <td>
                {(Math.min(p.bandLoTick, p.bandHiTick) * tick).toFixed(dec)} – {(Math.max(p.bandLoTick, p.bandHiTick) * tick).toFixed(dec)}
              </td>
            </tr>
            <tr>
              <td>Confidence</td>
              <td data-testid="ft-confidence">{fmt(p.confidence)}</td>
            </tr>
            {Number.isFinite(p.probUp) && (
              <tr>
                <td>P(up)</td>
                <td>{p.probUp.toFixed(3)}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {p && (
        <>
          <div className="tt-sub" style={{ marginTop: 6 }}>Inputs</div>
          {inputs && inputs.length > 0 ? (
            <table className="tt-table" data-testid="ft-inputs">
              <tbody>
                {inputs.map(([name, value]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>{fmt(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className="tt-loading">inputs arrive with the playhead’s frame</div>
          )}
        </>
      )}
    </div>
  );
}
