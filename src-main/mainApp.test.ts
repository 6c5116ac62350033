// Main-process logic under Node with `electron` mocked: secure window, port hand-off, menu,
// dialogs, drag-and-drop, command-line file, recent files, settings and worker supervision.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, FakeBrowserWindow, FakeUtilityProcess, resetFakes } from './electronMock.testkit';

vi.mock('electron', async () => (await import('./electronMock.testkit')).electronMock.electron);

const { MainApp } = await import('./mainApp');
const { decodeEnvelope } = await import('../contracts/envelope');
/** port1 of the most recent MessageChannelMain (the engine end). */
let lastChannel: any = null;
const FakeMessageChannelMainLast = () => lastChannel.port1;
const RealChannel = electronMock.electron.MessageChannelMain;
(electronMock.electron as any).MessageChannelMain = class extends RealChannel {
  constructor() {
    super();
    lastChannel = this;
  }
};

const PATHS = { preload: '/app/out/preload/index.cjs', engine: '/app/out/main/engine.js', rendererFile: '/app/out/renderer/index.html' };
const REAL_DBN = join(process.cwd(), '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');

function started(argv: string[] = ['electron', '.']) {
  const main = new MainApp(PATHS, argv);
  main.start();
  const win = FakeBrowserWindow.all.at(-1)!;
  return { main, win, wc: win.webContents };
}

function menuItem(label: string, items: any[] = electronMock.state.menuTemplate!): any {
  for (const it of items) {
    if (it.label === label) return it;
    if (Array.isArray(it.submenu)) {
      const found = menuItem(label, it.submenu);
      if (found) return found;
    }
  }
  return null;
}

beforeEach(() => {
  resetFakes();
  electronMock.state.messageBoxes = [];
  const settings = join(electronMock.state.userData, 'settings.json');
  if (existsSync(settings)) writeFileSync(settings, '{}');
});
afterEach(() => vi.useRealTimers());

describe('Electron main', () => {
  it('creates one window with secure defaults, a CSP header and no popups', () => {
    const { win, wc } = started();
    const wp = win.options.webPreferences;
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, preload: PATHS.preload });
    expect(win.loaded).toBe(PATHS.rendererFile);
    let headers: any = null;
    wc.headersHandler!({ responseHeaders: {} }, (r) => (headers = r));
    expect(headers.responseHeaders['Content-Security-Policy'][0]).toMatch(/default-src 'self'/);
    expect(wc.windowOpenHandler!({})).toEqual({ action: 'deny' });
    let granted: boolean | null = null;
    wc.permissionHandler!(wc, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('forks the engine as a utility process and hands one MessageChannel end to each side', () => {
    const { wc } = started();
    const fork = FakeUtilityProcess.forks[0];
    expect(fork.modulePath).toBe(PATHS.engine);
    expect(fork.args).toContain('--demo'); // no file on the command line → the embedded demo
    expect(fork.args[0]).toBe('--db');
    wc.emit('did-finish-load');
    const toWorker = fork.child.messages.at(-1)!;
    const toWindow = wc.posted.at(-1)!;
    expect(toWindow.channel).toBe('engine-port');
    expect((toWorker.transfer as any[])[0].name.replace('port1', '')).toBe((toWindow.ports[0] as any).name.replace('port2', ''));
  });

  it('opens a DBN file named on the command line and remembers it', () => {
    const { main } = started(['electron', '.', REAL_DBN]);
    expect(FakeUtilityProcess.forks[0].args).toEqual(expect.arrayContaining(['--open', REAL_DBN]));
    expect(main.settings.get().recentFiles[0]).toBe(REAL_DBN);
  });

  it('has File, View, Playback and Help menus with accelerators', () => {
    started();
    const labels = electronMock.state.menuTemplate!.map((m: any) => m.label ?? m.role);
    expect(labels).toEqual(expect.arrayContaining(['File', 'View', 'Playback', 'Help']));
    expect(menuItem('Open DBN…').accelerator).toBe('CmdOrCtrl+O');
    expect(menuItem('Close Session').accelerator).toBe('CmdOrCtrl+W');
    expect(menuItem('Play / Pause').accelerator).toBe('Space');
    expect(menuItem('Field').submenu).toHaveLength(25);
    expect(menuItem('Open Recent')).not.toBeNull();
    expect(menuItem('About Spymaster')).not.toBeNull();
  });

  it('File ▸ Open DBN… shows the dialog, sends the path to the window and adds it to Open Recent', async () => {
    const { wc, main } = started();
    electronMock.state.openDialogResult = { canceled: false, filePaths: [REAL_DBN] };
    menuItem('Open DBN…').click();
    await vi.waitFor(() => expect(wc.sent.at(-1)).toEqual({ channel: 'menu', args: ['open-path', REAL_DBN] }));
    expect(main.settings.get().recentFiles[0]).toBe(REAL_DBN);
    expect(menuItem(REAL_DBN)).not.toBeNull(); // the menu was rebuilt with the recent file
    const saved = JSON.parse(readFileSync(join(electronMock.state.userData, 'settings.json'), 'utf8'));
    expect(saved.recentFiles[0]).toBe(REAL_DBN);
  });

  it('menu commands reach the window; the dialog answers only our window', async () => {
    const { wc } = started();
    menuItem('Play / Pause').click();
    menuItem('Step Back 1 s').click();
    menuItem('Density ρ = log1p(depth)').click();
    expect(wc.sent.map((s) => s.args[0])).toEqual(['play-pause', 'step-back', 'field']);
    electronMock.state.openDialogResult = { canceled: true, filePaths: [] };
    const handler = (await import('./electronMock.testkit')).electronMock.ipcHandlers.get('dialog:open-file')!;
    expect(await handler({ sender: { id: -1 } })).toBeNull();
    expect(await handler({ sender: wc })).toBeNull(); // cancelled
  });

  it('a restarted engine reopens the file that was open', () => {
    vi.useFakeTimers();
    const { main, wc } = started();
    wc.emit('did-finish-load');
    main.openPath(REAL_DBN);
    FakeUtilityProcess.forks[0].child.emit('exit', 1);
    vi.advanceTimersByTime(500);
    expect(FakeUtilityProcess.forks[1].args).toEqual(expect.arrayContaining(['--open', REAL_DBN]));
  });

  it('a DBN file dropped on the window opens it instead of navigating; other drops are refused', () => {
    const { wc } = started();
    const prevent = vi.fn();
    wc.emit('will-navigate', { preventDefault: prevent }, 'file:///data/ESH4%20day.dbn.zst');
    expect(prevent).toHaveBeenCalled();
    expect(wc.sent.at(-1)).toEqual({ channel: 'menu', args: ['open-path', '/data/ESH4 day.dbn.zst'] });
    wc.emit('will-navigate', { preventDefault: prevent }, 'https://example.com/');
    expect(prevent).toHaveBeenCalledTimes(2);
    expect(wc.sent).toHaveLength(1);
  });

  it('persists window bounds and restores them on the next start', () => {
    const { win } = started();
    win.bounds = { x: 50, y: 60, width: 1000, height: 700 };
    win.emit('resized');
    resetFakes();
    const again = started();
    expect(again.win.options).toMatchObject({ x: 50, y: 60, width: 1000, height: 700 });
  });

  it('a damaged settings file gives the defaults, not a crash', () => {
    writeFileSync(join(electronMock.state.userData, 'settings.json'), '{not json');
    const { win, main } = started();
    expect(win.options.width).toBe(1440);
    expect(main.settings.get().recentFiles).toEqual([]);
  });

  it('restarts a crashed engine with backoff, tells the user, and reconnects the window', async () => {
    vi.useFakeTimers();
    const { wc } = started();
    wc.emit('did-finish-load');
    FakeUtilityProcess.forks[0].child.emit('exit', 1);
    await vi.waitFor(() => expect(electronMock.state.messageBoxes).toHaveLength(1));
    expect(electronMock.state.messageBoxes[0].message).toMatch(/crashed/);
    expect(electronMock.state.messageBoxes[0].detail).toMatch(/Restarting it in 0\.5 s/);
    expect(FakeUtilityProcess.forks).toHaveLength(1);
    // The window got a fresh port at once, with the crash alert already queued as an envelope.
    const ports = wc.posted.filter((p) => p.channel === 'engine-port');
    expect(ports).toHaveLength(2);
    const enginePort = FakeMessageChannelMainLast();
    const alert = decodeEnvelope<any>(enginePort.queued[0] as Uint8Array).message;
    expect(alert).toMatchObject({ kind: 'alert', alert: { severity: 'error', code: 'worker.crashed' } });
    vi.advanceTimersByTime(500);
    expect(FakeUtilityProcess.forks).toHaveLength(2);
    // The restarted engine got the very port the window is already talking to.
    expect(FakeUtilityProcess.forks[1].child.messages[0].message).toBe('engine-port');
    expect((FakeUtilityProcess.forks[1].child.messages[0].transfer as any[])[0]).toBe(enginePort);
    expect(FakeUtilityProcess.forks[1].args).toContain('--demo');
    expect(wc.posted.filter((p) => p.channel === 'engine-port')).toHaveLength(2);
  });
});
