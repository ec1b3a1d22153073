import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

/** A lock older than this is taken over even when its holder still runs (a hook is never that slow). */
const STALE_MS = 60_000;

function holderGone(file: string): boolean {
  try {
    const { pid, at } = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; at?: unknown };
    if (typeof at === 'number' && Date.now() - at > STALE_MS) return true;
    if (typeof pid !== 'number') return Date.now() - statSync(file).mtimeMs > STALE_MS;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch (error) {
    // Unreadable: being written right now, or gone already.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    try {
      return Date.now() - statSync(file).mtimeMs > STALE_MS;
    } catch {
      return true;
    }
  }
}

/**
 * Take the lock file `file` (created exclusively, holding this process's id), or return undefined when another
 * live process holds it. A lock left by a dead process, or older than a minute, is taken over.
 */
export function tryLock(file: string): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, at: Date.now() }));
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // taken over as stale meanwhile
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt > 0 || !holderGone(file)) return undefined;
      try {
        unlinkSync(file);
      } catch {
        // someone else removed it first
      }
    }
  }
  return undefined;
}
