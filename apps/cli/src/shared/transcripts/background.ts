import { spawn } from 'node:child_process';
import type { CliContext } from '../context.js';

/**
 * Start the background archiver (`transcripts import --pending`), detached and silent: the hook that starts it
 * returns at once. Several may start; each session is archived by one at a time (its lock).
 */
export function startBackgroundArchive(context: CliContext): void {
  const entry = process.argv[1];
  if (!entry) return;
  const child = spawn(process.execPath, [entry, 'integrations', 'claude', 'transcripts', 'import', '--pending', '--project-dir', context.projectDir], {
    detached: true,
    stdio: 'ignore',
    env: context.env,
    windowsHide: true,
  });
  child.on('error', () => {});
  child.unref();
}
