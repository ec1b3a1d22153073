import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** The lock file inside an outbox directory; its name does not end in `.json`, so it is never an entry. */
export const DRAIN_LOCK_FILE = '.drain.lock';
/** Held for the moment a stale lock is being replaced, so two processes never both replace it. */
const TAKEOVER_FILE = '.drain.lock.takeover';
/** How often a holder marks its lock as alive (ms). */
export const DEFAULT_HEARTBEAT_MS = 2_000;
/** A lock whose heartbeat stopped this long ago is abandoned, whatever its pid says (default 30 s). */
export const DEFAULT_LOCK_STALE_MS = 30_000;
/** A takeover marker older than this was left by a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 5_000;

/** What the lock file says. Written once per holder (create or hand-over); the heartbeat is its mtime. */
interface LockContent {
  pid: number;
  host: string;
  /** The holder's process start time as the kernel counts it (Linux), so a reused pid is not taken for the holder. */
  start?: string;
  /** Unique to one acquisition: a holder checks it to learn whether its lock was taken over. */
  token: string;
  acquiredAt: string;
}

export interface DrainLockHolder {
  pid: number;
  host: string;
  /** Last heartbeat (ms since epoch). */
  refreshedAt: number;
  /** When this holder took the lock (ISO-8601). */
  acquiredAt?: string;
}

export interface DrainLock {
  readonly file: string;
  /** Unique to this acquisition; pass it to the process the lock is handed to. */
  readonly token: string;
  /** Heartbeat: mark the lock alive. Returns false when the lock is no longer this holder's (taken over as stale). */
  refresh(): boolean;
  /** Whether the lock file still carries this acquisition's token. */
  owned(): boolean;
  /** Name another process (one this holder just started) as the holder; the token stays the same. */
  handOver(pid: number): void;
  /** Remove the lock if it is still this holder's. */
  release(): void;
}

export interface LockOptions {
  /** Heartbeat age after which a holder is taken as gone (default 30 s). */
  staleMs?: number;
  now?: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Fields 3 onwards of /proc/<pid>/stat (Linux), or undefined where it cannot be read. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The start time of a process (Linux: field 22 of /proc/<pid>/stat), or undefined where it cannot be read. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

function lockContent(pid: number, token: string): LockContent {
  const start = processStartTime(pid);
  return { pid, host: hostname(), ...(start ? { start } : {}), token, acquiredAt: new Date().toISOString() };
}

function readLock(file: string): { content: Partial<LockContent>; raw: string; mtime: number } | undefined {
  let raw: string;
  let mtime: number;
  try {
    raw = readFileSync(file, 'utf8');
    mtime = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(raw) as unknown;
    return {
      content: parsed !== null && typeof parsed === 'object' ? (parsed as Partial<LockContent>) : {},
      raw,
      mtime,
    };
  } catch {
    return { content: {}, raw, mtime };
  }
}

/** Whether the process a lock names is alive and still the one that took it, and its heartbeat is fresh. */
function holderIsLive(found: { content: Partial<LockContent>; mtime: number }, options: LockOptions): boolean {
  const { content, mtime } = found;
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const now = options.now ?? Date.now();
  if (typeof content.pid !== 'number' || now - mtime > staleMs) return false;
  if (content.host !== hostname()) return true; // another machine's process: only its heartbeat tells
  if (!isAlive(content.pid)) return false;
  const stat = procStat(content.pid);
  if (stat?.[0] === 'Z' || stat?.[0] === 'X') return false; // exited, not yet reaped by its new parent
  if (content.start !== undefined && stat?.[19] !== undefined && stat[19] !== content.start) return false; // the pid was reused
  return true;
}

/** Who holds the drain lock of an outbox, or undefined when nobody does (or the holder is gone or stale). */
export function drainLockHolder(dir: string, options: LockOptions = {}): DrainLockHolder | undefined {
  const found = readLock(path.join(dir, DRAIN_LOCK_FILE));
  if (!found || !holderIsLive(found, options)) return undefined;
  const { content } = found;
  return {
    pid: content.pid!,
    host: content.host ?? '',
    refreshedAt: found.mtime,
    ...(content.acquiredAt ? { acquiredAt: content.acquiredAt } : {}),
  };
}

function writeNew(file: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Replace a lock seen as stale, unless someone else is replacing it or it changed since it was read.
 * The takeover marker is created exclusively, so of two processes that both saw the lock stale only
 * one removes it; the other finds the new lock (live) or the marker (busy) and backs off.
 */
function takeOver(dir: string, seen: { raw: string; mtime: number }, content: LockContent): boolean {
  const marker = path.join(dir, TAKEOVER_FILE);
  let fd: number;
  try {
    fd = openSync(marker, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(marker).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(marker);
    } catch {
      // gone already
    }
    return false;
  }
  closeSync(fd);
  try {
    const file = path.join(dir, DRAIN_LOCK_FILE);
    const now = readLock(file);
    if (now && (now.raw !== seen.raw || now.mtime !== seen.mtime)) return false; // refreshed or replaced meanwhile
    if (now) unlinkSync(file);
    return writeNew(file, content);
  } finally {
    try {
      unlinkSync(marker);
    } catch {
      // removed as stale by another process
    }
  }
}

function randomToken(): string {
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Take the outbox's drain lock so at most one drainer runs per outbox. The lock file is created
 * exclusively (O_EXCL) and names its holder by pid, process start time and host; the holder's
 * heartbeat is the file's mtime. Returns undefined when a live holder has it. A lock whose process is
 * gone (or whose pid now belongs to another process), or whose heartbeat stopped `staleMs` ago, is
 * taken over; a holder that lost its lock that way learns it from `refresh()` and stops.
 */
export function tryAcquireDrainLock(dir: string, options: LockOptions & { pid?: number } = {}): DrainLock | undefined {
  const file = path.join(dir, DRAIN_LOCK_FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const token = randomToken();
  const content = lockContent(options.pid ?? process.pid, token);
  if (!writeNew(file, content)) {
    const found = readLock(file);
    if (found && holderIsLive(found, options)) return undefined;
    const taken = found ? takeOver(dir, found, content) : writeNew(file, content);
    if (!taken) return undefined;
  }
  return lockHandle(file, token);
}

/**
 * The lock a starting process was handed (see {@link DrainLock.handOver}), when the lock file still
 * carries `token`; undefined when it was taken over meanwhile.
 */
export function adoptDrainLock(dir: string, token: string): DrainLock | undefined {
  const file = path.join(dir, DRAIN_LOCK_FILE);
  const found = readLock(file);
  if (found?.content.token !== token) return undefined;
  const handle = lockHandle(file, token);
  if (found.content.pid !== process.pid) handle.handOver(process.pid);
  return handle;
}

function lockHandle(file: string, token: string): DrainLock {
  let released = false;
  const owned = () => !released && readLock(file)?.content.token === token;
  return {
    file,
    token,
    owned,
    refresh() {
      if (!owned()) return false;
      const at = new Date();
      try {
        utimesSync(file, at, at);
      } catch {
        return false;
      }
      return true;
    },
    handOver(pid) {
      const temp = `${file}.${process.pid}.tmp`;
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(lockContent(pid, token)));
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    },
    release() {
      if (released) return;
      const mine = owned();
      released = true;
      if (!mine) return;
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}
