import path from 'node:path';
import { drainLockHolder, openOutbox, outboxEntryTime, parseOutboxConfig, readDrainState } from '@runbook/storage-core';
import type { CliContext } from './context.js';
import { fallbackOutboxDir } from './outboxes.js';

/** The drainer of an outbox, as `status` shows it. */
export interface DrainerState {
  running: boolean;
  pid?: number;
  /** When the running drainer started (ISO-8601). */
  since?: string;
  /** Events the running (or last) drainer sent. */
  sent?: number;
  lastSentAt?: string;
  /** Its last upload failure, while it has not sent anything since. */
  lastError?: string;
  /** When it tries again (ISO-8601), while backing off. */
  retryAt?: string;
}

/** Events waiting in the outbox for a remote primary backend, and who is sending them. */
export interface OutboxState {
  dir: string;
  pending: number;
  /** When the oldest waiting event happened (ISO-8601), if any wait. */
  oldest?: string;
  /** How long ago that was (ms): how far behind the uploads are. */
  oldestAgeMs?: number;
  /** Of `pending`, events kept in the default outbox while the config could not be read (sent by sync or the drainer). */
  keptWhileConfigBroken?: number;
  drainer: DrainerState;
}

function drainerState(dir: string): DrainerState {
  const holder = drainLockHolder(dir);
  const state = readDrainState(dir);
  const own = state && holder && state.pid === holder.pid ? state : undefined;
  if (!holder)
    return {
      running: false,
      ...(state ? { sent: state.sent, ...(state.lastSentAt ? { lastSentAt: state.lastSentAt } : {}) } : {}),
    };
  return {
    running: true,
    pid: holder.pid,
    ...((own?.startedAt ?? holder.acquiredAt) ? { since: own?.startedAt ?? holder.acquiredAt } : {}),
    ...(own ? { sent: own.sent } : {}),
    ...(own?.lastSentAt ? { lastSentAt: own.lastSentAt } : {}),
    ...(own?.lastError ? { lastError: own.lastError } : {}),
    ...(own?.retryAt ? { retryAt: own.retryAt } : {}),
  };
}

/**
 * The outbox of the configured store and its drainer. With a local primary it is shown only when
 * events wait in it (kept while the config could not be read).
 */
export async function readOutboxState(context: CliContext, now = Date.now()): Promise<OutboxState | undefined> {
  const { dir } = parseOutboxConfig(context.config, context.localBaseDir);
  const names = await openOutbox({ dir }).names();
  const fallback = fallbackOutboxDir(context.projectDir);
  const kept = path.resolve(fallback) === path.resolve(dir) ? [] : await openOutbox({ dir: fallback }).names();
  if (context.config.sessionStorage.backend === 'local' && names.length === 0 && kept.length === 0) return undefined;
  const times = [names[0], kept[0]]
    .map((n) => (n === undefined ? undefined : outboxEntryTime(n)))
    .filter((t): t is number => t !== undefined);
  const first = times.length > 0 ? Math.min(...times) : undefined;
  return {
    dir,
    pending: names.length + kept.length,
    ...(first !== undefined ? { oldest: new Date(first).toISOString(), oldestAgeMs: Math.max(0, now - first) } : {}),
    ...(kept.length > 0 ? { keptWhileConfigBroken: kept.length } : {}),
    drainer: drainerState(dir),
  };
}
