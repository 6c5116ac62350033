// Browser mode as an attacker's web page would try it (issue 14), against the real server
// (real engine child process) on a random loopback port: raw HTTP with forged Host/Origin
// headers and the `ws` client. Only a request with this run's token, from this server's own
// origin and naming this server in its Host header gets anything.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { PROTOCOL_VERSION, type EngineEvent, type Request } from '../../contracts/protocol';
import { AccessGuard } from './accessGuard';
import { safeUploadName } from './upload';
import { startWorkstationServer, type WorkstationServer } from './workstationServer';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-sec-'));
const logs: string[] = [];
let server: WorkstationServer;

beforeAll(async () => {
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(join(dir, 'www', 'app.js'), 'console.log(1)');
  server = await startWorkstationServer({
    port: 0,
    staticDir: join(dir, 'www'),
    dbPath: join(dir, 'db', 'spymaster.duckdb'),
    initial: { kind: 'none' },
    env: { SPYMASTER_CACHE_DIR: join(dir, 'cache') },
    echoEngineStderr: false,
    maxUploadBytes: 64 * 1024,
    log: (l) => logs.push(l),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request to the server with any headers (fetch cannot forge Host). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens the engine socket; resolves 'open' or the HTTP status of the refusal. */
function tryWs(query: string, headers: Record<string, string> = {}, origin?: string): Promise<{ result: 'open' | number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/engine${query}`, { headers, origin });
    ws.once('open', () => resolve({ result: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ result: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ result: -1 }));
  });
}

const ours = () => `http://127.0.0.1:${server.port}`;
const tok = () => `?token=${server.token}`;

describe('the page', () => {
  it('is refused without the token, with a wrong token, and logged', async () => {
    const before = logs.length;
    expect((await raw('GET', '/')).status).toBe(403);
    expect((await raw('GET', '/index.html')).status).toBe(403);
    const wrong = await raw('GET', `/?token=${'0'.repeat(48)}`);
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain(server.token);
    expect(logs.slice(before).join('\n')).toMatch(/refused GET \/ from .*: no token[\s\S]*wrong token/);
  });

  it('with the token: the page carries it in a <meta>, and a cookie remembers it for reloads', async () => {
    const ok = await raw('GET', `/${tok()}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(`<meta name="spymaster-token" content="${server.token}" />`);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^spymaster_token_${server.port}=${server.token}; Path=/; HttpOnly; SameSite=Strict`));
    const reload = await raw('GET', '/', { Cookie: cookie.split(';')[0] });
    expect(reload.status).toBe(200);
    expect(reload.body).toContain(server.token);
    // Another port's cookie (another server on this machine) is not ours.
    expect((await raw('GET', '/', { Cookie: `spymaster_token_1=${server.token}` })).status).toBe(403);
  });

  it('a DNS-rebinding Host (a domain name, or another port) is refused even with the token', async () => {
    for (const host of [`evil.example:${server.port}`, `localhost.evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1`, `10.1.2.3:${server.port}`]) {
      const r = await raw('GET', `/${tok()}`, { Host: host });
      expect(r.status, host).toBe(403);
      expect(r.body).not.toContain(server.token);
    }
    expect((await raw('GET', '/app.js', { Host: `evil.example:${server.port}` })).status).toBe(403);
    // localhost on our port is us.
    expect((await raw('GET', `/${tok()}`, { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('an unparsable request target is a 400, and the server keeps serving', async () => {
    for (const target of ['//[', 'http://[', 'http://a:b:c/']) expect((await raw('GET', target)).status, target).toBe(400);
    // The same on the WebSocket upgrade (this one used to throw inside the server's upgrade handler).
    const up = await raw('GET', '//[', { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' });
    expect(up.status).toBe(403);
    expect((await tryWs('', {}, undefined).then(() => raw('GET', `/${tok()}`))).status).toBe(200);
  });

  it('static assets (no data) need no token; the path cannot escape the build folder', async () => {
    expect((await raw('GET', '/app.js')).status).toBe(200);
    expect((await raw('GET', '/..%2f..%2fetc%2fpasswd')).status).not.toBe(200);
  });
});

describe('the engine socket', () => {
  it('refuses a missing or wrong token (403, logged)', async () => {
    const before = logs.length;
    expect((await tryWs('')).result).toBe(403);
    expect((await tryWs('?token=')).result).toBe(403);
    expect((await tryWs(`?token=${server.token.slice(0, -1)}x`)).result).toBe(403);
    expect((await tryWs(`?token=${server.token}0`)).result).toBe(403);
    expect(logs.slice(before).filter((l) => /refused GET \/engine/.test(l))).toHaveLength(4);
  });

  it('refuses Origin null (a sandboxed iframe) and pages from other ports, even with the token', async () => {
    expect((await tryWs(tok(), {}, 'null')).result).toBe(403);
    expect((await tryWs(tok(), {}, `http://127.0.0.1:${server.port + 1}`)).result).toBe(403);
    expect((await tryWs(tok(), {}, `http://localhost:${server.port + 1}`)).result).toBe(403);
    expect((await tryWs(tok(), {}, 'http://127.0.0.1')).result).toBe(403);
    expect((await tryWs(tok(), {}, `https://127.0.0.1:${server.port}`)).result).toBe(403);
    expect((await tryWs(tok(), {}, 'https://evil.example')).result).toBe(403);
    expect((await tryWs(tok(), {}, 'file://')).result).toBe(403);
  });

  it('refuses a rebinding Host, even with the token and a matching origin', async () => {
    const host = `evil.example:${server.port}`;
    expect((await tryWs(tok(), { Host: host }, `http://${host}`)).result).toBe(403);
  });

  it('the page of this server with its token reaches the engine (127.0.0.1 and localhost)', async () => {
    for (const [origin, host] of [
      [ours(), `127.0.0.1:${server.port}`],
      [`http://localhost:${server.port}`, `localhost:${server.port}`],
    ]) {
      const { result, ws } = await tryWs(tok(), { Host: host }, origin);
      expect(result).toBe('open');
      const welcome = new Promise<EngineEvent>((resolve) =>
        ws!.on('message', (d: Buffer) => {
          const m = decodeEnvelope<EngineEvent>(new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice()).message;
          if (m.kind === 'welcome') resolve(m);
        }),
      );
      ws!.send(encodeEnvelope<Request>({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' }));
      expect((await welcome).kind).toBe('welcome');
      ws!.close();
    }
  }, 60_000);
});

describe('the upload of a dropped file', () => {
  const put = (name: string, body: Buffer, headers: Record<string, string> = { 'X-Spymaster-Token': server.token }) =>
    raw('PUT', `/api/upload?name=${encodeURIComponent(name)}`, { 'Content-Type': 'application/octet-stream', ...headers }, body);

  it('needs the token in its header (not in the query, not a cookie) and our origin', async () => {
    const body = Buffer.from('DBN\x03');
    expect((await put('a.dbn', body, {})).status).toBe(403);
    expect((await put('a.dbn', body, { 'X-Spymaster-Token': 'x'.repeat(48) })).status).toBe(403);
    expect((await raw('PUT', `/api/upload?name=a.dbn&token=${server.token}`, {}, body)).status).toBe(403);
    expect((await put('a.dbn', body, { 'X-Spymaster-Token': server.token, Origin: 'null' })).status).toBe(403);
    expect((await put('a.dbn', body, { 'X-Spymaster-Token': server.token, Host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('streams the bytes into this run’s upload folder under the cache dir and answers its path', async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const r = await put('../../etc/ESH4 day.dbn.zst', bytes, { 'X-Spymaster-Token': server.token, Origin: ours() });
    expect(r.status).toBe(200);
    const { path } = JSON.parse(r.body) as { path: string };
    expect(relative(join(dir, 'cache', 'uploads'), path)).toMatch(/^run-[^/]+\/\d+\/ESH4 day\.dbn\.zst$/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    // A second file of the same name does not overwrite the first.
    const again = JSON.parse((await put('ESH4 day.dbn.zst', Buffer.from('x'))).body) as { path: string };
    expect(again.path).not.toBe(path);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses names that are not DBN files and bodies over the cap, keeping nothing', async () => {
    expect((await put('notes.txt', Buffer.from('hi'))).status).toBe(415);
    expect((await put('', Buffer.from('hi'))).status).toBe(415);
    const big = await put('big.dbn', Buffer.alloc(65 * 1024));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error).toMatch(/larger than the upload limit/);
  });

  it('a streamed body (no Content-Length) is cut off at the cap and its partial file removed', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'PUT', path: '/api/upload?name=stream.dbn', headers: { Host: `127.0.0.1:${server.port}`, 'X-Spymaster-Token': server.token, 'Transfer-Encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve(-1));
      for (let k = 0; k < 20; k++) req.write(Buffer.alloc(8 * 1024));
      req.end();
      setTimeout(() => reject(new Error('no answer')), 10_000);
    });
    expect([413, -1]).toContain(status);
    const { readdirSync } = await import('node:fs');
    const runDir = readdirSync(join(dir, 'cache', 'uploads'))[0];
    const kept = readdirSync(join(dir, 'cache', 'uploads', runDir)).flatMap((n) => readdirSync(join(dir, 'cache', 'uploads', runDir, n)));
    expect(kept).not.toContain('stream.dbn');
  });

  it('file names are reduced to a plain name', () => {
    expect(safeUploadName('C:\\Users\\me\\a.dbn')).toBe('a.dbn');
    expect(safeUploadName('..')).toBeNull();
    expect(safeUploadName('.hidden.dbn')).toBe('hidden.dbn');
    expect(safeUploadName('x.dbn.zst\u0000.txt')).toBeNull();
    expect(safeUploadName('<script>.dbn')).toBe('_script_.dbn');
  });
});

describe('binding', () => {
  it('refuses a non-loopback address unless exposed explicitly', async () => {
    await expect(startWorkstationServer({ port: 0, host: '0.0.0.0', staticDir: null, initial: { kind: 'none' }, log: () => undefined })).rejects.toThrow(/not a loopback address/);
    await expect(startWorkstationServer({ port: 0, staticDir: null, initial: { kind: 'none' }, token: 'short', log: () => undefined })).rejects.toThrow(/at least 32/);
  });

  it('exposed on an address, the Host may be that address (an IP), never a domain name', () => {
    const g = new AccessGuard('t'.repeat(48), '192.168.1.5', 5174);
    const req = (host: string, origin?: string) => ({ headers: { host, origin } }) as never;
    expect(g.checkHost(req('192.168.1.5:5174'))).toBeNull();
    expect(g.checkHost(req('[::1]:5174'))).toBeNull();
    expect(g.checkHost(req('192.168.1.6:5174'))?.status).toBe(403);
    expect(g.checkHost(req('nas.local:5174'))?.status).toBe(403);
    expect(g.checkOrigin(req('192.168.1.5:5174', 'http://192.168.1.5:5174'))).toBeNull();
    expect(g.checkOrigin(req('192.168.1.5:5174', 'null'))?.status).toBe(403);
    const loop = new AccessGuard('t'.repeat(48), '127.0.0.1', 5174);
    expect(loop.checkHost(req('192.168.1.5:5174'))?.status).toBe(403);
  });
});
