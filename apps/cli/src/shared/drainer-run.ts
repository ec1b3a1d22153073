import {
  DEFAULT_HEARTBEAT_MS,
  adoptDrainLock,
  describeError,
  drainOutbox,
  drainTranscriptSpool,
  openTranscriptSpool,
  openOutbox,
  parseOutboxConfig,
  tryAcquireDrainLock,
  writeDrainState,
  type DrainLock,
  type DrainState,
  type OutboxConfig,
  type SessionBackend,
} from '@runbook/storage-core';
import { loadContext } from './context.js';
import { openPrimary } from './store.js';
import { createWaker } from './drainer-wait.js';
import { adoptFallbackEntries } from './outboxes.js';

export interface DrainerOptions {
  projectDir: string;
  /** The outbox this drainer serves (its lock lives there). */
  outboxDir: string;
  /** The lock a hook took and handed to this process; without it the drainer takes the lock itself. */
  token?: string;
  env: NodeJS.ProcessEnv;
}

const FIRST_RETRY_MS = 1_000;
/**
 * Woken by a new entry, wait this long before sending: the hook that wrote it is still finishing (on a
 * busy machine the drainer would take CPU from it), and entries that arrive together go in one pass.
 */
const GATHER_MS = 250;
/** Used until the config is read (it may be broken: the drainer retries it like an unreachable backend). */
const DEFAULTS = { idleMs: 5_000, lifetimeMs: 600_000, retryMaxMs: 30_000, concurrency: 16 };

type Timing = Pick<OutboxConfig, 'idleMs' | 'lifetimeMs' | 'retryMaxMs' | 'concurrency'>;

/**
 * The background drainer (`sync --background`): one per outbox, holding its drain lock with a
 * heartbeat. It sends what waits, then waits for new entries and sends them as they come; it exits
 * after `outbox.idleMs` with nothing to send, after `outbox.lifetimeMs` in any case, or as soon as its
 * lock is taken from it. While the backend fails (or the config cannot be read) it retries with
 * doubling waits up to `outbox.retryMaxMs`; a `Stop` or `SessionEnd` hook wakes it at once. It prints nothing.
 */
export async function runDrainer(options: DrainerOptions): Promise<number> {
  const lock = options.token
    ? adoptDrainLock(options.outboxDir, options.token)
    : tryAcquireDrainLock(options.outboxDir);
  if (!lock) return 0;
  const outcome = await drainWhileHeld(options, lock);
  // An event spooled after the last look found this drainer alive and started none: look once more.
  if (outcome.again && (await openOutbox({ dir: options.outboxDir }).names()).length > outcome.unsendable) {
    return runDrainer({ projectDir: options.projectDir, outboxDir: options.outboxDir, env: options.env });
  }
  return 0;
}

async function drainWhileHeld(
  options: DrainerOptions,
  lock: DrainLock,
): Promise<{ again: boolean; unsendable: number }> {
  const started = Date.now();
  const outbox = openOutbox({ dir: options.outboxDir });
  const stop = new AbortController();
  const onTerm = () => stop.abort();
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onTerm);
  const heartbeat = setInterval(() => {
    if (!lock.refresh()) stop.abort(); // taken over as stale: leave the outbox to the new holder
  }, DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();
  const waker = createWaker(options.outboxDir);
  const state: DrainState = { pid: process.pid, startedAt: new Date(started).toISOString(), updatedAt: '', sent: 0 };
  const save = () => writeDrainState(options.outboxDir, { ...state, updatedAt: new Date().toISOString() });
  let timing: Timing = DEFAULTS;
  let primary: SessionBackend | undefined;
  let retryMs = FIRST_RETRY_MS;
  let probing = false;
  let unsendable = 0;
  let idleExit = false;

  const backOff = async (error: string): Promise<void> => {
    state.lastError = error;
    state.retryAt = new Date(Date.now() + retryMs).toISOString();
    save();
    await waker.wait(Math.min(retryMs, Math.max(0, started + timing.lifetimeMs - Date.now())), {
      entries: false,
      signal: stop.signal,
    });
    retryMs = Math.min(retryMs * 2, timing.retryMaxMs);
  };

  try {
    while (!stop.signal.aborted && Date.now() < started + timing.lifetimeMs) {
      waker.clear();
      if (!primary) {
        try {
          const context = await loadContext({ projectDir: options.projectDir, env: options.env });
          const config = parseOutboxConfig(context.config, context.localBaseDir);
          timing = config;
          await adoptFallbackEntries(context.projectDir, outbox);
          primary = await openPrimary(context);
        } catch (error) {
          await backOff(describeError(error));
          continue;
        }
      }
      const lifetime = AbortSignal.timeout(Math.max(1, started + timing.lifetimeMs - Date.now()));
      // After a failure, try one event first: a backend still down costs one request per retry, not one per event.
      const pace = probing ? { concurrency: 1, maxConsecutiveFailures: 1 } : { concurrency: timing.concurrency };
      const result = await drainOutbox(outbox, primary, { ...pace, signal: AbortSignal.any([stop.signal, lifetime]) });
      // Transcript chunks wait in the outbox's own folder; they go the same way when the backend keeps transcripts.
      const spool = openTranscriptSpool(options.outboxDir);
      if (spool.countSync() > 0 && primary.appendTranscript) {
        const chunks = await drainTranscriptSpool(spool, primary, {
          concurrency: 4,
          signal: AbortSignal.any([stop.signal, lifetime]),
        });
        result.stored += chunks.stored;
        result.duplicate += chunks.duplicate;
        result.failed += chunks.failed;
        if (chunks.failures[0] && !result.failures[0])
          result.failures.push({ entry: 'transcript', message: chunks.failures[0] });
      }
      const sent = result.stored + result.duplicate;
      unsendable = result.skipped;
      probing = result.failed > 0 && sent === 0;
      if (sent > 0) {
        state.sent += sent;
        state.lastSentAt = new Date().toISOString();
        delete state.lastError;
        delete state.retryAt;
        retryMs = FIRST_RETRY_MS;
      }
      if (result.failed > 0) {
        if (sent === 0) await backOff(result.failures[0]?.message ?? 'upload failed');
        continue;
      }
      save();
      if (result.remaining > result.skipped) continue; // more arrived meanwhile
      if (await waker.wait(timing.idleMs, { entries: true, signal: stop.signal })) {
        await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
        continue;
      }
      idleExit = true;
      break;
    }
  } finally {
    clearInterval(heartbeat);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onTerm);
    waker.close();
    await primary?.close?.().catch(() => {});
    save();
    lock.release();
  }
  return { again: idleExit, unsendable };
}
