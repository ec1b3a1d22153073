import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import { parseDuration } from '../../output/duration.js';

function ageOption(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected an age such as 1d, 12h, 2w');
  return ms;
}

const HELP = `
Merges a session's stored events into a few large objects, so reading it back (sessions show, learn)
takes a handful of requests instead of one per event. Safe while hooks keep appending and others read:
every event is still read exactly once. Give one session id, --all for every session, or --older-than
for every session last active before that age. Needs a backend that can compact (s3); the local
backend keeps each session in one file and has nothing to compact.

Examples:
  $ runbook integrations claude compact 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42
  $ runbook integrations claude compact --older-than 1d
  $ runbook integrations claude compact --all --json
`;

export interface CompactCommandOptions {
  all?: boolean;
  /** Milliseconds. */
  olderThan?: number;
  json?: boolean;
  projectDir?: string;
}

export function register(claude: Command): void {
  claude
    .command('compact')
    .description('merge stored events into fewer, larger objects (s3): one session, all, or those older than an age')
    .argument('[session-id]', 'the session to compact (see sessions list)')
    .option('--all', 'compact every stored session')
    .option('--older-than <age>', 'compact every session whose last event is older than this (e.g. 1d, 12h)', ageOption)
    .option('--json', 'print the result as JSON')
    .option(
      '--project-dir <dir>',
      'project whose storage to compact (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    )
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (sessionId: string | undefined, opts: CompactCommandOptions, command: Command) => {
      const many = opts.all === true || opts.olderThan !== undefined;
      if (sessionId !== undefined && many)
        command.error('error: give a session id, or --all / --older-than, not both', { exitCode: 2 });
      if (sessionId === undefined && !many)
        command.error('error: give a session id, --all, or --older-than <age>', { exitCode: 2 });
      const { runCompact } = await import('./run.js');
      await runCompact(sessionId, opts);
    });
}
