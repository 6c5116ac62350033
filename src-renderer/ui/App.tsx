import { useEffect } from 'react';
import { engine } from '../engine/client';
import { chartStore } from '../state/chartStore';
import { homeIndex } from '../data/viewMath';
import { uploadFile, UploadError } from '../data/upload';
import { serveToken } from '../transport/serveToken';
import { pushAlert, useUi } from '../state/uiStore';
import { Chart } from './Chart';
import { Controls, shiftSpeed, togglePlay } from './Controls';
import { installFocusReturn } from './focusReturn';
import { onMenu } from './menuCommands';
import { Alerts, EmptyState, IngestOverlay, UploadOverlay } from './Overlays';
import { Timeline } from './Timeline';
import { Tooltip } from './Tooltip';
import { openFile, Toolbar } from './Toolbar';

// Keyboard: Space play/pause, ←/→ step 1 s (Shift: 10 s), +/− speed, Home/End session edges
// (Home: the first full view of the session), D: every field in the tooltip.
function onKey(e: KeyboardEvent): void {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
  const st = chartStore.getState();
  if (!st.geom) return;
  switch (e.key) {
    case ' ':
      togglePlay();
      break;
    case 'ArrowLeft':
      engine.send({ kind: 'step', seconds: e.shiftKey ? -10 : -1 });
      break;
    case 'ArrowRight':
      engine.send({ kind: 'step', seconds: e.shiftKey ? 10 : 1 });
      break;
    case '+':
    case '=':
      shiftSpeed(1);
      break;
    case '-':
    case '_':
      shiftSpeed(-1);
      break;
    case 'Home':
      // The first full view: the session's start at the left edge (only windows up to the
      // playhead are drawn, so the playhead at window 0 would show one lonely column).
      engine.seekIndex(homeIndex(st.geom.windowCount, st.view.t1 - st.view.t0));
      break;
    case 'd':
    case 'D':
      useUi.setState((u) => ({ tooltipAllFields: !u.tooltipAllFields }));
      break;
    case 'End':
      engine.seekIndex(st.geom.windowCount - 1);
      break;
    default:
      return;
  }
  e.preventDefault();
}

/**
 * Drop a .dbn / .dbn.zst onto the window: Electron knows its path; a browser page uploads it
 * to the local engine (with progress) and opens the path the engine answers with.
 */
function onDrop(e: DragEvent): void {
  const file = e.dataTransfer?.files?.[0];
  if (!file) return;
  e.preventDefault();
  const path = window.spymasterElectron?.pathForFile?.(file);
  if (path) {
    openFile(path);
    return;
  }
  useUi.setState({ upload: { name: file.name, loaded: 0, total: file.size } });
  uploadFile(file, serveToken(), (p) => useUi.setState({ upload: p }))
    .then((serverPath) => {
      useUi.setState({ upload: null });
      openFile(serverPath);
    })
    .catch((err: unknown) => {
      useUi.setState({ upload: null });
      const u = err instanceof UploadError ? err : new UploadError(`Could not upload ${file.name}.`, String(err));
      pushAlert({ severity: 'error', code: 'ui.upload_failed', message: u.userMessage, hint: u.hint });
    });
}

function onDragOver(e: DragEvent): void {
  if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
}

export function App() {
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    const offFocus = installFocusReturn();
    const off = window.spymasterElectron?.onMenu(onMenu);
    return () => {
      offFocus();
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
      if (typeof off === 'function') off();
    };
  }, []);
  return (
    <div className="app">
      <Toolbar />
      <Alerts />
      <main className="stage">
        <Chart />
        <Tooltip />
        <EmptyState />
        <IngestOverlay />
        <UploadOverlay />
      </main>
      <footer className="footer">
        <Controls />
        <Timeline />
      </footer>
    </div>
  );
}
