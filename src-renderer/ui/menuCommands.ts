import { HEATMAP_FIELDS, type HeatmapField, type MenuCommand } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { chartStore } from '../state/chartStore';
import { pushAlert } from '../state/uiStore';
import { shiftSpeed, togglePlay } from './Controls';
import { openFile, openFileFromDialog } from './Toolbar';
import { toggleForecast } from './ForecastControls';

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
      else if (arg === 'walls') engine.setOverlay('walls_voids', !chartStore.getState().showWalls);
      else if (arg === 'trades') engine.setOverlay('trades', !chartStore.getState().showTrades);
      else if (arg === 'forecast') toggleForecast();
      else pushAlert({ severity: 'info', code: 'ui.overlay_unavailable', message: `The ${String(arg)} overlay is not available yet.`, hint: 'This build draws the heatmap, the spot line, walls/voids, trades and the forecast margin; options bars come with the option books.' });
      return;
    default:
      pushAlert({ severity: 'warning', code: 'ui.unknown_command', message: `Unknown menu command “${String(command)}”.`, hint: 'The window and the Electron shell may come from different versions.' });
  }
}

