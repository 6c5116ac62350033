// User errors on the command line are printed as one readable message and a hint, never a
// stack trace. Typed engine errors (anything with a `userMessage`) are shown the same way.

export class CliError extends Error {
  constructor(
    message: string,
    readonly hint = '',
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Any error object that carries a message meant for a person. */
interface UserFacing {
  userMessage: string;
  hint?: string;
}

function isUserFacing(e: unknown): e is UserFacing {
  return typeof e === 'object' && e !== null && typeof (e as UserFacing).userMessage === 'string';
}

export function formatCliError(err: unknown): string {
  if (err instanceof CliError) return `error: ${err.message}\n${err.hint ? err.hint.trimEnd() + '\n' : ''}`;
  if (isUserFacing(err)) return `error: ${err.userMessage}\n${err.hint ? `hint: ${err.hint}\n` : ''}`;
  if (err instanceof Error) return `internal error: ${err.stack ?? err.message}\n`;
  return `internal error: ${String(err)}\n`;
}

/** Minimal flag parser: --name value, --flag, positional args. Unknown flags are errors. */
export function parseArgs(
  argv: string[],
  spec: { strings?: string[]; booleans?: string[]; multi?: string[] },
): { positional: string[]; values: Record<string, string>; flags: Set<string>; lists: Record<string, string[]> } {
  const strings = new Set(spec.strings ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const multi = new Set(spec.multi ?? []);
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (booleans.has(name)) {
      flags.add(name);
    } else if (strings.has(name) || multi.has(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new CliError(`option --${name} needs a value`);
      if (multi.has(name)) (lists[name] ??= []).push(v);
      else values[name] = v;
    } else {
      throw new CliError(`unknown option --${name}`);
    }
  }
  return { positional, values, flags, lists };
}
