// The window's only bridge to main (contextIsolation on, sandboxed): the engine port, menu
// commands and the Open dialog, over allow-listed channels. The port is forwarded to the page
// with window.postMessage so the page holds a real MessagePort (ipcRenderer cannot be exposed).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { ENGINE_PORT_MESSAGE, IPC } from './ipcChannels';

ipcRenderer.on(IPC.enginePort, (event) => {
  window.postMessage(ENGINE_PORT_MESSAGE, '*', event.ports);
});

contextBridge.exposeInMainWorld('spymasterElectron', {
  openFileDialog: (): Promise<string | null> => ipcRenderer.invoke(IPC.openFileDialog),
  onMenu(cb: (command: string, arg?: unknown) => void): () => void {
    const listener = (_e: unknown, command: unknown, arg: unknown) => {
      if (typeof command === 'string') cb(command, arg);
    };
    ipcRenderer.on(IPC.menu, listener);
    return () => ipcRenderer.removeListener(IPC.menu, listener);
  },
  /** Path of a File from a drop event (sandboxed pages cannot see it otherwise). */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
  /** Tell main the window opened a file itself (adds it to Open Recent). */
  fileOpened: (path: string): void => {
    if (typeof path === 'string') ipcRenderer.send(IPC.fileOpened, path);
  },
});
