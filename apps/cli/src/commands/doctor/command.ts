import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

const HELP = `
Checks, one line each with a fix when something is wrong:
  node     Node.js is 20 or newer
  config   .runbook/config.yaml is valid (or absent: defaults apply)
  backend  the configured backend is built in or installed
  storage  the backend's own health check (reachable, credentials accepted, writable; nothing left
           behind), or for a backend without one a probe session: append, read back, delete
  mirror   the local mirror directory is writable (when mirrorLocal is on)
  hook     the hook is installed in a Claude Code settings file and its command can start
  outbox   no events are stuck waiting to be sent to a remote backend
Exits 1 when any check fails; warnings do not fail.

Examples:
  $ runbook integrations claude doctor
  $ runbook integrations claude doctor --json
`;

export function register(claude: Command): void {
  claude
    .command('doctor')
    .description('check config, storage access, hook installation and outbox; exit 1 on any failure')
    .option('--project-dir <dir>', 'project to check (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)')
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { runDoctor } = await import('./run.js');
      await runDoctor(opts);
    });
}
