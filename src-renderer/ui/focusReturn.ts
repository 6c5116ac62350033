// Mouse-made choices hand the keyboard back to the chart. A trader clicks "Trades", picks a
// field or presses Play with the mouse, then hits Space to play or ← → to step: with the
// control still focused, Space toggled the checkbox (or opened the select, or pressed the
// button a second time) and the arrows changed the select or the contrast slider instead.
// A change made from the keyboard (a keydown on that control just before) keeps the focus, so
// keyboard navigation of the toolbar still works.

const KEYBOARD_CHANGE_MS = 1000;

function isChoice(t: EventTarget | null): t is HTMLSelectElement | HTMLInputElement {
  return t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && (t.type === 'checkbox' || t.type === 'radio' || t.type === 'range'));
}

/** Installs the listeners (capture phase, on the window); returns their removal. */
export function installFocusReturn(win: Window = window): () => void {
  let lastKey: { target: EventTarget | null; at: number } = { target: null, at: -Infinity };
  const onKeyDown = (e: KeyboardEvent) => {
    lastKey = { target: e.target, at: performance.now() };
  };
  const fromKeyboard = (t: EventTarget) => lastKey.target === t && performance.now() - lastKey.at < KEYBOARD_CHANGE_MS;
  const onChange = (e: Event) => {
    const t = e.target;
    if (isChoice(t) && !fromKeyboard(t)) t.blur();
  };
  // A button pressed with the mouse (detail > 0: a pointer click, not Enter/Space on it).
  const onClick = (e: MouseEvent) => {
    const b = (e.target as Element | null)?.closest?.('button');
    if (b && e.detail > 0) b.blur();
  };
  win.addEventListener('keydown', onKeyDown, true);
  win.addEventListener('change', onChange, true);
  win.addEventListener('click', onClick, true);
  return () => {
    win.removeEventListener('keydown', onKeyDown, true);
    win.removeEventListener('change', onChange, true);
    win.removeEventListener('click', onClick, true);
  };
}
