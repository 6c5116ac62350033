/// <reference lib="dom" />
// A field switch as the trader makes it (the selector), timed in the page from the select's
// change event to the frame showing the new field over the whole visible view committed
// (perf.fieldSwitch's presentedMs: draw + next animation frame + a task), so Playwright's own
// round trips are not counted. Shared by prefetch.spec and the field-switch bench; each rounds
// and names the window's phases its own way.
import type { Page } from '@playwright/test';

/** The window's switch mark (engine/perf.ts FieldSwitchMark), ms from the change handler; null: not reached. */
export interface FieldSwitchPhases {
  /** Change event → the window's handler. */
  handlerAfterMs: number;
  replayedMs: number | null;
  rangeMs: number | null;
  slabMs: number | null;
  slabDecodedMs: number | null;
  slabAppliedMs: number | null;
  drawStartMs: number | null;
  uploadMs: number | null;
  drawnMs: number | null;
  presentedMs: number | null;
}

export interface TimedFieldSwitch {
  /** Change event → the new field on screen (unrounded ms). */
  ms: number;
  /** Chart slabs asked of the engine for this switch (0: replayed from the slab cache). */
  roundTrips: number;
  phases: FieldSwitchPhases;
}

export async function timeFieldSwitch(page: Page, field: string, opts: { timeoutMs: number; pollingMs: number }): Promise<TimedFieldSwitch> {
  const before = await page.evaluate(() => {
    const w = window as unknown as { __spymaster: any; __change?: number };
    const sel = document.querySelector('[data-testid="field-select"]')!;
    sel.addEventListener('change', () => (w.__change = performance.now()), { capture: true, once: true });
    return { rt: w.__spymaster.perf.slabRoundTrip.length as number, n: w.__spymaster.perf.fieldSwitch.length as number };
  });
  await page.getByTestId('field-select').selectOption(field);
  await page.waitForFunction(
    ({ field, n }) => {
      const log = (window as unknown as { __spymaster: any }).__spymaster.perf.fieldSwitch;
      const m = log[log.length - 1];
      return log.length > n && m.field === field && m.presentedMs !== null;
    },
    { field, n: before.n },
    { timeout: opts.timeoutMs, polling: opts.pollingMs },
  );
  return page.evaluate((rt0) => {
    const w = window as unknown as { __spymaster: any; __change: number };
    const m = w.__spymaster.perf.fieldSwitch.at(-1);
    return {
      ms: m.at + m.presentedMs - w.__change,
      roundTrips: w.__spymaster.perf.slabRoundTrip.length - rt0,
      phases: {
        handlerAfterMs: m.at - w.__change,
        replayedMs: m.replayedMs,
        rangeMs: m.rangeMs,
        slabMs: m.slabMs,
        slabDecodedMs: m.slabDecodedMs ?? null,
        slabAppliedMs: m.slabAppliedMs ?? null,
        drawStartMs: m.drawStartMs,
        uploadMs: m.uploadMs,
        drawnMs: m.drawnMs,
        presentedMs: m.presentedMs,
      },
    };
  }, before.rt);
}
