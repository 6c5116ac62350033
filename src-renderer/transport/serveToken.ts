// Browser mode: the serve command hands the page a per-run token (issue 14), like Jupyter:
// it is in the URL it prints (`?token=…`) and in a <meta name="spymaster-token"> of the page
// it serves. The window needs it for the engine WebSocket and for any HTTP endpoint that
// touches data (e.g. the upload of a dropped file). Kept in sessionStorage so a reload of a
// URL without the query still works in the same tab.
const KEY = 'spymaster.token';

export function serveToken(): string | null {
  const meta = document.querySelector('meta[name="spymaster-token"]')?.getAttribute('content');
  const fromUrl = new URLSearchParams(location.search).get('token');
  const tok = fromUrl || meta || sessionStorage.getItem(KEY);
  if (tok) sessionStorage.setItem(KEY, tok);
  // Keep the secret out of the address bar (screenshots, shared links); the tab remembers it.
  if (fromUrl) {
    const u = new URL(location.href);
    u.searchParams.delete('token');
    history.replaceState(history.state, '', u.pathname + u.search + u.hash);
  }
  return tok || null;
}
