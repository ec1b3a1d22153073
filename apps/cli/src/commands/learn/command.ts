import type { Command } from 'commander';

export interface LearnOptions {
  incidentId?: string;
  query?: string;
  applyRunbookUpdates?: boolean;
  out?: string;
  json?: boolean;
  projectDir?: string;
}

/** `runbook integrations claude learn <session-id>`: everything heavy is imported when it runs. */
export function register(claude: Command): void {
  claude
    .command('learn')
    .description('turn a stored session into a postmortem, runbook updates and knowledge docs (offline unless llm.provider is configured)')
    .argument('<session-id>', 'the Claude Code session id to learn from')
    .option('--incident-id <id>', 'incident id to name the postmortem after (default: session-<id prefix>)')
    .option('--query <text>', 'what the investigation was about (default: the session\'s first prompt)')
    .option('--apply-runbook-updates', 'add the learnings to matching runbooks in .runbook/runbooks/ and create new ones')
    .option('--out <dir>', 'folder for the output (default: .runbook/learning)')
    .option('--json', 'print the result as JSON')
    .option('--project-dir <dir>', 'project whose config and storage to use')
    .action(async (sessionId: string, opts: LearnOptions) => {
      const { runLearn } = await import('./run.js');
      process.exitCode = await runLearn(sessionId, opts);
    });
}
