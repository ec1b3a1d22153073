import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

const HELP = `
Shows whether the hook is installed (project, local and user settings), which backend stores
sessions and where, how many sessions are stored, how many events wait in the outbox to be sent to a
remote backend and since when ("n/a" for the local backend, where nothing waits), and whether the
background drainer that sends them is running (its pid, what it sent, its last error and next try).

Examples:
  $ runbook integrations claude status
  $ runbook integrations claude status --json
`;

export function register(claude: Command): void {
  claude
    .command('status')
    .description('show hook installation, storage backend, stored sessions and waiting events')
    .option('--project-dir <dir>', 'project to inspect (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)')
    .option('--json', 'print the status as JSON')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { runStatus } = await import('./run.js');
      await runStatus(opts);
    });
}
