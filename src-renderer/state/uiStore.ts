import { create } from 'zustand';
import type { Alert, HeatmapField, IngestProgress, SessionInfo } from '../../contracts/protocol';
import { wordAlert } from './alertWording';
import type { UploadProgress } from '../data/upload';

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
  /**
   * The build under a growing session (progressive display): its progress shows in the
   * controls, beside a chart that is already playable, instead of over it (`ingest`).
   */
  build: { path: string; progress: IngestProgress | null } | null;
  alerts: UiAlert[];
  openDialogVisible: boolean;
  /** A dropped file on its way to the engine (browser mode). */
  upload: UploadProgress | null;
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
  build: null,
  alerts: [],
  openDialogVisible: false,
  tooltipAllFields: false,
  upload: null,
}));

let alertSeq = 0;
/** Info fades after this long; warnings a little later; errors stay until dismissed or stale. */
const INFO_MS = 6000;
const WARNING_MS = 10000;

export function pushAlert(alert: Alert): void {
  const id = ++alertSeq;
  const worded = wordAlert(alert, useUi.getState().transport);
  // The same alert again (a retried request) replaces the old one instead of stacking.
  useUi.setState((s) => ({ alerts: [...s.alerts.filter((a) => a.alert.code !== worded.code || a.alert.message !== worded.message).slice(-3), { id, alert: worded }] }));
  if (alert.severity !== 'error') setTimeout(() => dismissAlert(id), alert.severity === 'info' ? INFO_MS : WARNING_MS);
}

export function dismissAlert(id: number): void {
  useUi.setState((s) => ({ alerts: s.alerts.filter((a) => a.id !== id) }));
}

// A good file opened (a session other than the one shown): alerts about earlier files and
// requests are stale. Connection alerts stay; they are about the engine, not a file.
useUi.subscribe((s, prev) => {
  if (!s.session || s.session.datasetId === prev.session?.datasetId) return;
  if (s.alerts.some((a) => !a.alert.code.startsWith('transport.')))
    useUi.setState({ alerts: s.alerts.filter((a) => a.alert.code.startsWith('transport.')) });
});
