import * as z from 'zod/mini';
import { createRequire } from 'node:module';
import { SCHEMA_VERSION, type StoredRecord } from './record.js';
import { deriveEventId } from './event-id.js';

const payloadSchema = z.record(z.string(), z.unknown());
const nonEmpty = () => z.string().check(z.minLength(1));

/** The stored record as written by this project (schemaVersion 1). Unknown fields are kept. */
export const storedRecordSchema = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  eventId: nonEmpty(),
  observedAt: nonEmpty(),
  sessionId: nonEmpty(),
  eventName: nonEmpty(),
  cwd: z.string(),
  transcriptPath: z.nullable(z.string()),
  payload: payloadSchema,
  redactions: z.optional(z.record(z.string(), z.number())),
  truncated: z.optional(z.array(z.string())),
});

/** A record written before versioning (RunbookAI): the same fields, without id or version. */
export const legacyRecordSchema = z.looseObject({
  observedAt: nonEmpty(),
  sessionId: nonEmpty(),
  eventName: nonEmpty(),
  cwd: z._default(z.string(), ''),
  transcriptPath: z._default(z.nullable(z.string()), null),
  payload: payloadSchema,
});

/**
 * Give a record written without `eventId`/`schemaVersion` (RunbookAI) a stable id derived from its time
 * and content, so it orders and de-duplicates like any other. Its own fields are left as they were.
 */
export function withDerivedEventId(
  record: Omit<StoredRecord, 'eventId' | 'schemaVersion'> & Partial<StoredRecord>,
  sourceText: string,
): StoredRecord {
  if (typeof record.eventId === 'string' && record.schemaVersion === SCHEMA_VERSION) return record as StoredRecord;
  const time = Date.parse(record.observedAt);
  // node:crypto is loaded only when a legacy record is met: bundles that inline this module stay light.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const seed = createHash('sha256').update(sourceText).digest();
  return {
    ...record,
    schemaVersion: SCHEMA_VERSION,
    eventId: record.eventId ?? deriveEventId(Number.isFinite(time) ? time : 0, seed),
  };
}

export type ParsedLine = { ok: true; record: StoredRecord } | { ok: false; reason: string };

/** Parse one ndjson line into a record; never throws. */
export function parseRecordLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  return parseRecordValue(value, line);
}

/** Validate an already-parsed value as a record; `sourceText` seeds ids for legacy records. */
export function parseRecordValue(value: unknown, sourceText: string): ParsedLine {
  // The schema only checks: the record returned is the parsed value itself, because the schema's copy of
  // `payload` (a record of unknown values) would assign a `__proto__` key as the prototype and lose it.
  const current = storedRecordSchema.safeParse(value);
  if (current.success) return { ok: true, record: value as StoredRecord };
  const legacy = legacyRecordSchema.safeParse(value);
  if (legacy.success && (value as { schemaVersion?: unknown }).schemaVersion === undefined) {
    return {
      ok: true,
      record: withDerivedEventId(
        { ...legacy.data, payload: (value as { payload: StoredRecord['payload'] }).payload },
        sourceText,
      ),
    };
  }
  const issue = current.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'not a stored record' };
}
