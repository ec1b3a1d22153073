import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { drainLockHolder, tryAcquireDrainLock, wakeDrainer } from '@runbook/storage-core';

/** Hook events after which the drainer should try at once, even while it waits after failures. */
export const WAKING_EVENTS: ReadonlySet<string> = new Set(['Stop', 'SessionEnd']);

export interface StartDrainerOptions {
  projectDir: string;
  outboxDir: string;
  env: NodeJS.ProcessEnv;
  /** Also wake a drainer that is waiting to retry. */
  wake?: boolean;
}

/** The CLI's own entry point beside this file in the bundle, or undefined when running from source. */
function cliEntry(): string | undefined {
  const entry = fileURLToPath(new URL('./runbook.cjs', import.meta.url));
  return existsSync(entry) ? entry : undefined;
}

/**
 * Make sure one drainer works on this outbox: when none is alive, take the drain lock, start
 * `sync --background` detached (own process group, no stdio, not waited for) and hand the lock to it,
 * so two hooks racing here start one drainer between them. Never throws: the hook must not fail.
 * Returns the pid of a drainer started here.
 */
export function ensureDrainer(options: StartDrainerOptions): number | undefined {
  try {
    if (options.wake) wakeDrainer(options.outboxDir);
    if (drainLockHolder(options.outboxDir)) return undefined;
    const entry = cliEntry();
    if (!entry) return undefined;
    const lock = tryAcquireDrainLock(options.outboxDir);
    if (!lock) return undefined;
    let pid: number | undefined;
    try {
      // Loaded here: most hooks find a drainer alive and never start a process.
      const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
      const args = [
        entry,
        'integrations',
        'claude',
        'sync',
        '--background',
        '--project-dir',
        options.projectDir,
        '--outbox-dir',
        options.outboxDir,
        '--lock-token',
        lock.token,
      ];
      const child = spawn(process.execPath, args, {
        detached: true,
        stdio: 'ignore',
        env: options.env,
        windowsHide: true,
      });
      child.on('error', () => {});
      pid = child.pid;
      if (pid !== undefined) {
        lock.handOver(pid);
        child.unref();
      }
    } finally {
      if (pid === undefined) lock.release();
    }
    return pid;
  } catch {
    return undefined;
  }
}
