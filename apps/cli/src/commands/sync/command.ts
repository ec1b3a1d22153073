import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../../shared/exit-codes.js';

export interface SyncOptions {
  projectDir?: string;
  json?: boolean;
  concurrency?: string;
  background?: boolean;
  outboxDir?: string;
  lockToken?: string;
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
    .addOption(claude.createOption('--outbox-dir <dir>', 'the outbox the drainer serves').hideHelp())
    .addOption(claude.createOption('--lock-token <token>', 'the drain lock handed over by the hook').hideHelp())
    .addHelpText(
      'after',
      `
With a remote backend (backend: s3) every hook event is written to the outbox under the local base
directory; one background drainer per outbox uploads it (upload: inline also tries before the hook
returns). Events wait there while the backend is unreachable, and events kept while the config could
not be read wait in the default outbox; this command sends all of them now, with progress. Each event
is stored once, however often it is sent. Exits 1 when events are still waiting afterwards.
${EXIT_CODES_HELP}`,
    )
    .action(async (opts: SyncOptions) => {
      const { runBackgroundSync, runSync } = await import('./run.js');
      if (opts.background) {
        // The drainer ends here whatever is still open: it must never linger.
        process.exit(await runBackgroundSync(opts));
      }
      process.exitCode = await runSync(opts);
    });
}
