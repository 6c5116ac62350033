// Who may talk to the browser-mode server (issue 14). The server listens on loopback, but any
// web page open in the same browser can aim requests at 127.0.0.1: a sandboxed iframe sends
// `Origin: null`, a page served from another local port sends its own origin, and a DNS
// rebinding attack sends a Host header naming the attacker's domain. So every request must
//  - name this server in its Host header (an IP literal or `localhost`, with our port): a
//    rebound domain name never passes;
//  - come from our own origin when it says where it comes from (browsers always do on a
//    WebSocket upgrade and on a PUT): exactly http://127.0.0.1:<port> or localhost:<port>;
//  - carry the per-run token (≥ 128 random bits) when it touches data: the page, the engine
//    socket, the upload. The token is printed in the URL `serve` shows, like Jupyter.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** 24 random bytes (192 bits) as 48 hex characters: safe in a URL, a cookie and a meta tag. */
export function newServeToken(): string {
  return randomBytes(24).toString('hex');
}

/** A token given from outside (SPYMASTER_SERVE_TOKEN, for tests) must be as strong as ours. */
export function isStrongToken(t: string): boolean {
  return /^[A-Za-z0-9_-]{32,256}$/.test(t);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export type Refusal = { status: 403 | 400; reason: string } | null;

export class AccessGuard {
  /** `host` is the address the server is bound to; `port` the port it actually listens on. */
  constructor(
    readonly token: string,
    readonly boundHost: string,
    readonly port: number,
  ) {}

  /** The cookie that remembers the token for reloads of a URL without `?token=` (per port: cookies ignore ports). */
  get cookieName(): string {
    return `spymaster_token_${this.port}`;
  }

  tokenEquals(given: string | null | undefined): boolean {
    if (typeof given !== 'string' || given.length !== this.token.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(this.token));
  }

  /** Host header: an IP literal or localhost, on our port (a rebound DNS name is refused). */
  checkHost(req: IncomingMessage): Refusal {
    const h = req.headers.host;
    if (!h) return { status: 400, reason: 'no Host header' };
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(h);
    if (!m) return { status: 400, reason: 'malformed Host header' };
    const name = m[1].toLowerCase();
    const port = m[2] === undefined ? 80 : Number(m[2]);
    if (port !== this.port) return { status: 403, reason: `Host names another port (${port})` };
    const bare = name.startsWith('[') ? name.slice(1, -1) : name;
    if (name === 'localhost' || isIP(bare)) {
      // Bound to loopback: only loopback names. Bound to an explicit address: that one too.
      if (isLoopbackHost(name) || isLoopbackHost(bare)) return null;
      if (!isLoopbackHost(this.boundHost) && (this.boundHost === bare || this.boundHost === '0.0.0.0' || this.boundHost === '::')) return null;
      return { status: 403, reason: 'Host is not an address of this server' };
    }
    return { status: 403, reason: 'Host is a domain name (DNS rebinding?)' };
  }

  /** The origins our own page has: the loopback names on our port, plus the Host it reached us by. */
  private allowedOrigin(origin: string, req: IncomingMessage): boolean {
    const p = this.port;
    if (origin === `http://127.0.0.1:${p}` || origin === `http://localhost:${p}` || origin === `http://[::1]:${p}`) return true;
    // Exposed with --host (explicit flag): the page is loaded by the address the user typed.
    return !isLoopbackHost(this.boundHost) && this.checkHost(req) === null && origin === `http://${req.headers.host}`;
  }

  /** Origin: absent (a non-browser client; the token still decides) or exactly ours. `null` is refused. */
  checkOrigin(req: IncomingMessage): Refusal {
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    if (this.allowedOrigin(origin, req)) return null;
    return { status: 403, reason: `Origin ${JSON.stringify(origin.slice(0, 80))} is not this server's page` };
  }

  /** The token of a request: `?token=`, the X-Spymaster-Token header or our cookie. */
  tokenOf(req: IncomingMessage, opts: { query?: boolean; header?: boolean; cookie?: boolean }): string | null {
    if (opts.header) {
      const h = req.headers['x-spymaster-token'];
      if (typeof h === 'string') return h;
    }
    if (opts.query) {
      let q: string | null = null;
      try {
        q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
      } catch {
        /* an unparsable target carries no token */
      }
      if (q) return q;
    }
    if (opts.cookie) {
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
      }
    }
    return null;
  }

  /** Host, Origin and token in one go; `where` lists where the token may come from. */
  check(req: IncomingMessage, where: { query?: boolean; header?: boolean; cookie?: boolean }): Refusal {
    const host = this.checkHost(req);
    if (host) return host;
    const origin = this.checkOrigin(req);
    if (origin) return origin;
    const tok = this.tokenOf(req, where);
    if (tok === null) return { status: 403, reason: 'no token' };
    if (!this.tokenEquals(tok)) return { status: 403, reason: 'wrong token' };
    return null;
  }
}
