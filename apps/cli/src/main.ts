#!/usr/bin/env node
// The `runbook` entry point, built as CommonJS: the hook runs on every tool call of every agent session,
// and a CommonJS entry that `require`s the one-file hook skips the ES module loader altogether. Other
// commands load commander and their code, as ES modules, lazily.
import { createRequire } from 'node:module';
import { forTerminal } from './output/terminal.js';

const args = process.argv.slice(2);

async function main(): Promise<void> {
  if (args[0] === 'integrations' && args[1] === 'claude' && args[2] === 'hook') {
    // Claude Code may inject hook stdout into the conversation: nothing may reach it.
    console.log =
      console.info =
      console.debug =
        (...values: unknown[]) => process.stderr.write(`${values.map(String).join(' ')}\n`);
    const { runHook } = createRequire(import.meta.url)('./hook.cjs') as typeof import('./commands/hook/run.js');
    process.exitCode = await runHook(args.slice(3));
    return;
  }
  const { runProgram } = await import('./program.js');
  await runProgram(process.argv);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `runbook: ${forTerminal(error instanceof Error ? error.message : String(error), { oneLine: true })}\n`,
  );
  process.exitCode = args[2] === 'hook' ? 0 : 1;
});
