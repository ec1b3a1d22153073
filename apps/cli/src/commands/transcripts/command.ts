import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

export interface ImportOptions {
  allProjects?: boolean;
  /** Milliseconds since the epoch. */
  since?: number;
  json?: boolean;
  projectDir?: string;
  /** Only sessions a hook deferred, silently (the background archiver). */
  pending?: boolean;
}

function dateOption(value: string): number {
  const time = Date.parse(value);
  if (!Number.isFinite(time))
    throw new InvalidArgumentError('expected a date such as 2026-11-01 or 2026-11-01T09:00:00Z');
  return time;
}

const IMPORT_HELP = `
Archives the Claude Code transcripts already on disk (main and subagent transcripts, every line redacted)
into the configured session storage, before Claude Code deletes them (cleanupPeriodDays, 30 days by
default). Reads $CLAUDE_CONFIG_DIR/projects (default ~/.claude/projects): the current project's folder,
or every project's with --all-projects. Safe to repeat: only what is new since the last archive is sent.
Hooks archive new lines themselves on Stop, SubagentStop, PreCompact and SessionEnd.

Examples:
  $ runbook integrations claude transcripts import
  $ runbook integrations claude transcripts import --all-projects --since 2026-11-01 --json
`;

export function register(claude: Command): void {
  const transcripts = claude
    .command('transcripts')
    .description('archive Claude Code transcripts (the whole conversation) with the stored events');
  transcripts
    .command('import')
    .description('archive transcripts already on disk (current project, or --all-projects); safe to repeat')
    .option('--all-projects', "every project in Claude Code's projects folder, not only this one")
    .option('--since <date>', 'only transcripts written to since this date', dateOption)
    .option('--json', 'print the summary as JSON')
    .option(
      '--project-dir <dir>',
      'project whose config and storage to use (default: $CLAUDE_PROJECT_DIR, nearest .runbook/, cwd)',
    )
    .addOption(
      transcripts.createOption('--pending', 'archive what hooks deferred (the background archiver)').hideHelp(),
    )
    .addHelpText('after', `${IMPORT_HELP}${EXIT_CODES_HELP}`)
    .action(async (opts: ImportOptions) => {
      const { runImport, runPendingArchive } = await import('./run.js');
      process.exitCode = opts.pending ? await runPendingArchive(opts) : await runImport(opts);
    });
}
