import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** The lock file inside an outbox directory; its name does not end in `.json`, so it is never an entry. */
export const DRAIN_LOCK_FILE = '.drain.lock';
/** A lock not refreshed for this long is abandoned, whatever its pid says (default 2 minutes). */
export const DEFAULT_LOCK_STALE_MS = 120_000;

export interface DrainLockHolder {
  pid: number;
  host: string;
  /** When the holder last refreshed the lock (ms since epoch). */
  refreshedAt: number;
}

export interface DrainLock {
  readonly file: string;
  /** Mark the lock as still in use (a long drain calls this now and then). */
  refresh(): void;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the drain lock of an outbox, or undefined when nobody does (or the holder is gone or stale). */
export function drainLockHolder(dir: string, options: { staleMs?: number; now?: number } = {}): DrainLockHolder | undefined {
  const file = path.join(dir, DRAIN_LOCK_FILE);
  let text: string;
  let mtime: number;
  try {
    text = readFileSync(file, 'utf8');
    mtime = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(text) as { pid?: unknown; host?: unknown };
  } catch {
    holder = {};
  }
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const now = options.now ?? Date.now();
  if (typeof holder.pid !== 'number' || now - mtime > staleMs) return undefined;
  const host = typeof holder.host === 'string' ? holder.host : '';
  if (host === hostname() && !isAlive(holder.pid)) return undefined;
  return { pid: holder.pid, host, refreshedAt: mtime };
}

/**
 * Take the outbox's drain lock so at most one background drainer runs per outbox. Returns undefined
 * when a live, fresh holder has it. A lock left by a dead process or not refreshed within `staleMs`
 * is taken over.
 */
export function tryAcquireDrainLock(dir: string, options: { staleMs?: number } = {}): DrainLock | undefined {
  const file = path.join(dir, DRAIN_LOCK_FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (drainLockHolder(dir, options)) return undefined;
      try {
        unlinkSync(file);
      } catch {
        // another process cleared it first; try again
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      refresh() {
        if (released) return;
        const at = new Date();
        try {
          utimesSync(file, at, at);
        } catch {
          // the lock was taken over as stale; the drain is still safe to finish
        }
      },
      release() {
        if (released) return;
        released = true;
        try {
          const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
          if (holder.pid === process.pid) unlinkSync(file);
        } catch {
          // already gone
        }
      },
    };
  }
  return undefined;
}
