// Serving the built window (out/renderer) over HTTP: GET/HEAD only, no directory escape,
// correct content types, a strict CSP and no caching of index.html (so a rebuilt window is
// picked up on reload).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Used when the page declares no policy of its own. */
export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:";

/**
 * The header policy is the page's own <meta> policy (one source of truth, kept by the window)
 * plus what only a header can say: no framing, no plugins, no <base> hijack.
 */
export function cspForHtml(html: string): string {
  const m = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  return `${(m ? m[1] : DEFAULT_CSP).replace(/;\s*$/, '')}; object-src 'none'; base-uri 'self'; frame-ancestors 'none'`;
}

/** Puts the per-run token into the page for its engine socket and uploads (serveToken.ts reads it). */
export function withTokenMeta(html: string, token: string): string {
  const tag = `<meta name="spymaster-token" content="${token.replace(/[^A-Za-z0-9_-]/g, '')}" />`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}\n    ${tag}`) : `${tag}\n${html}`;
}

/** `token`: the page (index.html) gets it as a <meta>; the caller has checked the request may see it. */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, token?: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = normalize(join(root, pathname));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
    return;
  }
  const isHtml = extname(file) === '.html';
  const html = isHtml ? (token ? Buffer.from(withTokenMeta(readFileSync(file, 'utf8'), token)) : readFileSync(file)) : null;
  if (html) size = html.length;
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    ...(html ? { 'Content-Security-Policy': cspForHtml(html.toString('utf8')) } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (html) {
    res.end(html);
    return;
  }
  createReadStream(file).pipe(res);
}
