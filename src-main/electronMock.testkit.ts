// TEST-ONLY: a small stand-in for the `electron` module (no Electron binary exists on these
// machines). It records what main asks of Electron so tests can assert on it.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  posted: { channel: string; message: unknown; ports: unknown[] }[] = [];
  sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((d: unknown) => { action: string }) | null = null;
  headersHandler: ((details: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null = null;
  permissionHandler: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  session = {
    webRequest: { onHeadersReceived: (h: FakeWebContents['headersHandler']) => (this.headersHandler = h) },
    setPermissionRequestHandler: (h: FakeWebContents['permissionHandler']) => (this.permissionHandler = h),
  };
  postMessage(channel: string, message: unknown, ports: unknown[] = []) {
    this.posted.push({ channel, message, ports });
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(h: FakeWebContents['windowOpenHandler']) {
    this.windowOpenHandler = h;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.all;
  webContents = new FakeWebContents();
  bounds = { x: 10, y: 20, width: 1200, height: 800 };
  maximized = false;
  destroyed = false;
  loaded: string | null = null;
  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  loadFile(f: string) {
    this.loaded = f;
    return Promise.resolve();
  }
  loadURL(u: string) {
    this.loaded = u;
    return Promise.resolve();
  }
  show() {}
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return this.bounds;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static forks: { modulePath: string; args: string[]; options: unknown; child: FakeUtilityProcess }[] = [];
  messages: { message: unknown; transfer?: unknown[] }[] = [];
  killed = false;
  postMessage(message: unknown, transfer?: unknown[]) {
    this.messages.push({ message, transfer });
  }
  kill() {
    this.killed = true;
    this.emit('exit', 137);
    return true;
  }
}

let portSeq = 0;
class FakePort {
  queued: unknown[] = [];
  closed = false;
  constructor(readonly name: string) {}
  postMessage(m: unknown) {
    this.queued.push(m);
  }
  close() {
    this.closed = true;
  }
}
export class FakeMessageChannelMain {
  port1 = new FakePort(`port1#${++portSeq}`);
  port2 = new FakePort(`port2#${portSeq}`);
}

export function makeElectronMock() {
  const userData = mkdtempSync(join(tmpdir(), 'spymaster-main-'));
  const appEvents = new EventEmitter();
  const ipcHandlers = new Map<string, (...a: any[]) => unknown>();
  const ipcListeners = new Map<string, (...a: any[]) => unknown>();
  const state = {
    userData,
    menuTemplate: null as any[] | null,
    openDialogResult: { canceled: false, filePaths: [] as string[] },
    messageBoxes: [] as any[],
  };
  const electron = {
    app: Object.assign(appEvents, {
      getPath: (name: string) => (name === 'userData' ? userData : join(userData, name)),
      getVersion: () => '0.1.0',
      quit: () => undefined,
      enableSandbox: () => undefined,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
    }),
    BrowserWindow: FakeBrowserWindow,
    MessageChannelMain: FakeMessageChannelMain,
    utilityProcess: {
      fork(modulePath: string, args: string[], options: unknown) {
        const child = new FakeUtilityProcess();
        FakeUtilityProcess.forks.push({ modulePath, args, options, child });
        return child;
      },
    },
    Menu: {
      buildFromTemplate: (t: any[]) => ({ template: t }),
      setApplicationMenu: (m: { template: any[] }) => (state.menuTemplate = m.template),
    },
    dialog: {
      showOpenDialog: async () => state.openDialogResult,
      showMessageBox: async (_w: unknown, o: unknown) => {
        state.messageBoxes.push(o);
        return { response: 0 };
      },
    },
    ipcMain: {
      handle: (ch: string, fn: (...a: any[]) => unknown) => ipcHandlers.set(ch, fn),
      on: (ch: string, fn: (...a: any[]) => unknown) => ipcListeners.set(ch, fn),
    },
  };
  return { electron, state, ipcHandlers, ipcListeners };
}

export function resetFakes() {
  FakeBrowserWindow.all = [];
  FakeUtilityProcess.forks = [];
  electronMock.electron.app.removeAllListeners();
}

/** The one mock shared by `vi.mock('electron', …)` and the assertions of a test file. */
export const electronMock = makeElectronMock();
