import { createRequire } from 'node:module';
import type { CliContext } from '../context.js';

/**
 * Start the background archiver (`transcripts import --pending`), detached and silent: the hook that starts it
 * returns at once. Several may start; each session is archived by one at a time (its lock).
 */
export function startBackgroundArchive(context: CliContext): void {
  const entry = process.argv[1];
  if (!entry) return;
  // Loaded here, not at the top: the hook's bundle holds this module, and most hook processes never spawn.
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const child = spawn(
    process.execPath,
    [entry, 'integrations', 'claude', 'transcripts', 'import', '--pending', '--project-dir', context.projectDir],
    {
      detached: true,
      stdio: 'ignore',
      env: context.env,
      windowsHide: true,
    },
  );
  child.on('error', () => {});
  child.unref();
}
