/// <reference lib="dom" />
// Browser mode locked to its own window (issue 14), in the real Chromium against the real
// `serve`: the page opened with its token reaches the engine and hides the token from the
// address bar; without the token the page is refused; a page served from another local port
// and a sandboxed iframe (Origin: null) cannot open the engine socket even knowing the token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { waitForView } from './support/workstation';

test.describe.configure({ mode: 'serial' });

const TOKEN = process.env.SPYMASTER_SERVE_TOKEN!;
const PORT = Number(process.env.SPYMASTER_E2E_PORT);
const ENGINE = `ws://127.0.0.1:${PORT}/engine?token=${TOKEN}`;

test('the window opened with its token reaches the engine and hides the token from the address bar', async ({ browser }) => {
  // A fresh browser profile: no cookie from an earlier visit, only the printed URL.
  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport: { width: 1600, height: 900 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${PORT}/?token=${TOKEN}`);
  const s = await waitForView(page, 200_000);
  expect(s.hasSession).toBe(true);
  expect(page.url()).toBe(`http://127.0.0.1:${PORT}/`);
  // A reload of the bare address still works (the tab and the cookie remember the token).
  await page.reload();
  expect((await waitForView(page, 120_000)).hasSession).toBe(true);
  expect(errors).toEqual([]);
  await ctx.close();
});

test('without the token the page is refused and says what to open', async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await ctx.newPage();
  const res = await page.goto(`http://127.0.0.1:${PORT}/`);
  expect(res!.status()).toBe(403);
  await expect(page.locator('body')).toContainText(/printed .*token/);
  expect(await page.content()).not.toContain(TOKEN);
  await ctx.close();
});

test('a page from another local port, or a sandboxed iframe, cannot open the engine socket even knowing the token', async ({ browser }) => {
  // The attacker's page: served from another port of localhost, it tries the engine socket
  // itself and from a sandboxed iframe (whose origin is "null").
  const probe = `
    <script>
      window.tryEngine = (url) => new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => { resolve('open'); ws.close(); };
        ws.onerror = () => resolve('refused');
      });
    </script>
    <iframe id="sandboxed" sandbox="allow-scripts" srcdoc="<script>
      const ws = new WebSocket('${ENGINE}');
      ws.onopen = () => parent.postMessage('open', '*');
      ws.onerror = () => parent.postMessage('refused', '*');
    </script>"></iframe>`;
  let iframeAnswer: (v: string) => void;
  const attacker: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(probe));
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  const port = (attacker.address() as AddressInfo).port;
  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await ctx.newPage();
  try {
    const fromIframe = new Promise<string>((r) => (iframeAnswer = r));
    await page.exposeFunction('reportIframe', (v: string) => iframeAnswer(v));
    await page.addInitScript(() => window.addEventListener('message', (e) => (window as unknown as { reportIframe(v: string): void }).reportIframe(String(e.data))));
    await page.goto(`http://127.0.0.1:${port}/`);
    expect(await page.evaluate((u) => (window as unknown as { tryEngine(u: string): Promise<string> }).tryEngine(u), ENGINE)).toBe('refused');
    expect(await fromIframe).toBe('refused');
    // The same page on localhost:<other port> is another origin too.
    await page.goto(`http://localhost:${port}/`);
    expect(await page.evaluate((u) => (window as unknown as { tryEngine(u: string): Promise<string> }).tryEngine(u), ENGINE)).toBe('refused');
    // It cannot read the window either (no CORS), nor upload into the cache.
    const read = await page.evaluate((u) => fetch(u).then((r) => r.text()).catch(() => 'blocked'), `http://127.0.0.1:${PORT}/?token=${TOKEN}`);
    expect(read).toBe('blocked');
    const upload = await page.evaluate(
      ([u, t]) => fetch(u, { method: 'PUT', headers: { 'X-Spymaster-Token': t }, body: 'DBN' }).then((r) => String(r.status)).catch(() => 'blocked'),
      [`http://127.0.0.1:${PORT}/api/upload?name=x.dbn`, TOKEN],
    );
    expect(upload).toBe('blocked');
  } finally {
    await ctx.close();
    attacker.close();
  }
});
