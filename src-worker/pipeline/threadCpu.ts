// CPU seconds of the calling thread (Linux: /proc/thread-self/stat, 10 ms ticks; NaN elsewhere).
// The ingest reports them per thread: on a shared 2-core machine wall seconds mostly measure the
// neighbours, CPU seconds what each thread really did.
import { readFileSync } from 'node:fs';

let broken = process.platform !== 'linux';

export function threadCpuSeconds(): number {
  if (broken) return NaN;
  try {
    const s = readFileSync('/proc/thread-self/stat', 'latin1');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    broken = true;
    return NaN;
  }
}
