import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this whose holder cannot be checked is taken over. */
const STALE_MS = 10 * 60_000;

function holderAlive(file: string): boolean {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(file).mtimeMs < STALE_MS;
    if (pid === process.pid) return true;
    process.kill(pid, 0);
    return Date.now() - statSync(file).mtimeMs < STALE_MS;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Hold `file` (created exclusively, holding this process id) while `work` runs, so two processes sharing
 * one cache repository never fetch or push through it at once. A lock left by a process that died is
 * taken over. Waits up to `timeoutMs`.
 */
export async function withFileLock<T>(
  file: string,
  timeoutMs: number,
  work: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let fd: number | undefined;
  let delay = 20;
  while (fd === undefined) {
    try {
      fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() >= deadline || signal?.aborted)
        throw new Error(`another runbook process holds ${file} (waited ${Math.round(timeoutMs / 1000)}s)`);
      await sleep(delay);
      delay = Math.min(250, delay * 2);
    }
  }
  try {
    return await work();
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
}
