import { describe, expect, it } from 'vitest';
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { FIELDS_PER_REQUEST, PLAYING_SLACK_WINDOWS, PREFETCH_BUDGET_BYTES, covers, fieldsInBudget, idleForPrefetch, planPrefetch, type PrefetchInput, type WindowRange } from './prefetchPlan';

const shown = HEATMAP_FIELDS[0];
const others = HEATMAP_FIELDS.filter((f) => f !== shown);

/** A paused, loaded 15-minute view (windows 600…1499) with nothing held for other fields. */
function input(over: Partial<PrefetchInput> = {}, held: Partial<Record<HeatmapField, WindowRange[]>> = {}): PrefetchInput {
  return {
    playback: 'paused',
    speed: 1,
    field: shown,
    fields: HEATMAP_FIELDS,
    view: { lo: 600, hi: 1499 },
    visibleLoaded: true,
    inFlight: false,
    held: (f) => held[f] ?? [],
    pricesPerWindow: 401,
    ...over,
  };
}

describe('prefetch planner', () => {
  it('asks for the visible range of the next few other fields, in the selector order, never the shown one', () => {
    const b = planPrefetch(input());
    expect(b).toEqual({ fields: others.slice(0, FIELDS_PER_REQUEST), lo: 600, hi: 1499 });
    expect(b!.fields).not.toContain(shown);
  });

  it('skips fields whose held slabs already cover the view (one slab or several contiguous ones)', () => {
    const held = { [others[0]]: [{ lo: 500, hi: 1600 }], [others[1]]: [{ lo: 1000, hi: 1499 }, { lo: 600, hi: 999 }], [others[2]]: [{ lo: 600, hi: 900 }, { lo: 950, hi: 1499 }] };
    const b = planPrefetch(input({}, held))!;
    expect(b.fields[0]).toBe(others[2]); // a 49-window gap is not covered
    expect(b.fields).not.toContain(others[0]);
    expect(b.fields).not.toContain(others[1]);
  });

  it('has nothing to do once every field in budget covers the view', () => {
    const held = Object.fromEntries(others.map((f) => [f, [{ lo: 600, hi: 1499 }]]));
    expect(planPrefetch(input({}, held))).toBeNull();
  });

  it('waits: not loaded, a request in flight, seeking, playing fast or max, no session', () => {
    expect(planPrefetch(input({ visibleLoaded: false }))).toBeNull();
    expect(planPrefetch(input({ inFlight: true }))).toBeNull();
    expect(planPrefetch(input({ playback: 'seeking' }))).toBeNull();
    expect(planPrefetch(input({ playback: 'playing', speed: 10 }))).toBeNull();
    expect(planPrefetch(input({ playback: 'playing', speed: 'max' }))).toBeNull();
    expect(planPrefetch(input({ playback: 'ingesting' }))).toBeNull();
    expect(planPrefetch(input({ view: null }))).toBeNull();
    expect(idleForPrefetch('ready', 1)).toBe(true);
    expect(idleForPrefetch('playing', 0.5)).toBe(true);
  });

  it('while playing slowly, a range just short of now still counts as held (no re-fetch every second)', () => {
    const held = Object.fromEntries(others.map((f) => [f, [{ lo: 600, hi: 1499 - PLAYING_SLACK_WINDOWS }]]));
    expect(planPrefetch(input({ playback: 'playing', speed: 1 }, held))).toBeNull();
    // Paused, the same gap is fetched.
    expect(planPrefetch(input({}, held))?.fields.length).toBe(FIELDS_PER_REQUEST);
  });

  it('keeps within the byte budget of the slab cache: a wide view prefetches fewer fields', () => {
    // 15 minutes × 401 prices × 4 B ≈ 1.4 MB a field: all 24 others fit in 48 MB.
    expect(fieldsInBudget(input(), 900)).toEqual(others);
    expect(others.length * 900 * 401 * 4).toBeLessThanOrEqual(PREFETCH_BUDGET_BYTES);
    // The real ESH4 hour's slabs are 444 prices wide (the spot's range ± 200 ticks): all still fit.
    expect(fieldsInBudget(input({ pricesPerWindow: 444 }), 900)).toEqual(others);
    // An hour: 5.8 MB a field, 8 fields.
    const wide = fieldsInBudget(input(), 3600);
    expect(wide).toEqual(others.slice(0, Math.floor(PREFETCH_BUDGET_BYTES / (3600 * 401 * 4))));
    expect(wide.length).toBe(8);
    // Those 8 held: nothing more for the hour view.
    const held = Object.fromEntries(wide.map((f) => [f, [{ lo: 0, hi: 3599 }]]));
    expect(planPrefetch(input({ view: { lo: 0, hi: 3599 } }, held))).toBeNull();
  });

  it('covers: unions ranges in any order', () => {
    expect(covers([], 5, 4)).toBe(true);
    expect(covers([], 0, 0)).toBe(false);
    expect(covers([{ lo: 5, hi: 9 }, { lo: 0, hi: 4 }], 0, 9)).toBe(true);
    expect(covers([{ lo: 6, hi: 9 }, { lo: 0, hi: 4 }], 0, 9)).toBe(false);
    expect(covers([{ lo: 0, hi: 8 }], 0, 9)).toBe(false);
  });
});
