import { RunbookError, type SessionBackend, type SessionSummary, type StoredRecord } from '@runbook/storage-core';

/** A session as the browsing commands show it. */
export interface SessionRow {
  sessionId: string;
  firstSeen?: string;
  lastSeen?: string;
  eventCount?: number;
  firstPrompt?: string;
  /** A transcript of the session is archived (only when the backend keeps transcripts). */
  transcript?: boolean;
}

/** The time a session was last active, for sorting and filtering. */
export function activeAt(summary: SessionSummary): number | undefined {
  const at = summary.lastSeen ?? summary.firstSeen;
  if (!at) return undefined;
  const time = Date.parse(at);
  return Number.isNaN(time) ? undefined : time;
}

/** Fill in count and first/last seen by reading the session, for backends that do not list them. */
async function withDetails(store: SessionBackend, summary: SessionSummary): Promise<SessionSummary> {
  if (summary.eventCount !== undefined && summary.lastSeen !== undefined) return summary;
  let count = 0;
  let first: string | undefined;
  let last: string | undefined;
  for await (const record of store.read(summary.sessionId)) {
    count++;
    first ??= record.observedAt;
    last = record.observedAt;
  }
  return { ...summary, eventCount: count, ...(first ? { firstSeen: first } : {}), ...(last ? { lastSeen: last } : {}) };
}

/** Sessions read at once to fill in details a backend does not list. */
const DETAIL_CONCURRENCY = 8;

/**
 * Every session the store lists, with details. Sessions whose details the backend did not list are read
 * to count them, several at once. Throws `CAPABILITY_MISSING` when the backend cannot list.
 */
export async function listSessions(store: SessionBackend, onEach?: () => void): Promise<SessionSummary[]> {
  if (!store.list) {
    throw new RunbookError('CAPABILITY_MISSING', `backend ${store.name} cannot list sessions`);
  }
  const listed: SessionSummary[] = [];
  for await (const summary of store.list()) listed.push(summary);
  // A backend that lists details may still leave out what it cannot know cheaply: read only those sessions.
  const complete = (s: SessionSummary) =>
    store.listDetails === true && s.eventCount !== undefined && s.lastSeen !== undefined;
  return mapLimit(listed, DETAIL_CONCURRENCY, async (summary) => {
    const detailed = complete(summary) ? summary : await withDetails(store, summary);
    onEach?.();
    return detailed;
  });
}

/** Newest first by last activity; sessions without times go last. */
export function newestFirst(a: SessionSummary, b: SessionSummary): number {
  return (activeAt(b) ?? -Infinity) - (activeAt(a) ?? -Infinity) || a.sessionId.localeCompare(b.sessionId);
}

/** The prompt text of a `UserPromptSubmit` record, if it is one. */
export function promptOf(record: StoredRecord): string | undefined {
  if (record.eventName !== 'UserPromptSubmit') return undefined;
  const prompt = record.payload.prompt;
  return typeof prompt === 'string' ? prompt : undefined;
}

/** The first prompt of a session, reading only as far as it (the rest of the session is never read). */
export async function firstPrompt(
  store: SessionBackend,
  sessionId: string,
  scanLimit = 500,
): Promise<string | undefined> {
  let seen = 0;
  for await (const record of store.read(sessionId)) {
    const prompt = promptOf(record);
    if (prompt !== undefined) return prompt;
    if (++seen >= scanLimit) return undefined;
  }
  return undefined;
}

/** Run `fn` over `items` with at most `limit` at once, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

export function sessionNotFound(sessionId: string, backend: string): RunbookError {
  return new RunbookError(
    'SESSION_NOT_FOUND',
    `no session "${sessionId}" in ${backend} storage; see: runbook integrations claude sessions list`,
  );
}
