import type { Command } from 'commander';

/** Registers `hook` for `--help` listings; the real invocation is dispatched before commander loads. */
export function register(claude: Command): void {
  claude
    .command('hook')
    .description('store one Claude Code hook event read from stdin (prints nothing, always exits 0)')
    .option('--project-dir <dir>', 'project whose config and storage to use')
    .action(async (opts: { projectDir?: string }) => {
      const { runHook } = await import('./run.js');
      process.exitCode = await runHook(opts.projectDir ? ['--project-dir', opts.projectDir] : []);
    });
}
