import { InvalidArgumentError, type Command } from 'commander';
import { parseSince } from '../../output/duration.js';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

export interface SearchCommandOptions {
  since?: Date;
  until?: Date;
  session?: string;
  event?: string;
  tool?: string;
  limit: number;
  perSession: number;
  json?: boolean;
  /** False with --no-index. */
  index: boolean;
  projectDir?: string;
}

export function timeOption(value: string): Date {
  const date = parseSince(value);
  if (!date) throw new InvalidArgumentError('expected an age such as 7d, 12h, or a date such as 2026-03-01');
  return date;
}

export function limitOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

const HELP = `
Searches every stored event, archived transcript, learning artifact (.runbook/learning/) and runbook
(.runbook/runbooks/) of all sessions in the configured storage. Every word must match; results are
ranked (BM25), newest first on ties, at most --per-session events from any one session. "two words" is a
phrase; deploy* a prefix; identifiers such as ECONNREFUSED, billing-stripe, values-staging.yaml or
10.0.3.7:5432 match as typed. Case does not matter.

The index is a cache in <localBaseDir>/index/ (default .runbook/hooks/claude/index/), brought up to date
before each search with what is new; delete it at any time and the next search rebuilds it.

Examples:
  $ runbook integrations claude search ECONNREFUSED
  $ runbook integrations claude search '"exceeded its progress deadline"' --since 30d
  $ runbook integrations claude search billing-stripe --event PostToolUseFailure --tool Bash --json
`;

export function register(claude: Command): void {
  claude
    .command('search')
    .description('full-text search over every stored session, learning artifact and runbook')
    .argument('<query...>', 'words, "a phrase", prefix*, or identifiers as typed')
    .option('--since <age|date>', 'only what happened since then (e.g. 7d, 2026-03-01)', timeOption)
    .option('--until <age|date>', 'only what happened until then', timeOption)
    .option('--session <id>', 'only this session')
    .option('--event <name>', 'only this hook event (e.g. PostToolUseFailure)')
    .option('--tool <name>', 'only events of this tool (e.g. Bash)')
    .option('--limit <n>', 'most results to show', limitOption, 20)
    .option('--per-session <n>', 'most events to show from any one session', limitOption, 3)
    .option('--json', 'print the results as JSON')
    .option('--no-index', 'scan stored sessions instead of using (and updating) the index')
    .option('--project-dir <dir>', 'project whose config and storage to use')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (words: string[], opts: SearchCommandOptions) => {
      const { runSearch } = await import('./run.js');
      process.exitCode = await runSearch(words.join(' '), opts);
    });
}
