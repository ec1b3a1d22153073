import { gunzipSync, gzipSync } from 'node:zlib';
import type { StoredRecord } from './record.js';
import { recordToRow, rowToRecord } from './segment-row.js';

/** Records as one compacted segment: gzip-compressed NDJSON, one {@link recordToRow} row per line. */
export function encodeSegment(records: Iterable<StoredRecord>): Buffer {
  let text = '';
  for (const record of records) text += `${JSON.stringify(recordToRow(record))}\n`;
  return gzipSync(text, { level: 6 });
}

export interface DecodedSegment {
  records: StoredRecord[];
  /** Lines that were not valid rows, with the reason (1-based line numbers). */
  problems: { line: number; reason: string }[];
}

/** A segment's records back, in stored order; bad lines are reported, never thrown. Throws only when the body is not gzip. */
export function decodeSegment(body: Uint8Array): DecodedSegment {
  const text = gunzipSync(body).toString('utf8');
  const records: StoredRecord[] = [];
  const problems: DecodedSegment['problems'] = [];
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch {
      problems.push({ line: lineNumber, reason: 'not JSON' });
      continue;
    }
    const parsed = rowToRecord(value);
    if (parsed.ok) records.push(parsed.record);
    else problems.push({ line: lineNumber, reason: parsed.reason });
  }
  return { records, problems };
}
