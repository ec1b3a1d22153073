import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SeenBefore } from '@runbook/learning-bridge';
import { describeError } from '@runbook/storage-core';
import type { CliContext } from '../../shared/context.js';
import { indexDir, openIndex } from '../../shared/session-index.js';

/**
 * Earlier sessions with the same failures, for the "Seen before" section. Uses the session index only when
 * it exists (search, similar and recurring build it), bringing it up to date first; learn never builds it.
 * Trouble with the index is a note, never a failed learn.
 */
export async function findSeenBefore(context: CliContext, sessionId: string, notes: string[]): Promise<SeenBefore[]> {
  if (!existsSync(path.join(indexDir(context), 'manifest.json'))) return [];
  try {
    const { earlierOccurrences } = await import('@runbook/session-index');
    const opened = await openIndex(context);
    try {
      if (!opened.index) return [];
      return earlierOccurrences(opened.index.profiles(), sessionId, context.projectDir);
    } finally {
      await opened.close();
    }
  } catch (error) {
    notes.push(`"Seen before" left out: the session index could not be read (${describeError(error)})`);
    return [];
  }
}
