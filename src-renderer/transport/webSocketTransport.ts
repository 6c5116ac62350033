import { REPLACED_BY_NEWER_WINDOW, toBytes, type Transport, type TransportStatus } from './transport';

// Browser mode: the serve command bridges the protocol over ws://<host>/engine.
// Reconnects with exponential backoff (250 ms → 5 s) so a restarted server is picked up.

/** `Socket` is injectable so the reconnect logic is testable under Node (the `ws` client). */
export function webSocketTransport(url: string, Socket: typeof WebSocket = WebSocket): Transport {
  let ws: WebSocket | null = null;
  let onMsg: (b: Uint8Array) => void = () => {};
  let onStat: (s: TransportStatus) => void = () => {};
  let onReplaced: () => void = () => {};
  let backoff = 250;
  let closed = false;
  const queue: Uint8Array[] = [];

  const connect = () => {
    if (closed) return;
    onStat('connecting');
    const sock = new Socket(url);
    sock.binaryType = 'arraybuffer';
    ws = sock;
    sock.onopen = () => {
      backoff = 250;
      onStat('open');
      while (queue.length && sock.readyState === 1 /* OPEN */) sock.send(queue.shift()! as Uint8Array<ArrayBuffer>);
    };
    sock.onmessage = (ev) => {
      const b = toBytes(ev.data);
      if (b) onMsg(b);
    };
    sock.onclose = (ev: CloseEvent) => {
      if (ws !== sock) return;
      ws = null;
      onStat('closed');
      // The server serves one window at a time and closes the older one with 4000 when another
      // connects; fighting back would make two windows evict each other forever.
      if (ev.code === REPLACED_BY_NEWER_WINDOW) {
        onReplaced();
        return;
      }
      if (!closed) setTimeout(connect, backoff);
      backoff = Math.min(5000, backoff * 2);
    };
  };
  queueMicrotask(connect);

  return {
    kind: 'browser',
    send(bytes) {
      if (ws && ws.readyState === 1 /* OPEN */) ws.send(bytes as Uint8Array<ArrayBuffer>);
      else queue.push(bytes);
    },
    onMessage(cb) {
      onMsg = cb;
    },
    onStatus(cb) {
      onStat = cb;
    },
    onReplaced(cb) {
      onReplaced = cb;
    },
    close() {
      closed = true;
      ws?.close();
    },
  };
}
