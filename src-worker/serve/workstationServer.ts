// Browser mode: HTTP on 127.0.0.1 for the built window and a WebSocket at /engine that
// carries the SAME envelopes as the Electron MessagePort to ONE engine child process.
// One window at a time: a new connection (a reload, a second tab) replaces the old one.
// The server remembers the window's last `hello` so a restarted engine is greeted again.
// Access: only the page this server served (per-run token, exact origin, Host check; see
// accessGuard.ts and docs/SECURITY.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import type { EngineEvent, Request } from '../../contracts/protocol';
import type { InitialOpen } from '../host/engineHost';
import { defaultCacheDir } from '../host/cacheDir';
import { AccessGuard, isLoopbackHost, isStrongToken, newServeToken, type Refusal } from './accessGuard';
import { EngineProcess, type EngineExit } from './engineProcess';
import { serveStatic } from './staticFiles';
import { UploadStore } from './upload';

export interface WorkstationServerOptions {
  /** 0 = any free port. */
  port: number;
  /** Loopback unless `exposed`: anything else lets other machines try the token. */
  host?: string;
  /** Binding to a non-loopback address needs this explicit consent (serve --expose). */
  exposed?: boolean;
  /** The per-run token; default 192 random bits. Must be ≥ 32 URL-safe characters. */
  token?: string;
  /** Upload cap in bytes (default 8 GiB). */
  maxUploadBytes?: number;
  /** Folder with the built window (index.html); null serves only the WebSocket. */
  staticDir: string | null;
  dbPath?: string;
  initial: InitialOpen;
  env?: NodeJS.ProcessEnv;
  echoEngineStderr?: boolean;
  log?: (line: string) => void;
}

export interface WorkstationServer {
  /** The address to open: carries `?token=` (the page keeps it for its socket and uploads). */
  url: string;
  /** The same address without the token (for messages; useless on its own). */
  baseUrl: string;
  token: string;
  port: number;
  engine: EngineProcess;
  close(): Promise<void>;
}

/** The request's path, or null when its target cannot be parsed (e.g. `//[`). */
function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return null;
  }
}

const exitMessage = (e: EngineExit): string =>
  e.reason === 'oom' ? 'The engine ran out of memory and stopped.' : e.reason === 'killed' ? 'The engine was killed.' : `The engine stopped unexpectedly (${e.signal ?? `exit code ${e.code}`}).`;

export async function startWorkstationServer(o: WorkstationServerOptions): Promise<WorkstationServer> {
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? ((l: string) => process.stderr.write(`[serve] ${l}\n`));
  if (!isLoopbackHost(host) && !o.exposed) throw new Error(`refusing to listen on ${host}: not a loopback address (pass exposed: true / --expose to allow it)`);
  const token = o.token ?? newServeToken();
  if (!isStrongToken(token)) throw new Error('the serve token must be at least 32 URL-safe characters');
  let client: WebSocket | null = null;
  let lastHello: Uint8Array | null = null;

  // A restarted engine reopens the session that was open: the last open request whose
  // session became ready (its session options included), or the demo.
  let pendingOpen: InitialOpen | null = null;
  let ingesting: string | null = null;
  const noteSession = (bytes: Uint8Array) => {
    let m: EngineEvent;
    try {
      m = decodeEnvelope<EngineEvent>(bytes).message;
    } catch {
      return;
    }
    // What the engine was building when it died: the window is told that file was not kept.
    if (m.kind === 'ingest_started') ingesting = m.path;
    else if (m.kind === 'ingest_cancelled' || (m.kind === 'alert' && m.alert.severity === 'error' && m.alert.code !== 'worker.crashed')) ingesting = null;
    // A growing session (progressive display) is the build still running: not kept if the
    // engine dies now, so it neither ends the ingest here nor becomes what a restart reopens.
    if (m.kind !== 'session_ready' || m.session.growing) return;
    ingesting = null;
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
      // A build in progress is rolled back by DuckDB (one transaction): say so, and do not retry
      // it by itself (a file that crashes the engine would crash it again).
      const lost = ingesting === null ? '' : ` It was opening ${ingesting === 'demo' ? 'the demo' : ingesting}; nothing of it was kept — open it again when the engine is back.`;
      ingesting = null;
      alertClient({
        severity: 'error',
        code: exit.reason === 'oom' ? 'worker.out_of_memory' : 'worker.crashed',
        message: exitMessage(exit) + lost,
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

  // Set once listening (the guard needs the real port when port 0 was asked for).
  let guard: AccessGuard;
  const uploads = new UploadStore(join(defaultCacheDir({ ...process.env, ...o.env }), 'uploads', `run-${process.pid}-${Date.now()}`), o.maxUploadBytes);
  const refuse = (req: IncomingMessage, what: string, r: NonNullable<Refusal>) => log(`refused ${req.method} ${what} from ${req.socket.remoteAddress ?? '?'}: ${r.reason}`);
  const deny = (req: IncomingMessage, res: ServerResponse, what: string, r: NonNullable<Refusal>) => {
    refuse(req, what, r);
    const body = r.status === 403 ? 'Forbidden: open the address that `npm run cli -- serve` printed (it carries ?token=…).\n' : 'Bad request\n';
    res.writeHead(r.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' }).end(body);
  };

  const server: Server = createServer((req, res) => {
    const path = pathOf(req);
    if (path === null) return deny(req, res, '?', { status: 400, reason: 'malformed request target' });
    if (path.startsWith('/api/')) {
      // Endpoints that touch data: the token in its header only (a cross-site form or image
      // cannot set a header, and a cross-origin fetch with one needs a preflight we never answer).
      const r = guard.check(req, { header: true });
      if (r) return deny(req, res, path, r);
      if (path === '/api/upload') return uploads.handle(req, res);
      return void res.writeHead(404).end();
    }
    const host = guard.checkHost(req);
    if (host) return deny(req, res, path, host);
    const isPage = path === '/' || path === '/index.html';
    let meta: string | undefined;
    if (isPage) {
      // The page carries the token (a <meta>): only a request that already has it gets it.
      const r = guard.check(req, { query: true, cookie: true });
      if (r) return deny(req, res, path, r);
      meta = token;
      // Remembered per port for reloads without ?token= (never sent cross-site: SameSite=Strict).
      res.setHeader('Set-Cookie', `${guard.cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    if (o.staticDir) serveStatic(o.staticDir, req, res, meta);
    else res.writeHead(404).end('no window build: only /engine is served');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = pathOf(req);
    const r: Refusal = path !== '/engine' ? { status: 403, reason: 'no such socket' } : guard.check(req, { query: true });
    if (r) {
      refuse(req, path ?? '?', r);
      socket.end(`HTTP/1.1 ${r.status} ${r.status === 403 ? 'Forbidden' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
  guard = new AccessGuard(token, host, port);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}/`;
  return {
    url: `${baseUrl}?token=${token}`,
    baseUrl,
    token,
    port,
    engine,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await engine.stop();
      uploads.clear();
    },
  };
}
