import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** What the running drainer last said about itself (inside the outbox; not an entry: it starts with a dot). */
export const DRAIN_STATE_FILE = '.drain.state';
/** Touched to make a waiting drainer try again at once (e.g. when a session stops). */
export const DRAIN_WAKE_FILE = '.drain.wake';

/** The drainer's own account of its work, for `status`. */
export interface DrainState {
  pid: number;
  /** When this drainer started (ISO-8601). */
  startedAt: string;
  /** When it last wrote this (ISO-8601). */
  updatedAt: string;
  /** Events it sent (or found already stored) so far. */
  sent: number;
  /** When it last sent one (ISO-8601). */
  lastSentAt?: string;
  /** The last upload failure, one line, while it has not sent anything since. */
  lastError?: string;
  /** When it tries again after failures (ISO-8601), while backing off. */
  retryAt?: string;
}

/** Record the drainer's state (written whole: temp file, then rename). Failures are ignored: it is only a report. */
export function writeDrainState(dir: string, state: DrainState): void {
  const file = path.join(dir, DRAIN_STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    // a report only
  }
}

export function readDrainState(dir: string): DrainState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dir, DRAIN_STATE_FILE), 'utf8')) as DrainState;
    return typeof parsed?.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Ask the outbox's drainer to try again now, even while it backs off after failures. */
export function wakeDrainer(dir: string): void {
  try {
    writeFileSync(path.join(dir, DRAIN_WAKE_FILE), String(Date.now()), { mode: 0o600 });
  } catch {
    // no outbox yet, or unwritable: nothing waits to be woken
  }
}
