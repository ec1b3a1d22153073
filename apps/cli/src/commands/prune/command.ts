import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import { parseDuration } from '../../output/duration.js';

function ageOption(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected an age such as 30d, 12h, 2w');
  return ms;
}

const HELP = `
Deletes every session whose last event is older than the given age, from the primary backend and the
local mirror. Sessions with no readable time are kept. Needs a backend that can list and delete.

Examples:
  $ runbook integrations claude prune --older-than 30d --dry-run
  $ runbook integrations claude prune --older-than 90d
  $ runbook integrations claude prune --older-than 2w --json
`;

export function register(claude: Command): void {
  claude
    .command('prune')
    .description('delete sessions whose last event is older than an age (retention)')
    .requiredOption('--older-than <age>', 'age such as 30d, 12h, 2w', ageOption)
    .option('--dry-run', 'only list what would be deleted')
    .option('--json', 'print the result as JSON')
    .option(
      '--project-dir <dir>',
      'project whose storage to prune (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    )
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { runPrune } = await import('./run.js');
      await runPrune(opts);
    });
}
