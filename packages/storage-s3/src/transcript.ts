import {
  TRANSCRIPT_FILE_PATTERN,
  assertTranscriptChunk,
  compareTranscriptChunks,
  parseTranscriptChunkName,
  transcriptChunkName,
  type AppendOutcome,
  type TranscriptChunk,
  type TranscriptReadOptions,
} from '@runbook/storage-core';
import type { SessionKeys } from './keys.js';
import { listKeys } from './listing.js';
import type { ObjectStore } from './object-store.js';

/**
 * Transcript chunks as objects: `<session base>transcript/<file>/<generation>/<offset>-<end>.jsonl`, one
 * object per chunk holding its lines exactly. The key names the chunk's whole range, so a re-sent chunk lands
 * on the object it already has.
 */
export const TRANSCRIPT_DIR = 'transcript';

export function transcriptRoot(keys: SessionKeys, file?: string): string {
  return `${keys.base}${TRANSCRIPT_DIR}/${file === undefined ? '' : `${file}/`}`;
}

export async function putTranscriptChunk(
  store: ObjectStore,
  keys: SessionKeys,
  chunk: TranscriptChunk,
  signal?: AbortSignal,
): Promise<AppendOutcome> {
  assertTranscriptChunk(chunk);
  const key = `${transcriptRoot(keys, chunk.file)}${transcriptChunkName(chunk)}`;
  return (await store.create(key, chunk.text, signal)) === 'exists' ? 'duplicate' : 'stored';
}

/** Chunks fetched ahead of the one being yielded. */
const READ_AHEAD = 4;

export async function* readTranscriptObjects(
  store: ObjectStore,
  keys: SessionKeys,
  sessionId: string,
  options: TranscriptReadOptions = {},
): AsyncGenerator<TranscriptChunk> {
  if (options.file !== undefined && !TRANSCRIPT_FILE_PATTERN.test(options.file)) return;
  const root = transcriptRoot(keys);
  const found: Array<Omit<TranscriptChunk, 'text'> & { key: string }> = [];
  for await (const page of listKeys(store, transcriptRoot(keys, options.file), options.signal)) {
    for (const key of page) {
      const rest = key.slice(root.length);
      const slash = rest.indexOf('/');
      const file = rest.slice(0, slash);
      if (slash === -1 || !TRANSCRIPT_FILE_PATTERN.test(file)) continue;
      const position = parseTranscriptChunkName(rest.slice(slash + 1));
      if (position) found.push({ sessionId, file, ...position, key });
    }
  }
  found.sort(compareTranscriptChunks);
  const pending: Array<Promise<string | undefined>> = [];
  let next = 0;
  let yielded = 0;
  // One object first (a caller may want only to know that there is one), then a few ahead.
  const fetchMore = () => {
    while (next < found.length && pending.length < (yielded === 0 ? 1 : READ_AHEAD)) {
      const text = store.getText(found[next++]!.key, options.signal);
      text.catch(() => {});
      pending.push(text);
    }
  };
  for (const { key, ...chunk } of found) {
    void key;
    fetchMore();
    const text = await pending.shift()!;
    if (text === undefined) continue; // deleted since the listing
    yielded += 1;
    yield { ...chunk, text };
  }
}
