import path from 'node:path';
import {
  DEFAULT_LOCAL_BASE_DIR,
  DEFAULT_OUTBOX_DIR,
  moveOutboxEntries,
  openOutbox,
  resolveLocalBaseDir,
  type Outbox,
} from '@runbook/storage-core';

/**
 * Where the hook keeps events while the project's config cannot be read: the outbox under the default
 * local base directory. `sync`, `status`, `doctor` and the drainer look there too once the config is
 * fixed, so those events are sent where they were meant to go.
 */
export function fallbackOutboxDir(projectDir: string): string {
  return path.join(resolveLocalBaseDir(projectDir, DEFAULT_LOCAL_BASE_DIR), DEFAULT_OUTBOX_DIR);
}

/** Move events kept in the fallback outbox into the configured one (nothing when they are the same). */
export async function adoptFallbackEntries(projectDir: string, outbox: Outbox): Promise<number> {
  const fallback = fallbackOutboxDir(projectDir);
  if (path.resolve(fallback) === path.resolve(outbox.dir)) return 0;
  return moveOutboxEntries(openOutbox({ dir: fallback }), outbox);
}
