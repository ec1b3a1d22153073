import type { ReadIssue } from '../backend/contract.js';
import type { StoredRecord } from './record.js';
import { loadRecordParser } from './parser.js';

/** How every record this project writes begins (`createRecord` puts `schemaVersion` first). */
const RECORD_START = '{"schemaVersion":';

/**
 * Turn a stream of byte chunks holding ndjson records into records, in order. Corrupt lines are
 * skipped and reported; a last line without its newline is reported as torn (a crash mid-write).
 * Records whose `eventId` was already seen in this stream are skipped as duplicates (re-delivery).
 */
export async function* parseNdjsonRecords(
  chunks: AsyncIterable<Uint8Array | string>,
  context: { sessionId: string; location: string; onIssue?: (issue: ReadIssue) => void; seen?: Set<string> },
): AsyncGenerator<StoredRecord> {
  const parseRecordLine = await loadRecordParser();
  const seen = context.seen ?? new Set<string>();
  const report = context.onIssue ?? (() => {});
  let pending: Buffer[] = [];
  let lineNo = 0;
  function* handle(text: string): Generator<StoredRecord> {
    lineNo++;
    if (text.trim() === '') return;
    let parsed = parseRecordLine(text);
    if (!parsed.ok) {
      report({
        kind: 'corrupt-line',
        sessionId: context.sessionId,
        location: `${context.location}:${lineNo}`,
        detail: parsed.reason,
      });
      // A writer that crashed mid-line leaves a torn prefix; the next append lands on the same line.
      const glued = text.lastIndexOf(RECORD_START);
      if (glued <= 0) return;
      parsed = parseRecordLine(text.slice(glued));
      if (!parsed.ok) return;
    }
    if (seen.has(parsed.record.eventId)) {
      report({
        kind: 'duplicate',
        sessionId: context.sessionId,
        location: `${context.location}:${lineNo}`,
        detail: `event ${parsed.record.eventId} already read`,
      });
      return;
    }
    seen.add(parsed.record.eventId);
    yield parsed.record;
  }
  for await (const chunk of chunks) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl !== -1) {
      const piece = buf.subarray(start, nl);
      const text = pending.length > 0 ? Buffer.concat([...pending, piece]).toString('utf8') : piece.toString('utf8');
      pending = [];
      yield* handle(text);
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length > 0) {
    const tail = Buffer.concat(pending).toString('utf8');
    lineNo++;
    if (tail.trim() !== '') {
      const parsed = parseRecordLine(tail);
      if (parsed.ok && !seen.has(parsed.record.eventId)) {
        seen.add(parsed.record.eventId);
        yield parsed.record;
      } else if (!parsed.ok) {
        report({
          kind: 'torn-line',
          sessionId: context.sessionId,
          location: `${context.location}:${lineNo}`,
          detail: `last line is incomplete (${tail.length} bytes), skipped`,
        });
      }
    }
  }
}
