import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';
import { limitOption } from '../search/command.js';

export interface SimilarCommandOptions {
  limit: number;
  json?: boolean;
  index: boolean;
  projectDir?: string;
}

const HELP = `
Finds the sessions most like the given one: those sharing its error fingerprints (error messages with
numbers, hashes, ids, timestamps, IPs, pod and replica-set suffixes and temporary paths masked), failing
commands, services and files. Rarer shared things weigh more. Each result shows its score, the shared
evidence that explains it, and the fix that worked in that session when one did.

Examples:
  $ runbook integrations claude similar 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42
  $ runbook integrations claude similar 4f9c2b7e-2d1a-4c35-9a8e-0c5e7d1b6a42 --limit 3 --json
`;

export function register(claude: Command): void {
  claude
    .command('similar')
    .description('sessions that share error fingerprints, failing commands, services and files with a session')
    .argument('<session-id>', 'the session to compare (see sessions list)')
    .option('--limit <n>', 'most sessions to show', limitOption, 10)
    .option('--json', 'print the results as JSON')
    .option('--no-index', 'read stored sessions instead of using (and updating) the index')
    .option('--project-dir <dir>', 'project whose config and storage to use')
    .addHelpText('after', () => `${HELP}${EXIT_CODES_HELP}`)
    .action(async (sessionId: string, opts: SimilarCommandOptions) => {
      const { runSimilar } = await import('./run.js');
      process.exitCode = await runSimilar(sessionId, opts);
    });
}
