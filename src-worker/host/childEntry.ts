// Entry of the engine as a Node child process (browser mode: `serve` forks it). Envelopes
// travel over the process IPC channel (advanced serialization keeps them binary).
import { createEngine } from './createEngine';
import { parseEngineArgs } from './entryConfig';

const config = parseEngineArgs(process.argv.slice(2));
if (!process.send) {
  process.stderr.write('the engine child must be started with an IPC channel (child_process.fork)\n');
  process.exit(2);
}
const send = process.send.bind(process);
const host = createEngine(config, (bytes) => send(bytes));

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
