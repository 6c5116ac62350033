// Per-window work as a list of steps (ARCHITECTURE practice 15; tardis-node `computable/`).
// When a 1-s window closes, the engine runs its steps in order over the same WindowGrid:
// gold first (it fills the gold fields the others read), then whatever the build or the
// live session attached — forecast features, the DuckDB chunk writer, a frame tap. A new
// product or model adds a step; it does not edit the engine's loop.
//
// The grid is reused for the next window: a step copies what it keeps.
import type { WindowGrid } from './windowGrid';

export interface WindowStep {
  /** Short name for diagnostics and timing ('gold', 'forecast_features', 'cells_writer', …). */
  readonly name: string;
  /** Called once per closed session window (valid or not), after the steps before it. */
  onWindow(g: WindowGrid): void;
  /** End of input: the last window has been handed to every step. */
  finish?(): void;
}

/** Wrap a plain callback as a step (tests, benches, one-off taps). */
export function stepOf(name: string, fn: (g: WindowGrid) => void): WindowStep {
  return { name, onWindow: fn };
}
