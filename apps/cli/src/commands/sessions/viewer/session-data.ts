import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SessionBackend, StoredRecord } from '@runbook/storage-core';
import type { CliContext } from '../../../shared/context.js';
import type { OutputRedaction } from '../../../shared/output-redaction.js';
import { listSessions, mapLimit, newestFirst, promptOf, sessionNotFound } from '../../../shared/session-summaries.js';
import { buildTimeline, type TimelineModel } from './timeline-model.js';

/** A session's stored records. Throws SESSION_NOT_FOUND when it has no events. */
export async function readSession(
  context: CliContext,
  store: SessionBackend,
  sessionId: string,
): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const record of store.read(sessionId)) records.push(record);
  if (records.length === 0) throw sessionNotFound(sessionId, context.config.sessionStorage.backend);
  return records;
}

/** The first `limit` records of a session (what its first screen needs), reading no further. */
export async function readHead(
  context: CliContext,
  store: SessionBackend,
  sessionId: string,
  limit: number,
): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const record of store.read(sessionId)) {
    records.push(record);
    if (records.length >= limit) break;
  }
  if (records.length === 0) throw sessionNotFound(sessionId, context.config.sessionStorage.backend);
  return records;
}

/**
 * A session's timeline with everything shown passed through the hook's redaction: titles and errors always,
 * payloads when they are part of the model (`payloads`, for a self-contained file; the served viewer
 * redacts a step's payloads when it is opened, so a big session's first screen does not wait for all of them).
 */
export function timelineOf(
  sessionId: string,
  records: StoredRecord[],
  redaction: OutputRedaction,
  payloads: boolean,
): TimelineModel {
  const shown = payloads ? records.map((r) => ({ ...r, payload: redaction.payload(r.payload) })) : records;
  return buildTimeline(sessionId, shown, { payloads, text: redaction.text });
}

export interface SessionListItem {
  sessionId: string;
  firstSeen?: string;
  lastSeen?: string;
  eventCount?: number;
  failures: number;
  firstPrompt?: string;
  learned: boolean;
}

/** Learning folders (`.runbook/learning/<id>/`) by the session they were made from. */
export async function learningDirs(context: CliContext): Promise<Map<string, string[]>> {
  const root = path.join(context.projectDir, '.runbook', 'learning');
  const bySession = new Map<string, string[]>();
  const names = await readdir(root).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      try {
        const inv = JSON.parse(await readFile(path.join(root, name, 'investigation.json'), 'utf8')) as {
          sessionId?: unknown;
        };
        if (typeof inv.sessionId !== 'string') return;
        const dirs = bySession.get(inv.sessionId) ?? [];
        dirs.push(path.join(root, name));
        bySession.set(inv.sessionId, dirs);
      } catch {
        // Not a learning folder.
      }
    }),
  );
  return bySession;
}

/** The markdown artifacts of a session's learning folders, by file name. */
export async function learningDocuments(dirs: string[]): Promise<{ name: string; markdown: string }[]> {
  const documents: { name: string; markdown: string }[] = [];
  for (const dir of dirs) {
    for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
      if (!name.endsWith('.md')) continue;
      documents.push({ name: `${path.basename(dir)}/${name}`, markdown: await readFile(path.join(dir, name), 'utf8') });
    }
  }
  return documents;
}

/** Every session with what the list page shows: times, counts, failures, first prompt, whether it was learned from. */
export async function listForViewer(
  context: CliContext,
  store: SessionBackend,
  redaction: OutputRedaction,
): Promise<SessionListItem[]> {
  const [summaries, learned] = await Promise.all([listSessions(store), learningDirs(context)]);
  summaries.sort(newestFirst);
  return mapLimit(summaries, 8, async (summary) => {
    let failures = 0;
    let prompt: string | undefined;
    for await (const record of store.read(summary.sessionId)) {
      if (record.eventName === 'PostToolUseFailure') failures += 1;
      prompt ??= promptOf(record);
    }
    return {
      sessionId: summary.sessionId,
      ...(summary.firstSeen ? { firstSeen: summary.firstSeen } : {}),
      ...(summary.lastSeen ? { lastSeen: summary.lastSeen } : {}),
      ...(summary.eventCount !== undefined ? { eventCount: summary.eventCount } : {}),
      failures,
      ...(prompt !== undefined ? { firstPrompt: redaction.text(prompt).slice(0, 300) } : {}),
      learned: learned.has(summary.sessionId),
    };
  });
}
