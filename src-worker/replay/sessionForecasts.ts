// The forecast side of one open session: reads the session's feature rows once, keeps the
// parameters in force (per engine: a new session keeps the user's overrides) and the current
// ForecastStore; `setParams` re-runs the runner over the kept rows. A session opened or
// closed while a computation runs makes that computation's result stale (generation check).
import type { ReplaySession } from './sessionInfo';
import { ForecastStore, type ForecastModel } from './forecastStore';

export class SessionForecasts<Row = unknown, P = unknown> {
  private params: P;
  private revisionNo = 0;
  private rows: Row[] | null = null;
  private session: ReplaySession | null = null;
  private store: ForecastStore | null = null;
  private generation = 0;

  constructor(private readonly model: ForecastModel<Row, P>) {
    this.params = model.initialParams();
  }

  get current(): ForecastStore | null {
    return this.store;
  }
  get revision(): number {
    return this.revisionNo;
  }
  get numericParams(): Record<string, number> {
    return this.model.numericParams(this.params);
  }

  /** Read the session's feature rows and compute its forecasts; null when superseded meanwhile. */
  async open(session: ReplaySession): Promise<ForecastStore | null> {
    const gen = ++this.generation;
    this.session = session;
    this.rows = null;
    this.store = null;
    const rows = await this.model.readRows(session.datasetId);
    if (gen !== this.generation) return null;
    this.rows = rows;
    this.store = ForecastStore.compute(this.model, rows, this.params, session, this.revisionNo);
    return this.store;
  }

  close(): void {
    this.generation++;
    this.session = null;
    this.rows = null;
    this.store = null;
  }

  /**
   * Apply overrides (throws the model's typed error for a bad value, nothing changed) and
   * recompute the open session's forecasts. Returns the new store (null without a session).
   */
  setParams(set: Record<string, number>): ForecastStore | null {
    const next = this.model.applyParams(this.params, set);
    this.params = next;
    this.revisionNo++;
    if (!this.session || !this.rows) return null;
    this.generation++;
    this.store = ForecastStore.compute(this.model, this.rows, this.params, this.session, this.revisionNo);
    return this.store;
  }
}
