// Playback as an explicit state machine (ARCHITECTURE practice 8). The replay engine asks
// this table before doing anything; an event that is not allowed in the current state is
// refused with a reason (sent to the window as an info alert), never silently applied.
import type { PlaybackState } from '../../contracts/protocol';

export type PlaybackEvent =
  /** An ingest (file or demo) starts. The previous session, if any, stays open until it succeeds. */
  | 'open'
  | 'ingest_done'
  /** Ingest failed or was cancelled: back to the previous session (paused) or idle. */
  | 'ingest_failed'
  | 'close'
  | 'play'
  | 'pause'
  /** The playhead reached the last window while playing. */
  | 'reached_end'
  /** A seek / step / skip starts loading the target window. */
  | 'seek'
  | 'seek_done';

export interface MachineState {
  state: PlaybackState;
  /** A session (ready dataset) is open: playback events are meaningful. */
  hasSession: boolean;
  /** State to return to when a seek finishes (playing keeps playing, otherwise paused). */
  resumeTo: 'playing' | 'paused' | 'ready';
}

export const INITIAL_MACHINE: MachineState = { state: 'idle', hasSession: false, resumeTo: 'paused' };

export type TransitionResult = { ok: true; next: MachineState } | { ok: false; reason: string };

const refuse = (s: MachineState, e: PlaybackEvent): TransitionResult => ({
  ok: false,
  reason: `cannot ${e.replace('_', ' ')} while ${s.state}`,
});

export function transition(s: MachineState, e: PlaybackEvent): TransitionResult {
  const to = (state: PlaybackState, patch: Partial<MachineState> = {}): TransitionResult => ({
    ok: true,
    next: { ...s, state, ...patch },
  });
  switch (e) {
    case 'open':
      // One ingest at a time; everything else may start one.
      return s.state === 'ingesting' || s.state === 'seeking' ? refuse(s, e) : to('ingesting');
    case 'ingest_done':
      return s.state === 'ingesting' ? to('ready', { hasSession: true, resumeTo: 'ready' }) : refuse(s, e);
    case 'ingest_failed':
      if (s.state !== 'ingesting') return refuse(s, e);
      return s.hasSession ? to('paused', { resumeTo: 'paused' }) : to('idle');
    case 'close':
      if (s.state === 'ingesting' || s.state === 'seeking') return refuse(s, e);
      return to('idle', { hasSession: false, resumeTo: 'paused' });
    case 'play':
      return s.state === 'ready' || s.state === 'paused' ? to('playing') : refuse(s, e);
    case 'pause':
      if (s.state === 'playing') return to('paused');
      if (s.state === 'seeking') return to('seeking', { resumeTo: 'paused' });
      return refuse(s, e);
    case 'reached_end':
      return s.state === 'playing' ? to('paused') : refuse(s, e);
    case 'seek':
      if (s.state === 'ready' || s.state === 'paused') return to('seeking', { resumeTo: 'paused' });
      if (s.state === 'playing') return to('seeking', { resumeTo: 'playing' });
      // A second seek while one is loading retargets it.
      if (s.state === 'seeking') return to('seeking');
      return refuse(s, e);
    case 'seek_done':
      return s.state === 'seeking' ? to(s.resumeTo) : refuse(s, e);
  }
}
