import { readArchivedTranscript, type SessionBackend } from '@runbook/storage-core';
import { payloadText, type IndexDoc } from './documents.js';

/** Transcript line types worth searching: what was said and done, not bookkeeping. */
const SEARCHED = new Set(['user', 'assistant', 'summary']);

function lineDocument(sessionId: string, file: string, key: string, line: string): IndexDoc | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const e = entry as Record<string, unknown>;
  const type = typeof e.type === 'string' ? e.type : '';
  if (!SEARCHED.has(type)) return undefined;
  const body = e.message ?? e.summary;
  const text = payloadText(
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : { text: body },
  );
  if (!text) return undefined;
  const time = typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : Number.NaN;
  return {
    kind: 'transcript',
    sessionId,
    ref: key,
    time: Number.isFinite(time) ? time : 0,
    eventName: `transcript ${file}`,
    tool: '',
    text,
  };
}

/**
 * A session's archived transcript lines as documents (user and assistant messages, summaries), each keyed
 * `t:<file>:<generation>:<byte offset>` so a line is indexed once however often it is read. Nothing when the
 * backend keeps no transcripts.
 */
export async function* transcriptDocuments(
  backend: SessionBackend,
  sessionId: string,
  signal?: AbortSignal,
): AsyncGenerator<IndexDoc> {
  if (!backend.readTranscript) return;
  for await (const chunk of readArchivedTranscript(backend, sessionId, { ...(signal ? { signal } : {}) })) {
    let offset = chunk.offset;
    for (const line of chunk.text.split('\n')) {
      const key = `t:${chunk.file}:${chunk.generation}:${offset}`;
      offset += Buffer.byteLength(line, 'utf8') + 1;
      if (!line.trim()) continue;
      const doc = lineDocument(sessionId, chunk.file, key, line);
      if (doc) yield doc;
    }
  }
}
