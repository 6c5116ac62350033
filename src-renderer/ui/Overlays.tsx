import { useRef } from 'react';
import { useUi, dismissAlert } from '../state/uiStore';
import { nextShown, type ShownProgress } from '../data/ingestDisplay';
import { engine } from '../engine/client';

// Ingest progress (percentage, events/s, ETA, cancel) and typed alerts (message + hint).

function eta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  if (sec < 60) return `${Math.ceil(sec)} s`;
  return `${Math.floor(sec / 60)} min ${Math.ceil(sec % 60)} s`;
}

function rate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}

export function IngestOverlay() {
  const ingest = useUi((s) => s.ingest);
  const shown = useRef<{ path: string; s: ShownProgress } | null>(null);
  if (!ingest) {
    shown.current = null;
    return null;
  }
  const prev = shown.current?.path === ingest.path ? shown.current.s : null;
  const s = nextShown(prev, ingest.progress, performance.now());
  shown.current = { path: ingest.path, s };
  const p = ingest.progress;
  const pct = s.fraction * 100;
  const name = ingest.path.split(/[\\/]/).pop();
  return (
    <div className="ingest" data-testid="ingest-overlay">
      <div className="ingest-card">
        <div className="ingest-title">Ingesting {name}</div>
        <div className="ingest-stage" data-testid="ingest-stage">{s.stage}</div>
        <div className="bar">
          <div className="fill" style={{ width: `${pct}%` }} />
        </div>
        <div className="ingest-stats">
          <span data-testid="ingest-pct">{pct.toFixed(1)} %</span>
          <span>{p && p.eventsPerSec > 0 ? `${rate(p.eventsPerSec)} events/s` : ''}</span>
          <span>{p ? `${rate(p.events)} events` : ''}</span>
          <span>{s.etaSec === null ? (s.stage === 'starting' ? '' : 'ETA —') : `ETA ${eta(s.etaSec)}`}</span>
        </div>
        <button className="btn" data-testid="cancel-ingest" onClick={() => engine.send({ kind: 'cancel_ingest' })}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function UploadOverlay() {
  const up = useUi((s) => s.upload);
  if (!up) return null;
  const pct = up.total > 0 ? Math.min(100, (up.loaded / up.total) * 100) : 0;
  return (
    <div className="ingest" data-testid="upload-overlay">
      <div className="ingest-card">
        <div className="ingest-title">Uploading {up.name} to the engine</div>
        <div className="bar">
          <div className="fill" style={{ width: `${pct}%` }} />
        </div>
        <div className="ingest-stats">
          <span data-testid="upload-pct">{pct.toFixed(0)} %</span>
          <span>
            {rate(up.loaded)}B of {rate(up.total)}B
          </span>
        </div>
      </div>
    </div>
  );
}

export function Alerts() {
  const alerts = useUi((s) => s.alerts);
  return (
    <div className="alerts">
      {alerts.map(({ id, alert }) => (
        <div key={id} className={`alert alert-${alert.severity}`} role="alert" data-testid="alert" data-code={alert.code}>
          <div className="alert-body">
            <div className="alert-msg">{alert.message}</div>
            {alert.hint && (
              // Long hints (an engine's stderr tail) fold to four lines; a click unfolds them.
              <div className="alert-hint" title="Click to show all" onClick={(e) => e.currentTarget.classList.toggle('open')}>
                {alert.hint}
              </div>
            )}
            <div className="alert-code">{alert.code}</div>
          </div>
          <button className="alert-x" aria-label="Dismiss" onClick={() => dismissAlert(id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function EmptyState() {
  const connection = useUi((s) => s.connection);
  const session = useUi((s) => s.session);
  const ingest = useUi((s) => s.ingest);
  if (session || ingest) return null;
  return (
    <div className="empty">
      {connection === 'open' ? 'No session open — use Open file… or the demo.' : connection === 'connecting' ? 'Connecting to the engine…' : 'Engine disconnected — reconnecting…'}
    </div>
  );
}
