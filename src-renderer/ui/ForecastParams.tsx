import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { engine } from '../engine/client';
import { forecastStore } from '../forecast/forecastStore';
import { checkDrafts, defaultsSet, enumValues, paramRows, rangeText } from './paramsForm';

// Forecast ▸ Parameters…: the forecast parameters (SPEC §4, contracts/params.ts; not the gold
// weights, which are baked into the stored build) with the values in force, edited in place and
// applied with `set_params`. The engine recomputes the session's forecasts over the stored
// feature rows and answers `params` (the margin refetches) or refuses with an alert, shown here.
// The popover hangs under the toolbar at the left, over old history, away from the margin
// right of now where the change is seen.

export function ForecastParams({ onClose }: { onClose: () => void }) {
  const fs = useStore(forecastStore);
  const rows = useMemo(() => paramRows(fs.params), [fs.params]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  // The values in force changed (applied, reset): the drafts now equal them, start afresh.
  useEffect(() => setDrafts({}), [fs.revision]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const { set, errors } = checkDrafts(rows, drafts);
  const changed = Object.keys(set).length;
  const invalid = Object.keys(errors).length;
  const edit = (name: string, text: string) => setDrafts((d) => ({ ...d, [name]: text }));

  return (
    <div className="params-pop" data-testid="forecast-params" role="dialog" aria-label="Forecast parameters">
      <div className="params-head">
        <b>Forecast parameters</b>
        <span className="params-rev" title="Revision of the parameters in force (grows with each change)">rev {fs.revision}</span>
        <button className="alert-x" title="Close (Esc)" data-testid="params-close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="params-list">
        {rows.map((r) => {
          const text = drafts[r.name] ?? r.current;
          const values = enumValues(r.spec);
          const err = errors[r.name];
          const title = `${r.spec.doc} — ${rangeText(r.spec)}; default ${r.byDefault}`;
          return (
            <label key={r.name} className={`params-row${text.trim() !== r.current ? ' edited' : ''}${err ? ' bad' : ''}`} title={title}>
              <span className="params-name">{r.name}</span>
              {values ? (
                <select data-testid={`param-${r.name}`} value={text} onChange={(e) => edit(r.name, e.target.value)}>
                  {values.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              ) : (
                <input data-testid={`param-${r.name}`} value={text} spellCheck={false} onChange={(e) => edit(r.name, e.target.value)} onKeyDown={(e) => e.key === 'Enter' && changed > 0 && invalid === 0 && engine.setParams(set)} />
              )}
              {err && <span className="params-err">{err}</span>}
            </label>
          );
        })}
      </div>
      {fs.paramsRefusal && (
        <div className="params-refusal" data-testid="params-refusal">
          <b>Refused:</b> {fs.paramsRefusal.message}
          {fs.paramsRefusal.hint && <div className="params-hint">{fs.paramsRefusal.hint}</div>}
        </div>
      )}
      <div className="params-foot">
        <span className="params-status">{fs.paramsPending ? 'Recomputing forecasts…' : invalid ? `${invalid} value${invalid > 1 ? 's' : ''} out of range` : changed ? `${changed} change${changed > 1 ? 's' : ''}` : 'No changes'}</span>
        <button className="btn" data-testid="params-reset" title="Put every forecast parameter back to its default (contracts/params.ts)" onClick={() => engine.setParams(defaultsSet())}>
          Reset to defaults
        </button>
        <button className="btn primary" data-testid="params-apply" disabled={changed === 0 || invalid > 0} onClick={() => engine.setParams(set)}>
          Apply
        </button>
      </div>
    </div>
  );
}
