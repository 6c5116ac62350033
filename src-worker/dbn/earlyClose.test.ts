// A consumer may stop reading early (cache hit, session over, cancel). Every zstd back end
// must then release its resources promptly — including the `zstd -dc` pipe when its output
// is paused because 8 MiB are queued (this used to hang).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableZstdBackends, decodeDbnSync, openDbnFileWriter, readDbnFile } from './index';
import { bytesOf, ESH4 } from './testing/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'dbn-early-close-'));
const big = join(dir, 'esh4x4.dbn.zst');

beforeAll(async () => {
  // ~15 MiB of decompressed DBN: more than the pipe back end queues before pausing.
  const src = decodeDbnSync(bytesOf(ESH4));
  const w = openDbnFileWriter(big, { level: 1 });
  w.writeMetadata(src.metadata!);
  for (let k = 0; k < 4; k++) w.writeMboBatch(src.mbo);
  await w.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stopping early', () => {
  for (const backend of availableZstdBackends()) {
    it(`${backend}: break after the first batch returns promptly and a full read still works`, async () => {
      for (let i = 0; i < 3; i++) {
        for await (const ev of readDbnFile(big, { zstd: backend })) {
          if (ev.kind === 'mbo') {
            await new Promise((r) => setTimeout(r, 150)); // let the producer fill its queue
            break;
          }
        }
      }
      let n = 0;
      for await (const ev of readDbnFile(big, { zstd: backend })) if (ev.kind === 'mbo') n += ev.batch.count;
      expect(n).toBe(4 * 68792);
    }, 30_000);
  }

  for (const backend of availableZstdBackends()) {
    it(`${backend}: progress (onBytes) counts compressed bytes, never goes back, ends at the file size`, async () => {
      const seen: number[] = [];
      let total = 0;
      for await (const ev of readDbnFile(big, { zstd: backend, onBytes: (r, t) => (seen.push(r), (total = t)) })) void ev;
      expect(total).toBe(statSync(big).size);
      expect(seen.at(-1)).toBe(total);
      expect(seen.every((x, i) => i === 0 || x >= seen[i - 1])).toBe(true);
    });
  }

  it('an abort signal mid-file stops with ABORTED', async () => {
    const ac = new AbortController();
    let n = 0;
    await expect(
      (async () => {
        for await (const ev of readDbnFile(big, { signal: ac.signal })) {
          if (ev.kind === 'mbo') {
            n += ev.batch.count;
            ac.abort();
          }
        }
      })(),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(n).toBeGreaterThan(0);
  });
});
