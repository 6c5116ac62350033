import { useEffect } from 'react';
import { engine } from '../engine/client';
import { chartStore } from '../state/chartStore';
import { useUi } from '../state/uiStore';
import { Chart } from './Chart';
import { Controls, shiftSpeed, togglePlay } from './Controls';
import { Alerts, EmptyState, IngestOverlay } from './Overlays';
import { Timeline } from './Timeline';
import { Tooltip } from './Tooltip';
import { openFileFromDialog, Toolbar } from './Toolbar';

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

/** Electron menu commands arrive through the preload. */
function onMenu(command: string, arg?: unknown): void {
  switch (command) {
    case 'open':
      void openFileFromDialog();
      break;
    case 'open-path':
      if (typeof arg === 'string') engine.send({ kind: 'open_file', path: arg });
      break;
    case 'close-session':
      engine.send({ kind: 'close_session' });
      break;
    case 'play-pause':
      togglePlay();
      break;
    case 'step-forward':
      engine.send({ kind: 'step', seconds: 1 });
      break;
    case 'step-back':
      engine.send({ kind: 'step', seconds: -1 });
      break;
    case 'speed-up':
      shiftSpeed(1);
      break;
    case 'speed-down':
      shiftSpeed(-1);
      break;
    case 'field':
      if (typeof arg === 'string') engine.selectField(arg as never);
      break;
  }
}

export function App() {
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    const off = window.spymasterElectron?.onMenu(onMenu);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (typeof off === 'function') off();
    };
  }, []);
  const dialog = useUi((s) => s.openDialogVisible);
  return (
    <div className="app">
      <Toolbar />
      <main className="stage">
        <Chart />
        <Tooltip />
        <EmptyState />
        <IngestOverlay />
        {dialog && <div className="scrim" onClick={() => useUi.setState({ openDialogVisible: false })} />}
      </main>
      <footer className="footer">
        <Controls />
        <Timeline />
      </footer>
      <Alerts />
    </div>
  );
}
