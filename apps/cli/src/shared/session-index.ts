import path from 'node:path';
import type { SessionBackend } from '@runbook/storage-core';
import type { SessionIndex, UpdateSummary } from '@runbook/session-index';
import { displayPath, type CliContext } from './context.js';
import { openStore } from './store.js';

/** The index lives beside the local copies of sessions; deleting it loses nothing (the next command rebuilds it). */
export function indexDir(context: CliContext): string {
  return path.join(context.localBaseDir, 'index');
}

export interface OpenedIndex {
  store: SessionBackend;
  /** Undefined when the index could not be written: commands then scan the backend instead. */
  index?: SessionIndex;
  update?: UpdateSummary;
  /** Why the index was not used, for one line on stderr. */
  fallback?: string;
  close(): Promise<void>;
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EEXIST']);

/**
 * The configured store and its index, brought up to date (new and grown sessions, changed learning files).
 * With `scan`, or when the index directory cannot be written, no index: callers scan the backend.
 */
export async function openIndex(context: CliContext, options: { scan?: boolean } = {}): Promise<OpenedIndex> {
  const { openSessionIndex } = await import('@runbook/session-index');
  const store = await openStore(context);
  const close = async () => {
    index?.close();
    await store.close?.().catch(() => {});
  };
  let index: SessionIndex | undefined;
  if (options.scan) return { store, fallback: 'scanning stored sessions (--no-index)', close };
  const dir = indexDir(context);
  index = openSessionIndex({ dir, backend: store, projectDir: context.projectDir });
  try {
    const update = await index.update();
    return { store, index, update, close };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !UNWRITABLE.has(code)) {
      await close();
      throw error;
    }
    index = undefined;
    return {
      store,
      fallback: `cannot write the index in ${displayPath(context, dir)} (${code}); scanning stored sessions instead`,
      close,
    };
  }
}

/** One line about what the update did, for stderr; nothing when nothing changed. */
export function describeUpdate(update: UpdateSummary | undefined): string | undefined {
  if (!update) return undefined;
  if (update.busy) return 'another process is updating the index; results are from the index as it was';
  if (update.added === 0 && !update.rebuilt) return undefined;
  const what = `${update.added} document(s) from ${update.sessionsRead} session(s)`;
  return update.rebuilt ? `index built: ${what}` : `index updated: ${what}`;
}
