import path from 'node:path';
import type { SessionBackend } from '@runbook/storage-core';
import { createTranscriptLineRedactor, type PayloadRedactor } from '@runbook/hook-ingest';
import { archiveSession } from './archive-session.js';
import { sessionsBehind } from './catch-up.js';
import { markPending } from './pending.js';
import { unarchivedBytes } from './session-files.js';

/** Hook events after which the transcript is archived. */
export const ARCHIVING_EVENTS: ReadonlySet<string> = new Set(['Stop', 'SubagentStop', 'PreCompact', 'SessionEnd']);
/** A hook archives at most this much itself; a larger delta goes to the background archiver whole. */
export const INLINE_MAX_BYTES = 256 * 1024;
/** A hook stops starting chunks after this long. */
export const INLINE_BUDGET_MS = 400;
/** SessionStart looks at this many of the project's most recent earlier sessions. */
export const CATCH_UP_SESSIONS = 20;

export interface HookArchiveInput {
  eventName: string;
  sessionId: string;
  transcriptPath: string;
  localBaseDir: string;
  /** Where chunks go: a backend, or the hook's outbox (which the drainer empties). */
  store: Pick<SessionBackend, 'appendTranscript'>;
  redact: PayloadRedactor | false | undefined;
  /** Start the detached background archiver (it takes every deferred session). */
  startBackground: () => Promise<void>;
  say: (line: string) => void;
}

/** Accept only what Claude Code sends: an absolute path to a `.jsonl` file. */
function plausible(transcriptPath: string): boolean {
  return path.isAbsolute(transcriptPath) && transcriptPath.endsWith('.jsonl');
}

/**
 * What the hook does for transcripts after storing its event. On `Stop`, `SubagentStop`, `PreCompact` and
 * `SessionEnd`: archive what is new (main and subagent transcripts) when it is small, within a time budget;
 * defer it to the background archiver when large or when the budget runs out. On `SessionStart`: defer
 * earlier sessions of the same project whose transcripts grew since they were last archived.
 */
export async function archiveOnHookEvent(input: HookArchiveInput): Promise<void> {
  if (!input.store.appendTranscript || !plausible(input.transcriptPath)) return;
  if (input.eventName === 'SessionStart') {
    const behind = sessionsBehind(input.localBaseDir, path.dirname(input.transcriptPath), {
      except: input.sessionId,
      limit: CATCH_UP_SESSIONS,
    });
    for (const session of behind)
      markPending(input.localBaseDir, { sessionId: session.sessionId, transcriptPath: session.path });
    if (behind.length > 0) await input.startBackground();
    return;
  }
  if (!ARCHIVING_EVENTS.has(input.eventName)) return;
  const behind = unarchivedBytes(input.localBaseDir, input.sessionId, input.transcriptPath);
  if (behind === 0) return;
  const deferred = { sessionId: input.sessionId, transcriptPath: input.transcriptPath };
  if (behind > INLINE_MAX_BYTES) {
    markPending(input.localBaseDir, deferred);
    await input.startBackground();
    return;
  }
  const result = await archiveSession({
    localBaseDir: input.localBaseDir,
    sessionId: input.sessionId,
    transcriptPath: input.transcriptPath,
    store: input.store,
    redact: createTranscriptLineRedactor(input.redact),
    deadline: Date.now() + INLINE_BUDGET_MS,
    lockWaitMs: 250,
  });
  if (result.stopped) {
    markPending(input.localBaseDir, deferred);
    await input.startBackground();
  }
}
