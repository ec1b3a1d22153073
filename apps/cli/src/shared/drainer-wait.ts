import { watch, type FSWatcher } from 'node:fs';
import { DRAIN_WAKE_FILE } from '@runbook/storage-core';

/** Waits of the drainer, cut short by new outbox entries (when idle) or the wake file (always). */
export interface DrainerWaker {
  /** Wait up to `ms`; resolves true when woken. `entries`: a new entry wakes too (idle), else only the wake file (backing off). */
  wait(ms: number, options: { entries: boolean; signal: AbortSignal }): Promise<boolean>;
  /** Forget what arrived before now (called before each look at the outbox). */
  clear(): void;
  close(): void;
}

export function createWaker(dir: string): DrainerWaker {
  let sawEntry = false;
  let sawWake = false;
  let wakeNow: (() => void) | undefined;
  let wantEntries = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_event, filename) => {
      const name = filename === null ? '' : String(filename);
      if (name === DRAIN_WAKE_FILE) sawWake = true;
      else if (name.endsWith('.json') && !name.startsWith('.')) sawEntry = true;
      else return;
      if (wakeNow && (sawWake || (wantEntries && sawEntry))) wakeNow();
    });
    watcher.on('error', () => {});
  } catch {
    // no watching here: waits run their full length
  }
  return {
    wait(ms, { entries, signal }) {
      if (sawWake || (entries && sawEntry)) return Promise.resolve(true);
      if (signal.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        wantEntries = entries;
        const finish = (woke: boolean) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          wakeNow = undefined;
          resolve(woke);
        };
        const onAbort = () => finish(false);
        const timer = setTimeout(() => finish(false), ms);
        signal.addEventListener('abort', onAbort, { once: true });
        wakeNow = () => finish(true);
      });
    },
    clear() {
      sawEntry = false;
      sawWake = false;
    },
    close() {
      watcher?.close();
    },
  };
}
