import { Option, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

const HELP = `
Removes exactly the entries "enable" wrote (any hook running "runbook integrations claude hook") and
nothing else; matcher groups and events left empty by that are removed too.

Examples:
  $ runbook integrations claude disable
  $ runbook integrations claude disable --scope user
  $ runbook integrations claude disable --scope all
`;

export function register(claude: Command): void {
  claude
    .command('disable')
    .description('remove the runbook hook from Claude Code settings, keeping everything else')
    .addOption(
      new Option('--scope <scope>', 'settings file to edit')
        .choices(['project', 'local', 'user', 'all'])
        .default('project'),
    )
    .option(
      '--project-dir <dir>',
      'project whose .claude/ to edit (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { runDisable } = await import('./run.js');
      await runDisable(opts);
    });
}
