import { useState } from 'react';
import { useStore } from 'zustand';
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { fieldGloss, fieldTitle } from '../data/fieldGlossary';
import { chartStore, setDisplayZone } from '../state/chartStore';
import { useUi } from '../state/uiStore';
import { Legend } from './Legend';
import { ForecastControls } from './ForecastControls';

// Top bar: product mark, Open file…, the field selector (every gold field by its meaning),
// log scale, the colour legend with its clipped range, and the engine connection.

const GROUPS: [string, HeatmapField[]][] = [
  ['Flow', ['liquidity_velocity', 'add_intensity', 'pull_intensity', 'fill_intensity']],
  ['State', ['rho', 'phi_rest', 'kappa', 'nu', 'u_wave_energy', 'pressure_grad']],
  ['Smoothed u', ['u_ema_2', 'u_ema_8', 'u_ema_32', 'u_ema_128', 'u_band_fast', 'u_band_mid', 'u_band_slow']],
  ['Derivatives', ['du_dt', 'd2u_dt2', 'du_dx', 'd2u_dx2', 'dnu_dx', 'd2nu_dx2']],
  ['Obstacles', ['wall_strength', 'void_strength']],
];
// Every field appears exactly once in the selector.
const grouped = new Set(GROUPS.flatMap(([, f]) => f));
const ungrouped = HEATMAP_FIELDS.filter((f) => !grouped.has(f));

export interface SessionWindowChoice {
  date?: string;
  start?: string;
  end?: string;
  tz?: string;
}

/** Build paces the open dialog offers: market seconds per wall second ('' = as fast as possible). */
export const BUILD_PACES: [string, string][] = [
  ['', 'As fast as possible'],
  ['1', 'As live (1×)'],
  ['10', 'As live, 10×'],
  ['60', 'As live, 60× (a minute a second)'],
  ['300', 'As live, 300×'],
];

export function openFile(path: string, session: SessionWindowChoice = {}, pace = ''): void {
  const p = path.trim();
  if (!p) return;
  // Only non-empty overrides go to the engine; the rest keep the instrument defaults.
  const opts = Object.fromEntries(Object.entries(session).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, v!.trim()]));
  engine.send({ kind: 'open_file', path: p, ...opts, ...(pace ? { pace: Number(pace) } : {}) });
  if (typeof window !== 'undefined') window.spymasterElectron?.fileOpened?.(p);
  useUi.setState({ openDialogVisible: false });
}

export async function openFileFromDialog(): Promise<void> {
  const api = window.spymasterElectron;
  if (api) {
    const path = await api.openFileDialog();
    if (path) openFile(path);
  } else {
    useUi.setState({ openDialogVisible: true });
  }
}

function OpenPathDialog() {
  const visible = useUi((s) => s.openDialogVisible);
  const demo = useUi((s) => s.demoAvailable);
  const [path, setPath] = useState('');
  const [sess, setSess] = useState<SessionWindowChoice>({});
  const [pace, setPace] = useState('');
  if (!visible) return null;
  const field = (k: keyof SessionWindowChoice, label: string, placeholder: string, width: number) => (
    <label className="small" style={{ width }}>
      {label}
      <input data-testid={`open-${k}`} value={sess[k] ?? ''} placeholder={placeholder} onChange={(e) => setSess({ ...sess, [k]: e.target.value })} />
    </label>
  );
  const close = () => useUi.setState({ openDialogVisible: false });
  return (
    <>
    <div className="scrim" onClick={close} />
    <div className="open-dialog" data-testid="open-dialog" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          openFile(path, sess, pace);
        }}
      >
        <label>
          <span>
            DBN file on the engine's machine (<code>.dbn</code> or <code>.dbn.zst</code>)
          </span>
          <input autoFocus data-testid="open-path" value={path} placeholder="/data/glbx-mdp3-20240102.mbo.dbn.zst" onChange={(e) => setPath(e.target.value)} />
        </label>
        <div className="session-row">
          {field('date', 'Session date', 'from the file', 120)}
          {field('start', 'Start', '09:30', 80)}
          {field('end', 'End', '10:30', 80)}
          {field('tz', 'Time zone', 'America/New_York', 170)}
        </div>
        <div className="session-row">
          {/* A paced build shows the session growing window by window, as a live feed would. */}
          <label className="small" style={{ width: 260 }} title="Build the file as if its events were arriving live: the heatmap grows window by window">
            Build pace
            <select data-testid="open-pace" value={pace} onChange={(e) => setPace(e.target.value)}>
              {BUILD_PACES.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row">
          {demo && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                engine.send({ kind: 'open_demo' });
                useUi.setState({ openDialogVisible: false });
              }}
            >
              Open demo session
            </button>
          )}
          <span className="grow" />
          <button type="button" className="btn" onClick={() => useUi.setState({ openDialogVisible: false })}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="open-submit">
            Open
          </button>
        </div>
      </form>
    </div>
    </>
  );
}

const ZONES: [string, string][] = [
  ['America/New_York', 'New York'],
  ['America/Chicago', 'Chicago (CME)'],
  ['Europe/London', 'London'],
  ['UTC', 'UTC'],
];
const zoneName = (z: string) => ZONES.find(([k]) => k === z)?.[1] ?? z;

export function Toolbar() {
  const zone = useStore(chartStore, (s) => s.displayZone);
  const field = useStore(chartStore, (s) => s.field);
  const log = useStore(chartStore, (s) => s.logScale);
  const spot = useStore(chartStore, (s) => s.showSpot);
  const walls = useStore(chartStore, (s) => s.showWalls);
  const trades = useStore(chartStore, (s) => s.showTrades);
  const profile = useStore(chartStore, (s) => s.showProfile);
  const session = useUi((s) => s.session);
  return (
    <header className="toolbar">
      <div className="brand">
        <span className="mark" />
        Spymaster
      </div>
      <button className="btn" data-testid="open-file" onClick={() => void openFileFromDialog()}>
        Open file…
      </button>
      <OpenPathDialog />
      <span className="sep" />
      <label className="field-label">
        Field
        <select data-testid="field-select" title={fieldGloss(field).description} value={field} onChange={(e) => engine.selectField(e.target.value as HeatmapField)}>
          {GROUPS.map(([name, fields]) => (
            <optgroup key={name} label={name}>
              {fields.map((f) => (
                <option key={f} value={f} title={fieldGloss(f).description}>
                  {fieldTitle(f)}
                </option>
              ))}
            </optgroup>
          ))}
          {ungrouped.map((f) => (
            <option key={f} value={f} title={fieldGloss(f).description}>
              {fieldTitle(f)}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" data-testid="log-scale" checked={log} onChange={(e) => engine.setLogScale(e.target.checked)} /> Log
      </label>
      <Legend />
      <label className="check" title="View ▸ overlays: spot line">
        <input type="checkbox" checked={spot} onChange={(e) => chartStore.setState({ showSpot: e.target.checked })} /> Spot
      </label>
      <label className="check" title="View ▸ overlays: nearest walls (blue bars) and voids (hollow lavender boxes) above and below spot, outlined dark so they read on any palette">
        <input type="checkbox" data-testid="overlay-walls" checked={walls} onChange={(e) => engine.setOverlay('walls_voids', e.target.checked)} /> Walls/voids
      </label>
      <label className="check" title="View ▸ overlays: trades sized by volume; green = buy aggressor, red = sell aggressor">
        <input type="checkbox" data-testid="overlay-trades" checked={trades} onChange={(e) => engine.setOverlay('trades', e.target.checked)} /> Trades
      </label>
      <label className="check" title="Volume profile of the visible time (green = buy aggressor, red = sell aggressor, ringed = most traded price) and the cumulative volume delta strip along the bottom">
        <input type="checkbox" data-testid="overlay-profile" checked={profile} onChange={(e) => engine.setProfile(e.target.checked)} /> Profile
      </label>
      <ForecastControls />
      <span className="grow" />
      {session && (
        <label className="field-label" title="Time zone of the axes and clocks">
          Time
          <select data-testid="time-zone" value={zone ?? ''} onChange={(e) => setDisplayZone(e.target.value || null, session.timeZone)}>
            <option value="">{zoneName(session.timeZone)} (session)</option>
            {ZONES.filter(([z]) => z !== session.timeZone).map(([z, name]) => (
              <option key={z} value={z}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
    </header>
  );
}
