import { describe, expect, it } from 'vitest';
import { INITIAL_MACHINE, transition, type MachineState, type PlaybackEvent } from './playbackMachine';

/** Applies events in order and returns the states visited; throws on a refused event. */
function run(events: PlaybackEvent[], from: MachineState = INITIAL_MACHINE): string[] {
  let s = from;
  const seen: string[] = [];
  for (const e of events) {
    const r = transition(s, e);
    if (!r.ok) throw new Error(r.reason);
    s = r.next;
    seen.push(s.state);
  }
  return seen;
}

describe('playback state machine', () => {
  it('opens a file, plays, pauses, plays to the end', () => {
    expect(run(['open', 'ingest_done', 'play', 'pause', 'play', 'reached_end'])).toEqual([
      'ingesting',
      'ready',
      'playing',
      'paused',
      'playing',
      'paused',
    ]);
  });

  it('a seek while playing resumes playing; while paused stays paused', () => {
    expect(run(['open', 'ingest_done', 'play', 'seek', 'seek_done'])).toEqual(['ingesting', 'ready', 'playing', 'seeking', 'playing']);
    expect(run(['open', 'ingest_done', 'seek', 'seek_done'])).toEqual(['ingesting', 'ready', 'seeking', 'paused']);
  });

  it('pause during a seek lands paused', () => {
    expect(run(['open', 'ingest_done', 'play', 'seek', 'pause', 'seek_done']).at(-1)).toBe('paused');
  });

  it('a failed ingest with no session returns to idle', () => {
    expect(run(['open', 'ingest_failed'])).toEqual(['ingesting', 'idle']);
  });

  it('a failed ingest keeps the previous session (paused)', () => {
    const seen = run(['open', 'ingest_done', 'play', 'open', 'ingest_failed', 'play']);
    expect(seen).toEqual(['ingesting', 'ready', 'playing', 'ingesting', 'paused', 'playing']);
  });

  it('refuses playback without a session and a second ingest while one runs', () => {
    expect(transition(INITIAL_MACHINE, 'play')).toEqual({ ok: false, reason: 'cannot play while idle' });
    const ingesting = transition(INITIAL_MACHINE, 'open');
    expect(ingesting.ok && transition(ingesting.next, 'open').ok).toBe(false);
    expect(ingesting.ok && transition(ingesting.next, 'seek').ok).toBe(false);
    expect(ingesting.ok && transition(ingesting.next, 'close').ok).toBe(false);
  });

  it('close returns to idle and forgets the session', () => {
    let s = INITIAL_MACHINE;
    for (const e of ['open', 'ingest_done', 'play', 'pause', 'close'] as PlaybackEvent[]) {
      const r = transition(s, e);
      if (!r.ok) throw new Error(r.reason);
      s = r.next;
    }
    expect(s).toEqual({ state: 'idle', hasSession: false, resumeTo: 'paused' });
    expect(transition(s, 'play').ok).toBe(false);
  });

  it('"is a build running" is not a playback state: a growing session plays, seeks and pauses while it is built', () => {
    const seen = run(['open', 'grow_attach', 'play', 'seek', 'seek_done', 'pause', 'seek', 'seek_done', 'play', 'ingest_done', 'pause']);
    expect(seen).toEqual(['ingesting', 'ready', 'playing', 'seeking', 'playing', 'paused', 'seeking', 'paused', 'playing', 'playing', 'paused']);
    let s = INITIAL_MACHINE;
    for (const e of ['open', 'grow_attach', 'play'] as PlaybackEvent[]) s = (transition(s, e) as { next: MachineState }).next;
    expect(s).toEqual({ state: 'playing', hasSession: true, resumeTo: 'ready', building: true });
    // One build at a time, and the session being built cannot be closed under it.
    expect(transition(s, 'open')).toEqual({ ok: false, reason: 'cannot open while the session is still being built' });
    expect(transition(s, 'close').ok).toBe(false);
    const done = transition(s, 'ingest_done');
    expect(done.ok && done.next).toEqual({ state: 'playing', hasSession: true, resumeTo: 'ready' });
  });

  it('a failed growing build closes its session; the previous one can be restored', () => {
    const seen = run(['open', 'ingest_done', 'open', 'grow_attach', 'play', 'ingest_failed', 'restore', 'play']);
    expect(seen).toEqual(['ingesting', 'ready', 'ingesting', 'ready', 'playing', 'idle', 'ready', 'playing']);
    expect(transition({ state: 'paused', hasSession: true, resumeTo: 'paused' }, 'restore').ok).toBe(false);
  });

  it('every state answers every event (total table)', () => {
    const states: MachineState[] = [
      INITIAL_MACHINE,
      { state: 'ingesting', hasSession: false, resumeTo: 'paused' },
      { state: 'ingesting', hasSession: true, resumeTo: 'paused' },
      { state: 'ready', hasSession: true, resumeTo: 'ready' },
      { state: 'playing', hasSession: true, resumeTo: 'paused' },
      { state: 'paused', hasSession: true, resumeTo: 'paused' },
      { state: 'seeking', hasSession: true, resumeTo: 'playing' },
      { state: 'playing', hasSession: true, resumeTo: 'ready', building: true },
      { state: 'seeking', hasSession: true, resumeTo: 'paused', building: true },
    ];
    const events: PlaybackEvent[] = ['open', 'ingest_done', 'ingest_failed', 'grow_attach', 'restore', 'close', 'play', 'pause', 'reached_end', 'seek', 'seek_done'];
    for (const s of states)
      for (const e of events) {
        const r = transition(s, e);
        if (r.ok) expect(['idle', 'ingesting', 'ready', 'playing', 'paused', 'seeking']).toContain(r.next.state);
        else expect(r.reason).toMatch(/^cannot /);
      }
  });
});
