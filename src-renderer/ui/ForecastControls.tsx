import { useCallback, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { FORECAST_FAMILIES, FORECAST_FAMILY_INFO, FORECAST_LABEL_HORIZONS_S, type ForecastFamily } from '../../contracts/forecast';
import { engine } from '../engine/client';
import { ForecastTooltip } from '../forecast/ForecastTooltip';
import { forecastStore, type ForecastSettings } from '../forecast/forecastStore';
import { ForecastParams } from './ForecastParams';

// Toolbar controls of the prediction margin: forecast on/off, the model (the two physics
// families and the baselines every model must beat), and past forecasts (a dotted path of
// what the model said h seconds before each time). The margin's tooltip is mounted over the
// chart from here, so the toolbar needs one line for the whole forecast UI.

/** Short names for the selector ("Particle", "Micro-price"); the full meaning is its title. */
const shortLabel = (f: ForecastFamily) => FORECAST_FAMILY_INFO[f].label.replace(/ \(.*\)$/, '');
const MODELS = FORECAST_FAMILIES.filter((f) => !FORECAST_FAMILY_INFO[f].baseline);
const BASELINES = FORECAST_FAMILIES.filter((f) => FORECAST_FAMILY_INFO[f].baseline);

function set(patch: Partial<ForecastSettings>): void {
  forecastStore.setState(patch);
  engine.forecastChanged();
}

/** View ▸ overlays ▸ forecast (Electron menu, `overlay` command with arg 'forecast'). */
export function toggleForecast(): void {
  set({ enabled: !forecastStore.getState().enabled });
}

export function ForecastControls() {
  const fs = useStore(forecastStore);
  const [stage, setStage] = useState<Element | null>(null);
  const [paramsOpen, setParamsOpen] = useState(false);
  const closeParams = useCallback(() => setParamsOpen(false), []);
  useEffect(() => setStage(document.querySelector('.stage')), []);
  return (
    <>
      <label className="check" title="The forecast in the margin right of now: predicted spot path, confidence band, moves at 1/5/10/30 s">
        <input type="checkbox" data-testid="forecast-toggle" checked={fs.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Forecast
      </label>
      <label className="field-label" title={FORECAST_FAMILY_INFO[fs.family].meaning}>
        <select data-testid="forecast-model" style={{ maxWidth: 130 }} value={fs.family} disabled={!fs.enabled} onChange={(e) => set({ family: e.target.value as ForecastFamily })}>
          {(
            [
              ['Models', MODELS],
              ['Baselines', BASELINES],
            ] as const
          ).map(([group, families]) => (
            <optgroup key={group} label={group}>
              {families.map((f) => (
                <option key={f} value={f} title={FORECAST_FAMILY_INFO[f].meaning}>
                  {shortLabel(f)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="check" title="Past forecasts: what the model predicted h seconds before each time (dotted), against the spot line">
        <input type="checkbox" data-testid="forecast-past" checked={fs.showPast} disabled={!fs.enabled} onChange={(e) => set({ showPast: e.target.checked })} /> Past
      </label>
      {fs.enabled && fs.showPast && (
        <select
          data-testid="forecast-past-h"
          value={fs.pastHorizonS}
          title="Horizon of the past-forecast path"
          onChange={(e) => set({ pastHorizonS: Number(e.target.value) as ForecastSettings['pastHorizonS'] })}
        >
          {FORECAST_LABEL_HORIZONS_S.map((h) => (
            <option key={h} value={h}>
              {h} s
            </option>
          ))}
        </select>
      )}
      <button className="btn" data-testid="forecast-params-open" aria-pressed={paramsOpen} aria-label="Forecast parameters…" title="Forecast parameters…: change one, apply, and the margin is recomputed" onClick={() => setParamsOpen((o) => !o)}>
        Params…
      </button>
      {stage && createPortal(<ForecastTooltip />, stage)}
      {stage && paramsOpen && createPortal(<ForecastParams onClose={closeParams} />, stage)}
    </>
  );
}
