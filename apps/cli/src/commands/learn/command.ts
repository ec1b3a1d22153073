import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

export interface LearnOptions {
  incidentId?: string;
  query?: string;
  applyRunbookUpdates?: boolean;
  out?: string;
  json?: boolean;
  projectDir?: string;
  runbook?: string;
}

const LEARN_HELP = `
Classifies the session from its evidence (incident, debugging, change or feature work, question) and writes
what fits: a postmortem for an incident, a work summary (files changed, checks run, problems and their
fixes) for anything else. Everything written or printed passes through the same redaction as the hook.

Examples:
  $ runbook integrations claude learn 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42
  $ runbook integrations claude learn 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42 --incident-id INC-2041 --apply-runbook-updates
  $ runbook integrations claude learn 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42 --runbook git-setup --apply-runbook-updates
`;

/** `runbook integrations claude learn <session-id>`: everything heavy is imported when it runs. */
export function register(claude: Command): void {
  claude
    .command('learn')
    .description(
      'turn a stored session into a postmortem, runbook updates and knowledge docs (offline unless llm.provider is configured)',
    )
    .argument('<session-id>', 'the Claude Code session id to learn from')
    .option(
      '--incident-id <id>',
      'treat the session as an incident and name the postmortem after this id (default: classified from the evidence)',
    )
    .option('--query <text>', "what the investigation was about (default: the session's first prompt)")
    .option(
      '--apply-runbook-updates',
      'add the learnings to matching runbooks in .runbook/runbooks/ (or the --runbook one)',
    )
    .option(
      '--runbook <name>',
      'the runbook in .runbook/runbooks/ for learnings no runbook matches (created when missing)',
    )
    .option('--out <dir>', 'folder for the output (default: .runbook/learning)')
    .option('--json', 'print the result as JSON')
    .option('--project-dir <dir>', 'project whose config and storage to use')
    .addHelpText('after', () => `${LEARN_HELP}${EXIT_CODES_HELP}`)
    .action(async (sessionId: string, opts: LearnOptions) => {
      const { runLearn } = await import('./run.js');
      process.exitCode = await runLearn(sessionId, opts);
    });
}
