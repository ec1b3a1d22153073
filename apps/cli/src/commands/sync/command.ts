import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

export interface SyncOptions {
  projectDir?: string;
  json?: boolean;
  concurrency?: string;
  background?: boolean;
}

/** Registers `sync`: send every event waiting in the outbox to the configured backend. */
export function register(claude: Command): void {
  claude
    .command('sync')
    .description('upload every event waiting in the local outbox to the configured backend (safe to repeat)')
    .option('--project-dir <dir>', 'project whose config and outbox to use')
    .option('--json', 'print the summary as JSON')
    .option('--concurrency <n>', 'uploads in flight at once (default: outbox.concurrency, 16)')
    .addOption(claude.createOption('--background', 'run as the detached drainer a hook starts').hideHelp())
    .addHelpText(
      'after',
      `
With a remote backend (backend: s3) every hook event is first written to the outbox under the local
base directory, then uploaded. Events whose upload failed or ran out of time wait there until a later
hook, the background drainer or this command sends them. Each event is stored once, however often
it is sent. Exits 1 when events are still waiting afterwards.
${EXIT_CODES_HELP}`,
    )
    .action(async (opts: SyncOptions) => {
      const { runBackgroundSync, runSync } = await import('./run.js');
      process.exitCode = opts.background ? await runBackgroundSync(opts) : await runSync(opts);
    });
}
