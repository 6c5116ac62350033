/// <reference lib="dom" />
// The browser-mode transport under Node: a real WebSocket server (ws) that drops the
// connection; the window's transport must reconnect by itself and deliver what it queued.
import { expect, test } from '@playwright/test';
import { WebSocket as WsClient, WebSocketServer } from 'ws';
import { webSocketTransport } from '../../src-renderer/transport/webSocketTransport';

test('the WebSocket transport reconnects with backoff and flushes what it queued', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const received: number[][] = [];
  let connections = 0;
  wss.on('connection', (sock) => {
    connections++;
    sock.on('message', (d: Buffer) => received.push([...d]));
    sock.send(Buffer.from([connections])); // greet with the connection number
  });
  const t = webSocketTransport(`ws://127.0.0.1:${port}/engine`, WsClient as unknown as typeof WebSocket);
  const statuses: string[] = [];
  const got: number[][] = [];
  t.onStatus((s) => statuses.push(s));
  t.onMessage((b) => got.push([...b]));
  t.send(new Uint8Array([42])); // before the socket is open: queued, then sent
  await expect.poll(() => got.length).toBe(1);
  await expect.poll(() => received.length).toBe(1);
  expect(received[0]).toEqual([42]);
  // The server drops the window (a restart, a network blip): the transport comes back.
  for (const c of wss.clients) c.terminate();
  await expect.poll(() => connections, { timeout: 10_000 }).toBe(2);
  await expect.poll(() => got.length).toBe(2);
  expect(got[1]).toEqual([2]);
  expect(statuses).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  t.send(new Uint8Array([7, 7]));
  await expect.poll(() => received.length).toBe(2);
  t.close();
  await new Promise((r) => wss.close(r));
});
