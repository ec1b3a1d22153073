import { describeError, hasArchivedTranscript } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { parseSince } from '../../output/duration.js';
import { createProgress } from '../../output/progress.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { oneLine, renderTable } from '../../output/text.js';
import { formatTimestamp } from '../../output/time.js';
import { openStore } from '../../shared/store.js';
import {
  activeAt,
  firstPrompt,
  listSessions,
  mapLimit,
  newestFirst,
  type SessionRow,
} from '../../shared/session-summaries.js';

export interface SessionsListOptions {
  since?: string;
  limit: number;
  json?: boolean;
  projectDir?: string;
}

export async function runSessionsList(opts: SessionsListOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const { outputRedaction } = await import('../../shared/output-redaction.js');
  const redaction = outputRedaction(context);
  const store = await openStore(context);
  try {
    const progress = createProgress({ label: 'listing sessions' });
    let summaries = await listSessions(store, () => progress.tick()).finally(() => progress.done());
    const since = opts.since ? parseSince(opts.since) : undefined;
    if (since) summaries = summaries.filter((s) => (activeAt(s) ?? -Infinity) >= since.getTime());
    summaries.sort(newestFirst);
    const total = summaries.length;
    if (opts.limit > 0) summaries = summaries.slice(0, opts.limit);

    const rows: SessionRow[] = await mapLimit(summaries, 4, async (s) => {
      let prompt: string | undefined;
      try {
        prompt = await firstPrompt(store, s.sessionId);
      } catch (error) {
        warn(`session ${s.sessionId}: cannot read its first prompt: ${describeError(error)}`);
      }
      let transcript: boolean | undefined;
      if (store.readTranscript) {
        try {
          transcript = await hasArchivedTranscript(store, s.sessionId, { file: 'main' });
        } catch (error) {
          warn(`session ${s.sessionId}: cannot tell whether its transcript is archived: ${describeError(error)}`);
        }
      }
      return {
        sessionId: s.sessionId,
        ...(s.firstSeen ? { firstSeen: s.firstSeen } : {}),
        ...(s.lastSeen ? { lastSeen: s.lastSeen } : {}),
        ...(s.eventCount !== undefined ? { eventCount: s.eventCount } : {}),
        ...(prompt !== undefined ? { firstPrompt: redaction.text(prompt) } : {}),
        ...(transcript !== undefined ? { transcript } : {}),
      };
    });

    if (opts.json) {
      await writeJson(rows);
    } else if (rows.length === 0) {
      await writeChunk(
        since ? `No sessions active since ${formatTimestamp(since.toISOString())}.\n` : 'No sessions stored yet.\n',
      );
    } else {
      const width = process.stdout.isTTY ? process.stdout.columns : undefined;
      const table = renderTable(
        [
          { header: 'SESSION' },
          { header: 'FIRST SEEN' },
          { header: 'LAST SEEN' },
          { header: 'EVENTS', right: true },
          { header: 'TRANSCRIPT' },
          { header: 'FIRST PROMPT' },
        ],
        rows.map((r) => [
          r.sessionId,
          formatTimestamp(r.firstSeen),
          formatTimestamp(r.lastSeen),
          r.eventCount === undefined ? '-' : String(r.eventCount),
          r.transcript ? 'archived' : '-',
          r.firstPrompt === undefined ? '-' : oneLine(r.firstPrompt, 120),
        ]),
        width,
      );
      await writeChunk(table);
    }
    if (rows.length < total) warn(`showing ${rows.length} of ${total} sessions; use --limit 0 to see all`);
  } finally {
    await store.close?.();
  }
}
