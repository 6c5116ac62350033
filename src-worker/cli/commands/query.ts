import { CliError } from '../cliError';

// Placeholder until the owning issue lands this command.
export async function run(_argv: string[]): Promise<number> {
  throw new CliError('the query command is not built yet');
}
