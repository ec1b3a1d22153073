import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import { timeOption } from '../search/command.js';

export interface RecurringCommandOptions {
  since?: Date;
  minSessions: number;
  json?: boolean;
  index: boolean;
  projectDir?: string;
}

function countOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

const HELP = `
Lists problems seen in two or more sessions (--min-sessions): the error fingerprint, how often and in how
many sessions it was seen, first and last time, the sessions, the fixes that worked (the change made before
the failing command next succeeded), and whether a runbook in .runbook/runbooks/ covers it.

Examples:
  $ runbook integrations claude recurring
  $ runbook integrations claude recurring --since 30d --min-sessions 3 --json
`;

export function register(claude: Command): void {
  claude
    .command('recurring')
    .description('problems seen in several sessions, with the fixes that worked and the runbooks that cover them')
    .option('--since <age|date>', 'only problems seen since then (e.g. 30d, 2026-03-01)', timeOption)
    .option('--min-sessions <n>', 'fewest sessions a problem must appear in', countOption, 2)
    .option('--json', 'print the results as JSON')
    .option('--no-index', 'read stored sessions instead of using (and updating) the index')
    .option('--project-dir <dir>', 'project whose config and storage to use')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (opts: RecurringCommandOptions) => {
      const { runRecurring } = await import('./run.js');
      process.exitCode = await runRecurring(opts);
    });
}
