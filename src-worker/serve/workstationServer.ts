// Browser mode: HTTP on 127.0.0.1 for the built window and a WebSocket at /engine that
// carries the SAME envelopes as the Electron MessagePort to ONE engine child process.
// One window at a time: a new connection (a reload, a second tab) replaces the old one.
// The server remembers the window's last `hello` so a restarted engine is greeted again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import type { EngineEvent, Request } from '../../contracts/protocol';
import type { InitialOpen } from '../host/engineHost';
import { EngineProcess, type EngineExit } from './engineProcess';
import { serveStatic } from './staticFiles';

export interface WorkstationServerOptions {
  /** 0 = any free port. */
  port: number;
  host?: string;
  /** Folder with the built window (index.html); null serves only the WebSocket. */
  staticDir: string | null;
  dbPath?: string;
  initial: InitialOpen;
  env?: NodeJS.ProcessEnv;
  echoEngineStderr?: boolean;
  log?: (line: string) => void;
}

export interface WorkstationServer {
  url: string;
  port: number;
  engine: EngineProcess;
  close(): Promise<void>;
}

const exitMessage = (e: EngineExit): string =>
  e.reason === 'oom' ? 'The engine ran out of memory and stopped.' : e.reason === 'killed' ? 'The engine was killed.' : `The engine stopped unexpectedly (${e.signal ?? `exit code ${e.code}`}).`;

export async function startWorkstationServer(o: WorkstationServerOptions): Promise<WorkstationServer> {
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? ((l: string) => process.stderr.write(`[serve] ${l}\n`));
  let client: WebSocket | null = null;
  let lastHello: Uint8Array | null = null;

  // A restarted engine reopens the session that was open: the last open request whose
  // session became ready (its session options included), or the demo.
  let pendingOpen: InitialOpen | null = null;
  const noteSession = (bytes: Uint8Array) => {
    let m: EngineEvent;
    try {
      m = decodeEnvelope<EngineEvent>(bytes).message;
    } catch {
      return;
    }
    if (m.kind !== 'session_ready') return;
    if (m.session.isDemo) engine.setInitial({ kind: 'demo' });
    else if (pendingOpen?.kind === 'file' && pendingOpen.path === m.session.sourcePath) engine.setInitial(pendingOpen);
    else engine.setInitial({ kind: 'file', path: m.session.sourcePath });
  };
  const toClient = (bytes: Uint8Array) => {
    noteSession(bytes);
    if (client && client.readyState === client.OPEN) client.send(bytes, { binary: true });
  };
  const alertClient = (alert: Extract<EngineEvent, { kind: 'alert' }>['alert']) => toClient(encodeEnvelope<EngineEvent>({ kind: 'alert', alert }));

  const engine = new EngineProcess({
    dbPath: o.dbPath,
    initial: o.initial,
    env: o.env,
    echoStderr: o.echoEngineStderr ?? true,
    onMessage: toClient,
    onExit(exit, restartInMs) {
      log(`engine exited: ${exit.reason} (${exit.signal ?? exit.code})${restartInMs === null ? '; giving up' : `; restarting in ${restartInMs} ms`}`);
      alertClient({
        severity: 'error',
        code: exit.reason === 'oom' ? 'worker.out_of_memory' : 'worker.crashed',
        message: exitMessage(exit),
        hint: restartInMs === null ? 'It crashed repeatedly; restart the server (npm start).' : `Restarting it in ${(restartInMs / 1000).toFixed(1)} s. ${exit.stderrTail}`.trim(),
      });
    },
    onRestart() {
      log('engine restarted');
      // Greet the new engine on the window's behalf so it re-sends welcome and its session.
      if (lastHello) engine.send(lastHello);
    },
  });
  engine.start();

  const server: Server = createServer((req, res) => {
    if (o.staticDir) serveStatic(o.staticDir, req, res);
    else res.writeHead(404).end('no window build: only /engine is served');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Only this machine's pages may connect (the server listens on loopback, but a page from
    // another origin in the same browser could still try).
    const origin = req.headers.origin;
    if (path !== '/engine' || (origin && !/^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?|file:\/\/|null)$/.test(origin))) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    if (client && client.readyState === client.OPEN) client.close(4000, 'replaced by a newer window');
    client = ws;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Buffer);
      const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      try {
        const m = decodeEnvelope<Request>(u8).message;
        if (m.kind === 'hello') lastHello = u8.slice();
        else if (m.kind === 'open_file' && typeof m.path === 'string') {
          const { kind: _k, path, ...options } = m;
          pendingOpen = { kind: 'file', path, options };
        }
      } catch {
        /* the engine answers malformed envelopes itself */
      }
      if (!engine.send(u8)) {
        alertClient({ severity: 'warning', code: 'worker.unavailable', message: 'The engine is restarting; the request was not delivered.', hint: 'Try again in a moment.' });
      }
    });
    ws.on('close', () => {
      if (client === ws) client = null;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    engine,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      await engine.stop();
    },
  };
}
