import { useEffect } from 'react';
import { engine } from '../engine/client';
import { chartStore } from '../state/chartStore';
import { HEATMAP_FIELDS, type HeatmapField, type MenuCommand } from '../../contracts/protocol';
import { pushAlert, useUi } from '../state/uiStore';
import { Chart } from './Chart';
import { Controls, shiftSpeed, togglePlay } from './Controls';
import { Alerts, EmptyState, IngestOverlay } from './Overlays';
import { Timeline } from './Timeline';
import { Tooltip } from './Tooltip';
import { openFile, openFileFromDialog, Toolbar } from './Toolbar';

// Keyboard: Space play/pause, ←/→ step 1 s (Shift: 10 s), +/− speed, Home/End session edges.
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
      engine.seekIndex(0);
      break;
    case 'End':
      engine.seekIndex(st.geom.windowCount - 1);
      break;
    default:
      return;
  }
  e.preventDefault();
}

/** Electron menu, drag-and-drop and command-line commands arrive through the preload (contracts MENU_COMMANDS). */
export function onMenu(command: string, arg?: unknown): void {
  const cmd = command as MenuCommand;
  switch (cmd) {
    case 'open':
      void openFileFromDialog();
      return;
    case 'open-path':
      if (typeof arg === 'string') openFile(arg);
      return;
    case 'open-demo':
      engine.send({ kind: 'open_demo' });
      return;
    case 'cancel-ingest':
      engine.send({ kind: 'cancel_ingest' });
      return;
    case 'close-session':
      engine.send({ kind: 'close_session' });
      return;
    case 'play-pause':
      togglePlay();
      return;
    case 'step-forward':
      engine.send({ kind: 'step', seconds: 1 });
      return;
    case 'step-back':
      engine.send({ kind: 'step', seconds: -1 });
      return;
    case 'skip':
      if (typeof arg === 'number') engine.send({ kind: 'skip', minutes: arg });
      return;
    case 'speed-up':
      shiftSpeed(1);
      return;
    case 'speed-down':
      shiftSpeed(-1);
      return;
    case 'set-speed':
      if (arg === 'max' || typeof arg === 'number') engine.send({ kind: 'set_speed', speed: arg });
      return;
    case 'field':
      if (typeof arg === 'string' && (HEATMAP_FIELDS as readonly string[]).includes(arg)) engine.selectField(arg as HeatmapField);
      return;
    case 'log-scale':
      engine.setLogScale(!chartStore.getState().logScale);
      return;
    case 'overlay':
      if (arg === 'spot') chartStore.setState((s) => ({ showSpot: !s.showSpot }));
      else pushAlert({ severity: 'info', code: 'ui.overlay_unavailable', message: `The ${String(arg)} overlay is not available yet.`, hint: 'This build draws the heatmap, the spot line and the prediction margin.' });
      return;
    default:
      pushAlert({ severity: 'warning', code: 'ui.unknown_command', message: `Unknown menu command “${String(command)}”.`, hint: 'The window and the Electron shell may come from different versions.' });
  }
}

/** Drop a .dbn / .dbn.zst onto the window: Electron knows its path; a browser page cannot. */
function onDrop(e: DragEvent): void {
  const file = e.dataTransfer?.files?.[0];
  if (!file) return;
  e.preventDefault();
  const path = window.spymasterElectron?.pathForFile?.(file);
  if (path) openFile(path);
  else
    pushAlert({
      severity: 'warning',
      code: 'ui.drop_needs_path',
      message: `A browser page cannot see where ${file.name} is on disk.`,
      hint: 'Use Open file… and type its path on the engine’s machine.',
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
    const off = window.spymasterElectron?.onMenu(onMenu);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
      if (typeof off === 'function') off();
    };
  }, []);
  return (
    <div className="app">
      <Toolbar />
      <main className="stage">
        <Chart />
        <Tooltip />
        <EmptyState />
        <IngestOverlay />
      </main>
      <footer className="footer">
        <Controls />
        <Timeline />
      </footer>
      <Alerts />
    </div>
  );
}
