import { createRoot } from 'react-dom/client';
import { engine } from './engine/client';
import { perf } from './engine/perf';
import { chartStore } from './state/chartStore';
import { useUi } from './state/uiStore';
import { cvdReadout } from './layers/profileLayer';
import { axisLayout } from './render/overlay';
import { marginLayout } from './forecast/drawMargin';
import { hoveredCell } from './state/viewActions';
import { App } from './ui/App';
import './styles.css';

// Window entry: connect to the engine (MessagePort in Electron, WebSocket in browser mode),
// mount React. A small read-only hook exposes the stores and performance log to e2e tests.
engine.start();
(window as unknown as { __spymaster: unknown }).__spymaster = { chart: chartStore, ui: useUi, perf, engine, hoveredCell, axes: axisLayout, margin: marginLayout, cvd: cvdReadout };
createRoot(document.getElementById('root')!).render(<App />);
