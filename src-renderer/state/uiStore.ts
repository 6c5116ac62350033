import { create } from 'zustand';
import type { Alert, HeatmapField, IngestProgress, SessionInfo } from '../../contracts/protocol';

// Slow, human-paced state for React controls (connection, ingest, alerts, session header).
// Frames and the playhead never come through here.

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface UiAlert {
  id: number;
  alert: Alert;
}

export interface UiState {
  connection: ConnectionState;
  transport: 'electron' | 'browser' | null;
  engineVersion: string | null;
  demoAvailable: boolean;
  fields: HeatmapField[] | null;
  session: SessionInfo | null;
  cacheHit: boolean;
  ingest: { path: string; progress: IngestProgress | null } | null;
  alerts: UiAlert[];
  openDialogVisible: boolean;
  /** The tooltip lists every field (key D) instead of the compact few. */
  tooltipAllFields: boolean;
}

export const useUi = create<UiState>()(() => ({
  connection: 'connecting',
  transport: null,
  engineVersion: null,
  demoAvailable: false,
  fields: null,
  session: null,
  cacheHit: false,
  ingest: null,
  alerts: [],
  openDialogVisible: false,
  tooltipAllFields: false,
}));

let alertSeq = 0;

export function pushAlert(alert: Alert): void {
  const id = ++alertSeq;
  useUi.setState((s) => ({ alerts: [...s.alerts.slice(-4), { id, alert }] }));
  // Info and warnings fade; errors stay until dismissed so nobody misses them.
  if (alert.severity !== 'error') setTimeout(() => dismissAlert(id), 8000);
}

export function dismissAlert(id: number): void {
  useUi.setState((s) => ({ alerts: s.alerts.filter((a) => a.id !== id) }));
}
