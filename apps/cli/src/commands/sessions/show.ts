import type { ReadIssue } from '@runbook/storage-core';
import { loadContext } from '../../shared/context.js';
import { formatDuration } from '../../output/duration.js';
import { createStyle } from '../../output/style.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { formatClock, formatTimestamp } from '../../output/time.js';
import { openStore } from '../../shared/store.js';
import { sessionNotFound } from '../../shared/session-summaries.js';
import { describeEvent } from './describe.js';

export interface SessionsShowOptions {
  json?: boolean;
  projectDir?: string;
}

/** One line of a timeline. */
export interface TimelineEntry {
  eventId: string;
  observedAt: string;
  eventName: string;
  summary: string;
}

export async function runSessionsShow(sessionId: string, opts: SessionsShowOptions): Promise<void> {
  const context = await loadContext({ ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const { outputRedaction } = await import('../../shared/output-redaction.js');
  const redaction = outputRedaction(context);
  const store = await openStore(context);
  const issues: ReadIssue[] = [];
  const entries: TimelineEntry[] = [];
  try {
    for await (const record of store.read(sessionId, { onIssue: (issue) => issues.push(issue) })) {
      entries.push({
        eventId: record.eventId,
        observedAt: record.observedAt,
        eventName: record.eventName,
        summary: describeEvent({ ...record, payload: redaction.payload(record.payload) }),
      });
    }
  } finally {
    await store.close?.();
  }
  for (const issue of issues.filter((i) => i.kind !== 'duplicate'))
    warn(`skipped ${issue.kind} at ${issue.location}: ${issue.detail}`);
  if (entries.length === 0) throw sessionNotFound(sessionId, context.config.sessionStorage.backend);

  const first = entries[0]!;
  const last = entries[entries.length - 1]!;
  if (opts.json) {
    await writeJson({
      sessionId,
      eventCount: entries.length,
      firstSeen: first.observedAt,
      lastSeen: last.observedAt,
      events: entries,
    });
    return;
  }
  const style = createStyle(process.stdout);
  const start = Date.parse(first.observedAt);
  const nameWidth = Math.max(...entries.map((e) => e.eventName.length));
  const span = formatDuration(Date.parse(last.observedAt) - start);
  let out = `${style.bold(`Session ${sessionId}`)}\n${entries.length} events, ${formatTimestamp(first.observedAt)} → ${formatTimestamp(last.observedAt)} (${span})\n\n`;
  for (const entry of entries) {
    const offset = `+${formatDuration(Date.parse(entry.observedAt) - start)}`;
    const name = entry.eventName.padEnd(nameWidth);
    const painted =
      entry.eventName === 'UserPromptSubmit'
        ? style.cyan(name)
        : entry.eventName === 'PostToolUseFailure'
          ? style.red(name)
          : name;
    out += `${`${formatClock(entry.observedAt)}  ${style.dim(offset.padStart(8))}  ${painted}  ${entry.summary}`.trimEnd()}\n`;
    if (out.length > 64 * 1024) {
      await writeChunk(out);
      out = '';
    }
  }
  await writeChunk(out);
}
