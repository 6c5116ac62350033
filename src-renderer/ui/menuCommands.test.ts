import { afterEach, describe, expect, it, vi } from 'vitest';
import { MENU_COMMANDS, type Request } from '../../contracts/protocol';
import { engine } from '../engine/client';
import { chartStore } from '../state/chartStore';
import { useUi } from '../state/uiStore';
import { onMenu } from './menuCommands';

// Electron cannot launch here, so the menu → request mapping is checked directly: every
// command main can send (contracts MENU_COMMANDS) does something, and bad args are ignored.

describe('Electron menu commands', () => {
  const sent: Request[] = [];
  vi.spyOn(engine, 'send').mockImplementation((r: Request) => void sent.push(r));
  afterEach(() => {
    sent.length = 0;
    useUi.setState({ alerts: [] });
  });

  it('turn into the same requests the window controls make', () => {
    chartStore.setState({ playback: 'paused', geom: {} as never });
    onMenu('play-pause');
    onMenu('step-forward');
    onMenu('step-back');
    onMenu('skip', -5);
    onMenu('set-speed', 'max');
    onMenu('set-speed', 25);
    onMenu('open-path', '/data/a.dbn.zst');
    onMenu('open-demo');
    onMenu('cancel-ingest');
    onMenu('close-session');
    expect(sent).toEqual([
      { kind: 'play' },
      { kind: 'step', seconds: 1 },
      { kind: 'step', seconds: -1 },
      { kind: 'skip', minutes: -5 },
      { kind: 'set_speed', speed: 'max' },
      { kind: 'set_speed', speed: 25 },
      { kind: 'open_file', path: '/data/a.dbn.zst' },
      { kind: 'open_demo' },
      { kind: 'cancel_ingest' },
      { kind: 'close_session' },
    ]);
    chartStore.setState({ geom: null });
  });

  it('ignores malformed arguments and explains unknown commands', () => {
    onMenu('skip', 'ten');
    onMenu('set-speed', 'fast');
    onMenu('field', 'not_a_field');
    expect(sent).toEqual([]);
    onMenu('reticulate-splines');
    expect(useUi.getState().alerts.map((a) => a.alert.code)).toEqual(['ui.unknown_command']);
  });

  it('toggles the spot overlay and log scale', () => {
    const spot = chartStore.getState().showSpot;
    onMenu('overlay', 'spot');
    expect(chartStore.getState().showSpot).toBe(!spot);
    const log = chartStore.getState().logScale;
    onMenu('log-scale');
    expect(chartStore.getState().logScale).toBe(!log);
  });

  it('toggles the walls/voids and trades overlays (View ▸ overlays)', () => {
    chartStore.setState({ showWalls: false, showTrades: false });
    onMenu('overlay', 'walls');
    onMenu('overlay', 'trades');
    expect(chartStore.getState()).toMatchObject({ showWalls: true, showTrades: true });
    onMenu('overlay', 'trades');
    expect(chartStore.getState().showTrades).toBe(false);
  });

  it('knows every command main can send', () => {
    for (const c of MENU_COMMANDS) {
      useUi.setState({ alerts: [] });
      if (c === 'open') continue; // opens the native dialog through the preload
      onMenu(c, c === 'overlay' ? 'spot' : undefined);
      expect(useUi.getState().alerts.map((a) => a.alert.code)).not.toContain('ui.unknown_command');
    }
  });
});
