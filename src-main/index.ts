// Electron main entry: thin by design (ARCHITECTURE practice 3) — single-instance lock,
// paths of the built preload / engine / window, then MainApp does the rest.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { fileFromArgv } from './fileArgs';
import { MainApp } from './mainApp';

const here = dirname(fileURLToPath(import.meta.url));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  let main: MainApp | null = null;
  app.on('second-instance', (_e, argv, cwd) => {
    // `spymaster other.dbn` while running: open it in the existing window.
    const file = fileFromArgv(argv, cwd);
    if (main?.win) {
      if (main.win.isMinimized()) main.win.restore();
      main.win.focus();
      if (file) main.openPath(file);
    }
  });
  void app.whenReady().then(() => {
    main = new MainApp({
      preload: join(here, '../preload/index.cjs'),
      engine: join(here, 'engine.js'),
      rendererUrl: process.env.ELECTRON_RENDERER_URL,
      rendererFile: join(here, '../renderer/index.html'),
      icon: join(here, '../../resources/icon.png'),
    });
    main.start();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) main?.createWindow();
    });
  });
  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting || !main) return;
    e.preventDefault();
    quitting = true;
    void main.shutdown().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
