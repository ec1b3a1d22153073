import { decodeSegment, parseNdjsonRecords, type ReadIssue, type StoredRecord } from '@runbook/storage-core';
import type { SegmentRange } from './keys.js';
import type { ObjectStore } from './object-store.js';

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const chunk of chunks) pieces.push(Buffer.from(chunk));
  return Buffer.concat(pieces);
}

/**
 * The records of one compacted segment, whichever form it has: NDJSON records inside the session, or
 * gzipped rows under `segments/dt=.../` that a `.ref` marker points at. Records of other sessions and
 * bad lines are reported through `onIssue`; a segment that vanished since it was listed yields nothing.
 */
export async function* readSegmentRecords(
  store: ObjectStore,
  segment: SegmentRange,
  context: { sessionId: string; onIssue?: (issue: ReadIssue) => void; seen?: Set<string>; signal?: AbortSignal },
): AsyncGenerator<StoredRecord> {
  const body = await store.get(segment.data.key, context.signal);
  if (!body) return;
  const report = context.onIssue ?? (() => {});
  if (segment.data.format === 'records') {
    yield* parseNdjsonRecords(body, {
      sessionId: context.sessionId,
      location: segment.data.key,
      onIssue: report,
      ...(context.seen ? { seen: context.seen } : {}),
    });
    return;
  }
  let decoded: ReturnType<typeof decodeSegment>;
  try {
    decoded = decodeSegment(await bytesOf(body));
  } catch (error) {
    report({
      kind: 'corrupt-line',
      sessionId: context.sessionId,
      location: segment.data.key,
      detail: `not a gzipped segment: ${(error as Error).message}`,
    });
    return;
  }
  for (const problem of decoded.problems) {
    report({
      kind: 'corrupt-line',
      sessionId: context.sessionId,
      location: `${segment.data.key}:${problem.line}`,
      detail: problem.reason,
    });
  }
  for (const record of decoded.records) {
    if (context.seen) {
      if (context.seen.has(record.eventId)) continue;
      context.seen.add(record.eventId);
    }
    yield record;
  }
}
