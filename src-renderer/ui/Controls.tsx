import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Speed } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { formatClock, formatDate, instantOfClockInRange, parseClock } from '../data/exchangeTime';
import { msOfIndex } from '../data/sessionGeom';
import { chartStore } from '../state/chartStore';
import { pushAlert, useUi } from '../state/uiStore';

// Playback controls: play/pause, step ±1 s, speed, skip ±N minutes, jump to a clock time,
// and the playhead clock (updated imperatively; it changes every frame).

export const SPEEDS: Speed[] = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 'max'];

export function speedLabel(s: Speed): string {
  return s === 'max' ? 'max' : `${s}×`;
}

export function togglePlay(): void {
  const st = chartStore.getState();
  if (!st.geom) return;
  engine.send({ kind: st.playback === 'playing' ? 'pause' : 'play' });
}

export function shiftSpeed(dir: 1 | -1): void {
  const cur = chartStore.getState().speed;
  const i = SPEEDS.indexOf(cur);
  const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + dir))];
  engine.send({ kind: 'set_speed', speed: next });
}

/** Jump to "HH:MM[:SS]" exchange time within the session; false when it is not in it. */
export function jumpToClock(text: string): boolean {
  const g = chartStore.getState().geom;
  const sec = parseClock(text);
  if (!g || sec === null) return false;
  const ms = instantOfClockInRange(sec, g.firstMs - 1000, msOfIndex(g, g.windowCount - 1), g.info.timeZone);
  if (ms === null) return false;
  engine.seekIndex(Math.max(0, Math.round((ms - g.firstMs) / 1000)));
  return true;
}

function Icon({ d, fill }: { d: string; fill?: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <path d={d} fill={fill ? 'currentColor' : 'currentColor'} stroke="currentColor" strokeWidth={fill ? 0 : 1.4} strokeLinejoin="round" />
    </svg>
  );
}


/** The build under a growing session: how far it is, and Cancel (the chart stays usable). */
function BuildProgress() {
  const build = useUi((s) => s.build);
  const built = useStore(chartStore, (s) => s.built);
  const following = useStore(chartStore, (s) => s.followBuild);
  if (!build || built === null) return null;
  const pct = Math.min(100, (build.progress?.fraction ?? 0) * 100);
  const eta = build.progress?.etaSec;
  return (
    <span className="build-progress" data-testid="build-progress" style={{ display: 'inline-flex', alignItems: 'center', gap: 6, marginLeft: 8 }} title={`Building ${build.path.split(/[\\/]/).pop()}: the chart shows what is built so far`}>
      <span className="build-label" style={{ color: 'var(--warn)' }}>Building</span>
      <span className="bar build-bar" style={{ display: 'inline-block', width: 120 }}>
        <span className="fill" style={{ display: 'block', width: `${pct}%` }} />
      </span>
      <span className="build-pct" data-testid="build-pct" style={{ fontFamily: 'monospace', fontSize: 11, minWidth: 64 }}>
        {pct.toFixed(0)} %{eta != null && Number.isFinite(eta) ? ` · ${Math.ceil(eta)} s` : ''}
      </span>
      <button
        className={following ? 'btn active' : 'btn'}
        data-testid="follow-build"
        aria-pressed={following}
        style={following ? { borderColor: 'var(--accent)', color: 'var(--accent)' } : undefined}
        title="Show the newest window built and follow the build as it grows"
        onClick={() => engine.followBuild()}
      >
        Live edge
      </button>
      <button className="btn" data-testid="cancel-build" title="Cancel the build (the session it shows closes)" onClick={() => engine.send({ kind: 'cancel_ingest' })}>
        Cancel
      </button>
    </span>
  );
}

export function Controls() {
  const playback = useStore(chartStore, (s) => s.playback);
  const speed = useStore(chartStore, (s) => s.speed);
  const hasSession = useStore(chartStore, (s) => s.geom !== null);
  const clock = useRef<HTMLSpanElement>(null);
  const [jump, setJump] = useState('');
  const [skipMin, setSkipMin] = useState(5);
  const connection = useUi((s) => s.connection);
  const session = useUi((s) => s.session);
  const cacheHit = useUi((s) => s.cacheHit);
  const geom = useStore(chartStore, (s) => s.geom);
  // A new session starts with an empty jump box (an old time means nothing in another day).
  useEffect(() => setJump(''), [geom]);

  useEffect(() => {
    const paint = () => {
      const st = chartStore.getState();
      if (!clock.current) return;
      if (!st.geom || st.nowIndex === null) {
        clock.current.textContent = '--:--:--';
        clock.current.title = '';
        return;
      }
      const ms = msOfIndex(st.geom, st.nowIndex);
      clock.current.textContent = formatClock(ms, st.geom.info.timeZone);
      clock.current.title = `${formatDate(ms, st.geom.info.timeZone)} ${st.geom.info.timeZone}`;
    };
    paint();
    return chartStore.subscribe((s, p) => {
      if (s.nowIndex !== p.nowIndex || s.geom !== p.geom) paint();
    });
  }, []);

  const playing = playback === 'playing';
  return (
    <div className="controls">
      <button className="btn icon" title="Step back 1 s (←)" disabled={!hasSession} onClick={() => engine.send({ kind: 'step', seconds: -1 })}>
        <Icon d="M11 3 5 8l6 5V3ZM4 3v10" />
      </button>
      <button className="btn play" data-testid="play" title="Play / pause (Space)" disabled={!hasSession} onClick={togglePlay}>
        {playing ? <Icon d="M5 3h2v10H5zM9 3h2v10H9z" fill /> : <Icon d="M5 3l8 5-8 5V3Z" fill />}
      </button>
      <button className="btn icon" title="Step forward 1 s (→)" disabled={!hasSession} onClick={() => engine.send({ kind: 'step', seconds: 1 })}>
        <Icon d="M5 3l6 5-6 5V3Zm7 0v10" />
      </button>
      <span className="clock" data-testid="clock" ref={clock}>
        --:--:--
      </span>
      <span className={`state state-${playback}`} data-testid="playback-state">
        {playback}
      </span>
      <label className="field-label">
        Speed
        <select
          data-testid="speed"
          value={String(speed)}
          disabled={!hasSession}
          onChange={(e) => engine.send({ kind: 'set_speed', speed: e.target.value === 'max' ? 'max' : Number(e.target.value) })}
        >
          {SPEEDS.map((s) => (
            <option key={String(s)} value={String(s)}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <span className="sep" />
      <button className="btn" disabled={!hasSession} title={`Back ${skipMin} min`} onClick={() => engine.send({ kind: 'skip', minutes: -skipMin })}>
        −{skipMin}m
      </button>
      <input className="num" type="number" min={1} max={600} value={skipMin} aria-label="Skip minutes" onChange={(e) => setSkipMin(Math.max(1, Number(e.target.value) || 1))} />
      <button className="btn" disabled={!hasSession} title={`Forward ${skipMin} min`} onClick={() => engine.send({ kind: 'skip', minutes: skipMin })}>
        +{skipMin}m
      </button>
      <span className="sep" />
      <form
        className="jump"
        onSubmit={(e) => {
          e.preventDefault();
          // After a jump the keyboard goes back to the chart (Space plays, ← → step), not into the box.
          if (jumpToClock(jump)) (document.activeElement as HTMLElement | null)?.blur();
          else {
            pushAlert({ severity: 'warning', code: 'ui.bad_time', message: `“${jump}” is not a time in this session.`, hint: 'Type an exchange-local time as HH:MM or HH:MM:SS.' });
          }
        }}
      >
        <input data-testid="jump-input" placeholder="HH:MM:SS" value={jump} disabled={!hasSession} onChange={(e) => setJump(e.target.value)} aria-label="Jump to time" />
        <button className="btn" type="submit" data-testid="jump-go" disabled={!hasSession}>
          Go
        </button>
      </form>
      <BuildProgress />
      {/* What is open and the engine's connection, at the right of the transport bar like a
          status bar (the chart's legend names the symbol too): the toolbar keeps one row at 1920 px. */}
      <span className="grow" />
      {session && (
        <span className="session" data-testid="session-label" title={session.sourcePath}>
          {session.symbol}
          {session.isDemo ? ' · demo' : ''}
          {cacheHit ? ' · cached' : ''}
        </span>
      )}
      <span className={`conn conn-${connection}`} title={`Engine ${connection}`}>
        <i /> {connection === 'open' ? 'engine' : connection}
      </span>
    </div>
  );
}
