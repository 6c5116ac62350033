// Entry of the engine as a Node child process (browser mode: `serve` forks it). Requests come
// over the process IPC channel (advanced serialization keeps them binary); envelopes go back on
// the raw pipe `serve` names in SPYMASTER_ENVELOPE_FD (envelopeStream.ts: no V8 serialization
// of a 1.5 MB slab on the engine's thread, 3–8 ms to `serve` instead of 15–120 ms), or over
// the IPC channel when started without one.
import { Socket } from 'node:net';
import { createEngine } from './createEngine';
import { ENVELOPE_FD_ENV, lengthPrefix } from './envelopeStream';
import { parseEngineArgs } from './entryConfig';

const config = parseEngineArgs(process.argv.slice(2));
if (!process.send) {
  process.stderr.write('the engine child must be started with an IPC channel (child_process.fork)\n');
  process.exit(2);
}
const fd = Number(process.env[ENVELOPE_FD_ENV]);
const pipe = Number.isInteger(fd) && fd > 2 ? new Socket({ fd, readable: false, writable: true }) : null;
pipe?.on('error', () => {
  /* serve went away: 'disconnect' below ends the engine */
});
const ipc = process.send.bind(process);
const send = pipe
  ? (bytes: Uint8Array) => {
      // Two writes, no copy: the socket keeps the envelope until the kernel has taken it.
      pipe.cork();
      pipe.write(lengthPrefix(bytes.byteLength));
      pipe.write(bytes);
      pipe.uncork();
    }
  : (bytes: Uint8Array) => void ipc(bytes);
const host = createEngine(config, send);

process.on('message', (m: unknown) => {
  if (m instanceof Uint8Array) host.receive(m);
  else if (ArrayBuffer.isView(m)) host.receive(new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
});
// The parent went away: finish cleanly so DuckDB checkpoints.
process.on('disconnect', () => {
  void host.close().finally(() => process.exit(0));
});
process.on('SIGTERM', () => {
  void host.close().finally(() => process.exit(0));
});
