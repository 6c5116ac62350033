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
    const fs = await ForecastStore.computeInSlices(this.model, rows, this.params, session, this.revisionNo, () => gen !== this.generation);
    if (!fs || gen !== this.generation) return null;
    this.store = fs;
    return fs;
  }

  close(): void {
    this.generation++;
    this.session = null;
    this.rows = null;
    this.store = null;
  }

  /**
   * Apply overrides (the model's typed error for a bad value: nothing changed) and recompute
   * the open session's forecasts. Resolves to the new store; null without a session or when a
   * later change or another session superseded this one (the newest one wins).
   */
  async setParams(set: Record<string, number>): Promise<ForecastStore | null> {
    const next = this.model.applyParams(this.params, set);
    this.params = next;
    const revision = ++this.revisionNo;
    const gen = ++this.generation;
    const session = this.session;
    const rows = this.rows;
    if (!session || !rows) return null;
    const fs = await ForecastStore.computeInSlices(this.model, rows, next, session, revision, () => gen !== this.generation);
    if (!fs || gen !== this.generation) return null;
    this.store = fs;
    return fs;
  }
}
