// Entry of the engine as an Electron utility process. Main posts a MessagePort (one end of a
// MessageChannelMain whose other end went to the window); envelopes flow on that port and
// main stays out of the data path. A later port (window reloaded) replaces the earlier one.
// No `electron` import: process.parentPort is provided by the utility process runtime.
import { createEngine } from './createEngine';
import { parseEngineArgs } from './entryConfig';

interface PortLike {
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(data: unknown): void;
  start(): void;
  close(): void;
}
interface ParentPortLike {
  on(event: 'message', cb: (e: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  process.stderr.write('electronEntry runs only as an Electron utility process\n');
  process.exit(2);
}

let port: PortLike | null = null;
const host = createEngine(parseEngineArgs(process.argv.slice(2)), (bytes) => port?.postMessage(bytes));

parentPort.on('message', (e) => {
  if (e.data === 'shutdown') {
    void host.close().finally(() => process.exit(0));
    return;
  }
  const next = e.ports?.[0];
  if (!next) return;
  port?.close();
  port = next;
  next.on('message', (ev) => {
    const d = ev.data;
    if (d instanceof Uint8Array) host.receive(d);
    else if (d instanceof ArrayBuffer) host.receive(new Uint8Array(d));
    else if (ArrayBuffer.isView(d)) host.receive(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  });
  next.start();
});
