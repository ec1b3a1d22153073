import { spawn } from 'node:child_process';
import type { CliContext } from './context.js';

/**
 * Start the background drainer for an outbox unless one is running. Detached and silent: the hook that
 * starts it returns at once.
 */
export async function startBackgroundSync(context: CliContext, outboxDir: string): Promise<void> {
  const { drainLockHolder } = await import('@runbook/storage-core');
  if (drainLockHolder(outboxDir)) return;
  const entry = process.argv[1];
  if (!entry) return;
  const child = spawn(process.execPath, [entry, 'integrations', 'claude', 'sync', '--background', '--project-dir', context.projectDir], {
    detached: true,
    stdio: 'ignore',
    env: context.env,
    windowsHide: true,
  });
  child.on('error', () => {});
  child.unref();
}
