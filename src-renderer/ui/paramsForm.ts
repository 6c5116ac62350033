import { checkParam, DEFAULT_PARAMS, FORECAST_PARAM_KEYS, PARAM_FIELDS, ParamsError } from '../../contracts/params';

// The logic of the forecast "Parameters…" popover (ForecastParams.tsx), kept free of React so
// it is tested on its own: which fields are listed (the forecast group only — gold fields are
// baked into the stored build), their current values, checking a draft against the declared
// ranges (contracts/params.ts checkParam, the same check the engine makes), and the
// `set_params` payload: only the values that differ from those in force, enums by index
// (the protocol carries numbers only).

export type ParamField = (typeof FORECAST_PARAM_KEYS)[number];
type Spec = (typeof PARAM_FIELDS)[ParamField];

export interface ParamRow {
  name: ParamField;
  spec: Spec;
  /** The value in force as text (an enum shows its name). */
  current: string;
  /** The contracts default as text. */
  byDefault: string;
}

/** The enum values (names) of a field, or null for a numeric one. */
export function enumValues(spec: Spec): readonly string[] | null {
  return spec.kind === 'enum' ? spec.of : null;
}

function asText(name: ParamField, v: number | string | undefined): string {
  const spec = PARAM_FIELDS[name];
  // The engine's `params` event carries numbers only; an enum may come as its index.
  if (spec.kind === 'enum' && typeof v === 'number') return spec.of[v] ?? String(v);
  return String(v);
}

/**
 * Every forecast field with its value in force: from the engine's last `params` event when it
 * holds the field, else the contracts default (the engine sends `params` only after a change).
 */
export function paramRows(inForce: Record<string, number> | null): ParamRow[] {
  return FORECAST_PARAM_KEYS.map((name) => {
    const byDefault = asText(name, DEFAULT_PARAMS[name]);
    const v = inForce && Object.prototype.hasOwnProperty.call(inForce, name) ? inForce[name] : undefined;
    return { name, spec: PARAM_FIELDS[name], current: v === undefined ? byDefault : asText(name, v), byDefault };
  });
}

/** One line describing the allowed values (shown under the field and as its title). */
export function rangeText(spec: Spec): string {
  switch (spec.kind) {
    case 'enum':
      return spec.of.join(' | ');
    case 'member':
      return `one of ${spec.of.join(', ')}`;
    case 'int':
      return spec.max === undefined ? `integer ≥ ${spec.min}` : `integer ${spec.min}…${spec.max}`;
    case 'number':
      return spec.positive ? '> 0' : spec.min !== undefined ? `≥ ${spec.min}` : 'any number';
  }
}

export interface FormCheck {
  /** What `set_params` gets: changed fields only, numbers (enum = index). */
  set: Record<string, number>;
  /** Field → why its draft is refused (the popover shows it under the field). */
  errors: Record<string, string>;
}

/**
 * Check the drafts (text per field, as typed) against the declared ranges. A draft equal to
 * the value in force (numerically: "0.050" = "0.05") is not a change and is not sent.
 */
export function checkDrafts(rows: readonly ParamRow[], drafts: Readonly<Record<string, string>>): FormCheck {
  const set: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const row of rows) {
    const text = drafts[row.name];
    if (text === undefined || text.trim() === row.current) continue;
    try {
      const v = checkParam(row.name, text.trim(), true);
      const values = enumValues(row.spec);
      if (values) {
        if (v !== row.current) set[row.name] = values.indexOf(v as string);
      } else if (v !== Number(row.current)) set[row.name] = v as number;
    } catch (e) {
      errors[row.name] = e instanceof ParamsError ? e.userMessage : String(e);
    }
  }
  return { set, errors };
}

/** The `set_params` payload that puts every forecast field back to its contracts default. */
export function defaultsSet(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of FORECAST_PARAM_KEYS) {
    const spec = PARAM_FIELDS[name];
    const d = DEFAULT_PARAMS[name];
    out[name] = spec.kind === 'enum' ? spec.of.indexOf(d as string) : (d as number);
  }
  return out;
}
