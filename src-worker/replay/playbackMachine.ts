// Playback as an explicit state machine (ARCHITECTURE practice 8). The replay engine asks
// this table before doing anything; an event that is not allowed in the current state is
// refused with a reason (sent to the window as an info alert), never silently applied.
//
// "Is a build running" and "what is playback doing" are two things. `state` is playback;
// 'ingesting' in it means only "a build runs and there is nothing to play yet" (what the
// window shows as a progress screen). A session whose windows are still being built (a
// growing session: progressive display, a live feed) is playable at once: `building` says a
// build runs under it, and the state is an ordinary playback state (ready, playing, …).
import type { PlaybackState } from '../../contracts/protocol';

export type PlaybackEvent =
  /** An ingest (file or demo) starts. The previous session, if any, stays open until it succeeds. */
  | 'open'
  | 'ingest_done'
  /** Ingest failed or was cancelled: back to the previous session (paused) or idle. */
  | 'ingest_failed'
  /** The ingest's first windows are playable: a growing session opens while the build goes on. */
  | 'grow_attach'
  /** After a growing build failed (its session closed): the previous committed session opens again. */
  | 'restore'
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
  /** Set (true) while the open session is still being built; absent otherwise. */
  building?: true;
}

export const INITIAL_MACHINE: MachineState = { state: 'idle', hasSession: false, resumeTo: 'paused' };

export type TransitionResult = { ok: true; next: MachineState } | { ok: false; reason: string };

const refuse = (s: MachineState, e: PlaybackEvent): TransitionResult => ({
  ok: false,
  reason: s.building && (e === 'open' || e === 'close') ? `cannot ${e} while the session is still being built` : `cannot ${e.replace('_', ' ')} while ${s.state}`,
});

export function transition(s: MachineState, e: PlaybackEvent): TransitionResult {
  const to = (state: PlaybackState, patch: Partial<MachineState> = {}): TransitionResult => ({
    ok: true,
    next: { ...s, state, ...patch },
  });
  const built = (): Partial<MachineState> => ({ building: undefined });
  switch (e) {
    case 'open':
      // One ingest at a time; everything else may start one.
      return s.building || s.state === 'ingesting' || s.state === 'seeking' ? refuse(s, e) : to('ingesting');
    case 'grow_attach':
      return s.state === 'ingesting' ? to('ready', { hasSession: true, resumeTo: 'ready', building: true }) : refuse(s, e);
    case 'restore':
      return s.state === 'idle' && !s.building ? to('ready', { hasSession: true, resumeTo: 'ready' }) : refuse(s, e);
    case 'ingest_done':
      // A growing session is complete: playback goes on as it was.
      if (s.building) return to(s.state, built());
      return s.state === 'ingesting' ? to('ready', { hasSession: true, resumeTo: 'ready' }) : refuse(s, e);
    case 'ingest_failed':
      // The windows a failed build showed are not kept: its session closes.
      if (s.building) return to('idle', { hasSession: false, resumeTo: 'paused', building: undefined });
      if (s.state !== 'ingesting') return refuse(s, e);
      return s.hasSession ? to('paused', { resumeTo: 'paused' }) : to('idle');
    case 'close':
      if (s.building || s.state === 'ingesting' || s.state === 'seeking') return refuse(s, e);
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
