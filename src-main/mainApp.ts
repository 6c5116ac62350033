// The Electron main process: one window, the menu, dialogs, settings, and the engine as a
// supervised utility process. Main wires one MessageChannel between engine and window and
// stays out of the data path; everything the user asks for goes to the window as a command.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import { fileFromArgv, isDbnPath } from './fileArgs';
import { ALLOWED_INVOKE_CHANNELS, ALLOWED_SEND_CHANNELS, IPC } from './ipcChannels';
import { buildMenuTemplate } from './menu';
import { guardNavigation, installCsp, windowOptions } from './secureWindow';
import { SettingsStore } from './settings';
import { describeGone, WorkerSupervisor, type WorkerExitReason, type WorkerHandle } from './workerSupervisor';
import { encodeEnvelope } from '../contracts/envelope';
import type { EngineEvent, MenuCommand } from '../contracts/protocol';

export interface MainPaths {
  /** Built preload script (CommonJS: sandboxed preloads cannot be ES modules). */
  preload: string;
  /** Built engine entry (src-worker/host/electronEntry.ts). */
  engine: string;
  /** index.html of the built window, or a dev server URL. */
  rendererFile?: string;
  rendererUrl?: string;
  /** Window icon (resources/icon.png). */
  icon?: string;
}

export const ENGINE_SERVICE_NAME = 'Spymaster engine';

export class MainApp {
  win: BrowserWindow | null = null;
  readonly settings: SettingsStore;
  readonly supervisor: WorkerSupervisor;
  private field = 'liquidity_velocity';
  private windowReady = false;
  private pendingEnginePort: MessagePortMain | null = null;
  private lastOpened: string | null = null;

  constructor(
    private readonly paths: MainPaths,
    private readonly argv: readonly string[] = process.argv,
  ) {
    this.settings = new SettingsStore(join(app.getPath('userData'), 'settings.json'));
    const initialFile = fileFromArgv(argv);
    if (initialFile) this.settings.addRecent(initialFile);
    this.lastOpened = initialFile;
    // A restarted engine reopens the file that was open (from the ingest cache), else the demo.
    const engineArgs = () => ['--db', join(app.getPath('userData'), 'spymaster.duckdb'), ...(this.lastOpened ? ['--open', this.lastOpened] : ['--demo'])];
    this.supervisor = new WorkerSupervisor({
      spawn: () => wrapUtility(utilityProcess.fork(paths.engine, engineArgs(), { serviceName: ENGINE_SERVICE_NAME, stdio: 'inherit' })),
      onStarted: (worker) => this.connect(worker),
      onGone: (g) => {
        const { message, detail } = describeGone(g);
        process.stderr.write(`[main] engine gone: ${g.reason} (${g.code}); ${detail}\n`);
        this.tellWindow(g.reason === 'oom' ? 'worker.out_of_memory' : 'worker.crashed', message, detail);
        if (this.win) void dialog.showMessageBox(this.win, { type: g.restartInMs === null ? 'error' : 'warning', title: 'Spymaster engine', message, detail, buttons: ['OK'] });
      },
    });
  }

  /** Called once the app is ready. */
  start(): void {
    this.registerIpc();
    app.on('child-process-gone', (_e, details) => {
      if (details.type === 'Utility' && details.name === ENGINE_SERVICE_NAME) this.supervisor.noteReason(details.reason as WorkerExitReason);
    });
    this.createWindow();
    this.supervisor.start();
    this.refreshMenu();
  }

  createWindow(): BrowserWindow {
    const { bounds } = this.settings.get();
    const win = new BrowserWindow(windowOptions(bounds, this.paths.preload, this.paths.icon));
    this.win = win;
    this.windowReady = false;
    if (bounds.maximized) win.maximize();
    const wc = win.webContents;
    installCsp(wc);
    const appUrl = this.paths.rendererUrl ?? `file://${this.paths.rendererFile}`;
    guardNavigation(wc, appUrl, (p) => this.openPath(p));
    wc.on('did-finish-load', () => {
      // A (re)loaded page has lost its port: give it a fresh channel to the engine.
      this.windowReady = true;
      const w = this.supervisor.current;
      if (w) this.connect(w);
    });
    win.once('ready-to-show', () => win.show());
    const saveBounds = () => {
      if (win.isDestroyed()) return;
      this.settings.setBounds({ ...win.getNormalBounds(), maximized: win.isMaximized() });
    };
    win.on('resized', saveBounds);
    win.on('moved', saveBounds);
    win.on('close', saveBounds);
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    if (this.paths.rendererUrl) void win.loadURL(this.paths.rendererUrl);
    else if (this.paths.rendererFile) void win.loadFile(this.paths.rendererFile);
    return win;
  }

  /** One MessageChannel: port1 to the engine, port2 to the window. */
  connect(worker: WorkerHandle): void {
    const win = this.win;
    if (!win || win.isDestroyed() || !this.windowReady) return;
    // A channel opened while the engine was down already carries the crash alert and the
    // window's new hello: hand that one over so nothing is lost.
    const pending = this.pendingEnginePort;
    this.pendingEnginePort = null;
    if (pending) {
      worker.postMessage('engine-port', [pending]);
      return;
    }
    const { port1, port2 } = new MessageChannelMain();
    worker.postMessage('engine-port', [port1]);
    win.webContents.postMessage(IPC.enginePort, null, [port2]);
  }

  /**
   * The engine died: the window's port is dead. Give the window a new port at once with the
   * alert already queued on it (the same envelope an engine sends), so the user sees what
   * happened in the window; the engine end is handed to the restarted engine.
   */
  private tellWindow(code: string, message: string, hint: string): void {
    const win = this.win;
    if (!win || win.isDestroyed() || !this.windowReady) return;
    const { port1, port2 } = new MessageChannelMain();
    port1.postMessage(encodeEnvelope<EngineEvent>({ kind: 'alert', alert: { severity: 'error', code, message, hint } }));
    this.pendingEnginePort?.close();
    this.pendingEnginePort = port1;
    win.webContents.postMessage(IPC.enginePort, null, [port2]);
  }

  sendCommand(command: MenuCommand, arg?: unknown): void {
    const win = this.win;
    if (!win || win.isDestroyed()) return;
    win.webContents.send(IPC.menu, command, arg);
    if (command === 'field' && typeof arg === 'string') this.field = arg;
  }

  openPath(path: string): void {
    if (!isDbnPath(path)) {
      if (this.win) void dialog.showMessageBox(this.win, { type: 'warning', message: 'Not a DBN file', detail: `${path}\nSpymaster opens Databento MBO files ending in .dbn or .dbn.zst.` });
      return;
    }
    this.settings.addRecent(path);
    this.lastOpened = path;
    this.refreshMenu();
    this.sendCommand('open-path', path);
  }

  async showOpenDialog(): Promise<string | null> {
    const opts = { title: 'Open DBN', properties: ['openFile' as const], filters: [{ name: 'Databento DBN (MBO)', extensions: ['dbn', 'zst'] }] };
    const r = this.win ? await dialog.showOpenDialog(this.win, opts) : await dialog.showOpenDialog(opts);
    if (r.canceled || !r.filePaths[0]) return null;
    const p = r.filePaths[0];
    if (!isDbnPath(p)) {
      this.openPath(p); // explains why not
      return null;
    }
    this.settings.addRecent(p);
    this.lastOpened = p;
    this.refreshMenu();
    return p;
  }

  refreshMenu(): void {
    const template = buildMenuTemplate(
      { isMac: process.platform === 'darwin', recentFiles: this.settings.get().recentFiles, field: this.field, appName: 'Spymaster' },
      {
        openDialog: () => void this.showOpenDialog().then((p) => p && this.sendCommand('open-path', p)),
        openPath: (p) => this.openPath(p),
        clearRecent: () => {
          this.settings.clearRecent();
          this.refreshMenu();
        },
        command: (c, arg) => this.sendCommand(c, arg),
        about: () => void this.about(),
        quit: () => app.quit(),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  private async about(): Promise<void> {
    const detail = `Version ${app.getVersion()}\nCME futures order-flow workstation for Databento MBO files.\nElectron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}`;
    if (this.win) await dialog.showMessageBox(this.win, { type: 'info', title: 'About Spymaster', message: 'Spymaster', detail });
  }

  private registerIpc(): void {
    // Only allow-listed channels are handled; the preload exposes nothing else.
    ipcMain.handle(IPC.openFileDialog, (event) => {
      if (!this.fromOurWindow(event.sender)) return null;
      return this.showOpenDialog();
    });
    ipcMain.on(IPC.fileOpened, (event, path: unknown) => {
      if (!this.fromOurWindow(event.sender) || typeof path !== 'string' || !isDbnPath(path)) return;
      this.settings.addRecent(path);
      this.lastOpened = path;
      this.refreshMenu();
    });
    if (ALLOWED_INVOKE_CHANNELS.length !== 1 || ALLOWED_SEND_CHANNELS.length !== 1) throw new Error('IPC allow-list and handlers disagree');
  }

  private fromOurWindow(sender: Electron.WebContents): boolean {
    return !!this.win && !this.win.isDestroyed() && sender.id === this.win.webContents.id;
  }

  /** Quit: stop the engine within a bounded time so DuckDB checkpoints. */
  async shutdown(): Promise<void> {
    await this.supervisor.stop(2000);
  }
}

function wrapUtility(child: UtilityProcess): WorkerHandle {
  return {
    postMessage: (message, transfer) => child.postMessage(message, transfer as Electron.MessagePortMain[] | undefined),
    kill: () => child.kill(),
    onExit: (cb) => child.on('exit', cb),
  };
}
