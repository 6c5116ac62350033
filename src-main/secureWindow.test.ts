// The Electron window's security, asserted from the code that creates it (issue 14; electron
// mocked as in mainApp.test.ts): isolation and sandbox options, the CSP header on every
// response (no inline or remote script, no framing), navigation and popups refused, no
// permissions, and a preload that exposes four functions and never ipcRenderer itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { electronMock, FakeBrowserWindow, resetFakes } from './electronMock.testkit';

const exposed: Record<string, Record<string, unknown>> = {};
vi.mock('electron', async () => {
  const { electronMock: m } = await import('./electronMock.testkit');
  return {
    ...m.electron,
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => (exposed[name] = api) },
    ipcRenderer: { on: () => undefined, invoke: async () => null, send: () => undefined, removeListener: () => undefined },
    webUtils: { getPathForFile: () => '' },
  };
});

const { MainApp } = await import('./mainApp');
const { WINDOW_CSP } = await import('./secureWindow');
const PATHS = { preload: '/app/out/preload/index.cjs', engine: '/app/out/main/engine.js', rendererFile: '/app/out/renderer/index.html' };

/** "a b; c d" → { a: ['b'], c: ['d'] } */
function directives(csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of csp.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...values] = part.split(/\s+/);
    out[name] = values;
  }
  return out;
}

function openWindow() {
  resetFakes();
  new MainApp(PATHS, ['electron', '.']).start();
  const win = FakeBrowserWindow.all.at(-1)!;
  return { win, wc: win.webContents };
}

describe('the Electron window', () => {
  it('is isolated and sandboxed: no Node in the page, its workers or webviews; web security on', () => {
    const { win } = openWindow();
    expect(win.options.webPreferences).toEqual({
      preload: PATHS.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    });
  });

  it('every response carries a CSP with no inline or remote script, no plugins and no framing, replacing any the response had', () => {
    const { wc } = openWindow();
    let headers: any = null;
    wc.headersHandler!({ responseHeaders: { 'Content-Security-Policy': ["default-src *; script-src * 'unsafe-inline'"] } }, (r) => (headers = r));
    const csp = headers.responseHeaders['Content-Security-Policy'];
    expect(csp).toEqual([WINDOW_CSP]);
    const d = directives(csp[0]);
    expect(d['default-src']).toEqual(["'self'"]);
    // regl compiles its draw commands with new Function: 'unsafe-eval' but never inline or remote code.
    expect(d['script-src']).toEqual(["'self'", "'unsafe-eval'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'self'"]);
    for (const [name, values] of Object.entries(d)) {
      for (const v of values) expect(v, `${name} ${v}`).toMatch(/^('self'|'none'|'unsafe-eval'|'unsafe-inline'|data:|blob:|ws:|wss:)$/);
    }
    expect(d['style-src']).not.toContain('http:');
  });

  it('the page’s own <meta> policy is no looser than the header (same script and default sources)', () => {
    const html = readFileSync(join(process.cwd(), 'src-renderer', 'index.html'), 'utf8');
    const meta = directives(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]);
    const header = directives(WINDOW_CSP);
    for (const name of ['default-src', 'script-src', 'connect-src', 'worker-src', 'img-src']) expect(meta[name], name).toEqual(header[name]);
  });

  it('refuses popups, navigation away, webviews and every permission', () => {
    const { wc } = openWindow();
    expect(wc.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      let prevented = false;
      wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      expect(prevented, url).toBe(true);
    }
    let appNav = false;
    wc.emit('will-navigate', { preventDefault: () => (appNav = true) }, `file://${PATHS.rendererFile}`);
    expect(appNav).toBe(false);
    let webview = false;
    wc.emit('will-attach-webview', { preventDefault: () => (webview = true) });
    expect(webview).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      wc.permissionHandler!(wc, p, (ok) => (granted = ok));
      expect(granted, p).toBe(false);
    }
  });

  it('the preload exposes four functions to the page, never ipcRenderer or Node', async () => {
    await import('./preload');
    expect(Object.keys(exposed)).toEqual(['spymasterElectron']);
    const api = exposed.spymasterElectron;
    expect(Object.keys(api).sort()).toEqual(['fileOpened', 'onMenu', 'openFileDialog', 'pathForFile']);
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(electronMock).toBeDefined();
  });
});
