import { openOutbox, outboxEntryTime, parseOutboxConfig } from '@runbook/storage-core';
import type { CliContext } from './context.js';

/** Events waiting in the outbox for a remote primary backend. */
export interface OutboxState {
  dir: string;
  pending: number;
  /** When the oldest waiting event happened (ISO-8601), if any wait. */
  oldest?: string;
}

/** The outbox of the configured store, or undefined when the primary is local (nothing waits then). */
export async function readOutboxState(context: CliContext): Promise<OutboxState | undefined> {
  if (context.config.sessionStorage.backend === 'local') return undefined;
  const { dir } = parseOutboxConfig(context.config, context.localBaseDir);
  const names = await openOutbox({ dir }).names();
  const first = names[0] === undefined ? undefined : outboxEntryTime(names[0]);
  return { dir, pending: names.length, ...(first !== undefined ? { oldest: new Date(first).toISOString() } : {}) };
}
