// Where the replay engine gets its windows (issue 10 item 1; lichtblick IterablePlayer's
// sources): one seam, two implementations.
// - DuckDbWindowSource: a committed build, read in chunks of windows from DuckDB (a small LRU
//   of chunks, the next one warmed halfway through the current one).
// - LiveWindowSource (liveWindowSource.ts): the running engine's windows, kept in memory as
//   they close; its session grows until the build (or the feed) ends.
// The engine plays, seeks and paces the same way over either; growth is announced to it
// (`onGrow`) and from there to the window (`session_grown`).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EncodedFrame } from './frameEncoder';
import { encodeFrame } from './frameEncoder';
import type { ReplaySession } from './sessionInfo';
import { loadWindowChunk, type WindowChunk } from './windowChunk';

export interface WindowSource {
  /** The session as far as it is known: `windowCount` grows while `growing`. */
  readonly session: ReplaySession;
  /** More windows may still come. */
  readonly growing: boolean;
  /** Oldest window the source can still give (a ring forgets old windows); 0 when it keeps all. */
  readonly firstAvailable: number;
  /** The `snap` and `grid` layers of window `index` (0 ≤ index < session.windowCount). */
  frame(index: number): Promise<EncodedFrame>;
  /** Called after the session grew or stopped growing; returns the unsubscribe. */
  onGrow(listener: () => void): () => void;
  dispose(): void;
}

export interface DuckDbSourceOptions {
  /** Windows per DuckDB chunk. */
  chunkWindows?: number;
  /** Chunks kept in memory (current, next, one behind). */
  cachedChunks?: number;
}

export class DuckDbWindowSource implements WindowSource {
  readonly growing = false;
  readonly firstAvailable = 0;
  private chunks = new Map<number, Promise<WindowChunk>>();
  private readonly chunkWindows: number;
  private readonly cachedChunks: number;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly session: ReplaySession,
    opts: DuckDbSourceOptions = {},
  ) {
    this.chunkWindows = opts.chunkWindows ?? 60;
    this.cachedChunks = opts.cachedChunks ?? 4;
  }

  onGrow(): () => void {
    return () => undefined;
  }

  dispose(): void {
    this.chunks.clear();
  }

  private chunkFor(index: number): Promise<WindowChunk> {
    const start = Math.floor(index / this.chunkWindows) * this.chunkWindows;
    let p = this.chunks.get(start);
    if (!p) {
      p = loadWindowChunk(this.conn, this.session, start, this.chunkWindows);
      p.catch(() => this.chunks.delete(start));
      this.chunks.set(start, p);
      while (this.chunks.size > this.cachedChunks) this.chunks.delete(this.chunks.keys().next().value!);
    } else {
      // Refresh LRU position.
      this.chunks.delete(start);
      this.chunks.set(start, p);
    }
    return p;
  }

  async frame(index: number): Promise<EncodedFrame> {
    const chunk = await this.chunkFor(index);
    // Warm the next chunk halfway through this one so playback never waits on DuckDB.
    if (index - chunk.start >= this.chunkWindows / 2 && chunk.start + this.chunkWindows < this.session.windowCount) {
      void this.chunkFor(chunk.start + this.chunkWindows).catch(() => undefined);
    }
    return encodeFrame(chunk, index - chunk.start, this.session.tickInt);
  }
}
