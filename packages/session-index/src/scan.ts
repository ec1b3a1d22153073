import type { SessionBackend, StoredRecord } from '@runbook/storage-core';
import { eventDocument, type IndexDoc } from './documents.js';
import { MemorySegment } from './memory-segment.js';
import { profileSession, type SessionProfile } from './profile.js';
import { fileDocument, listProjectFiles } from './project-files.js';
import { transcriptDocuments } from './transcript-documents.js';
import { searchSegments, type SearchOptions, type SearchResult } from './search.js';

export interface ScanOptions {
  backend: SessionBackend;
  projectDir: string;
  signal?: AbortSignal;
}

async function sessionIds(
  backend: SessionBackend,
  only: string | undefined,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  if (only !== undefined) return [only];
  if (!backend.list) return [];
  const ids: string[] = [];
  for await (const summary of backend.list({ ...(signal ? { signal } : {}) })) ids.push(summary.sessionId);
  return ids;
}

/**
 * Search without an index: stream every session from the backend and rank the same way the index does.
 * Nothing is written. Slower (it reads everything each time), for when the index directory cannot be written.
 */
export async function scanSearch(
  options: ScanOptions,
  query: string,
  search: SearchOptions = {},
): Promise<SearchResult> {
  const segment = new MemorySegment();
  const { backend, signal } = options;
  for (const id of await sessionIds(backend, search.sessionId, signal)) {
    for await (const record of backend.read(id, { ...(signal ? { signal } : {}) })) segment.add(eventDocument(record));
    for await (const doc of transcriptDocuments(backend, id, signal)) segment.add(doc);
  }
  if (search.sessionId === undefined)
    for (const file of listProjectFiles(options.projectDir)) {
      const doc: IndexDoc | undefined = fileDocument(file);
      if (doc) segment.add(doc);
    }
  return searchSegments([segment], query, search);
}

/** Every session's profile, read straight from the backend. */
export async function scanProfiles(options: ScanOptions): Promise<SessionProfile[]> {
  const out: SessionProfile[] = [];
  for (const id of await sessionIds(options.backend, undefined, options.signal)) {
    const records: StoredRecord[] = [];
    for await (const record of options.backend.read(id, { ...(options.signal ? { signal: options.signal } : {}) }))
      records.push(record);
    if (records.length > 0) out.push(profileSession(id, records));
  }
  return out;
}
