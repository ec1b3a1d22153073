import { Command, CommanderError } from 'commander';
import { isRunbookError } from '@runbook/storage-core';
import pkg from '../package.json' with { type: 'json' };
import { register as registerHook } from './commands/hook/command.js';
import { register as registerEnable } from './commands/enable/command.js';
import { register as registerDisable } from './commands/disable/command.js';
import { register as registerStatus } from './commands/status/command.js';
import { register as registerSessions } from './commands/sessions/command.js';
import { register as registerDoctor } from './commands/doctor/command.js';
import { register as registerPrune } from './commands/prune/command.js';
import { register as registerLearn } from './commands/learn/command.js';
import { register as registerSync } from './commands/sync/command.js';
import { register as registerCompact } from './commands/compact/command.js';
import { register as registerSearch } from './commands/search/command.js';
import { register as registerSimilar } from './commands/similar/command.js';
import { register as registerRecurring } from './commands/recurring/command.js';
import { register as registerQuery } from './commands/query/command.js';
import { register as registerSchema } from './commands/schema/command.js';
import { register as registerTranscripts } from './commands/transcripts/command.js';
import { EXIT_CODES_HELP } from './shared/exit-codes.js';
import { warn } from './output/stdout.js';
import { guardTerminalStreams } from './output/terminal.js';

export function buildProgram(): Command {
  const program = new Command('runbook')
    .description('Store every Claude Code hook event where your team chooses, then turn sessions into learning.')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES_HELP)
    // Before any subcommand exists, so every one of them inherits it: usage errors exit 2, not 1.
    .exitOverride();
  const integrations = program.command('integrations').description('Integrations with agent tools');
  const claude = integrations
    .command('claude')
    .description('Claude Code: store hook events, learn from sessions')
    .addHelpText('after', EXIT_CODES_HELP);
  registerHook(claude);
  registerEnable(claude);
  registerDisable(claude);
  registerStatus(claude);
  registerSessions(claude);
  registerDoctor(claude);
  registerPrune(claude);
  registerLearn(claude);
  registerSync(claude);
  registerCompact(claude);
  registerSearch(claude);
  registerSimilar(claude);
  registerRecurring(claude);
  registerQuery(claude);
  registerSchema(claude);
  registerTranscripts(claude);
  return program;
}

export async function runProgram(argv: string[]): Promise<void> {
  guardTerminalStreams();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode =
        error.exitCode === 0 ? 0 : error.code === 'commander.help' || error.code === 'commander.version' ? 0 : 2;
      return;
    }
    warn(isRunbookError(error) || error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
