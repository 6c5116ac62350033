// Secure defaults for the one window: isolated, sandboxed, no Node in the page, a strict CSP
// on every response, no new windows, no navigation away from the app (a dropped file
// navigates: that is turned into an open command instead).
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { dbnPathFromFileUrl } from './fileArgs';
import type { WindowBounds } from './settings';

export const WINDOW_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

export function windowOptions(bounds: WindowBounds, preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    icon: iconPath,
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 560,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Spymaster',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

/** Blocks popups and navigation; a dropped DBN file (file:// navigation) calls `onDropPath`. */
export function guardNavigation(wc: WebContents, appUrl: string, onDropPath: (path: string) => void): void {
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (event, url) => {
    if (url === appUrl) return;
    event.preventDefault();
    const p = dbnPathFromFileUrl(url);
    if (p) onDropPath(p);
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

/** Adds the CSP header to every response of the window's session (http dev server and file://). */
export function installCsp(wc: WebContents): void {
  wc.session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [WINDOW_CSP] } });
  });
  // Nothing in the window needs a device, notification or camera.
  wc.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}
