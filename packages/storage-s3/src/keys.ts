import { EVENT_ID_PATTERN, sessionIdToSegment } from '@runbook/storage-core';

/**
 * Object layout under `<prefix>/`:
 *
 *   sessions/<segment>/events/<name>.json                   one object per event (what `append` writes)
 *   sessions/<segment>/events/<name>.<time>.json            the same, when the name's ULID time is not the event's time
 *   sessions/<segment>/segments/<first>.<last>.<count>.<from>.<to>.ref      compacted events: a marker (`{"rows":"<key>"}`) whose data is
 *   segments/dt=<yyyy-mm-dd>/<segment>.<first>.<last>.<count>.<from>.<to>.ndjson.gz   the events as gzipped segment rows
 *   sessions/<segment>/segments/<first>.<last>.<count>.<from>.<to>.ndjson   compacted events of times unknown (or older compactions)
 *   sessions/<segment>/events.ndjson                        a RunbookAI-era whole-session file, read if present
 *
 * `name` is the event id (ULIDs as they are, anything else escaped), so a listing of `events/` is in
 * event order. Keys also say what a listing needs to summarize a session without reading it: an event
 * key's name is a ULID whose time is the event's `observedAt` (true of every event the hook writes),
 * or else the key carries that time in milliseconds (`x` when `observedAt` is not a time); a segment key
 * names its first and last event, how many events it holds and their earliest and latest `observedAt`
 * (milliseconds, or `x`). `.` never occurs in a name, so keys split unambiguously. Segments written
 * before counts and times were part of the key (`<first>.<last>.ndjson`) are still read.
 */
export const SESSIONS_DIR = 'sessions';
export const EVENTS_DIR = 'events';
export const SEGMENTS_DIR = 'segments';
export const LEGACY_FILE = 'events.ndjson';
/** Date-partitioned segment rows for query engines (Athena, Trino, Spark, DuckDB). */
export const ANALYTICS_DIR = 'segments';

export interface SessionKeys {
  /** `<prefix>/sessions/<segment>/` */
  base: string;
  /** `<base>events/` */
  events: string;
  /** `<base>segments/` */
  segments: string;
  /** `<base>events.ndjson` */
  legacy: string;
  /** The session's key segment (`<segment>` in `sessions/<segment>/`). */
  segment: string;
  /** `<prefix>/segments/`: where compaction puts date-partitioned segment rows of every session. */
  analytics: string;
}

/** `<prefix>/` or nothing when the prefix is empty. */
export function rootOf(prefix: string): string {
  return prefix === '' ? '' : `${prefix}/`;
}

/** `<prefix>/sessions/`: what a delimiter listing of sessions starts from. */
export function sessionsRoot(prefix: string): string {
  return `${rootOf(prefix)}${SESSIONS_DIR}/`;
}

/** `<prefix>/segments/`: the root of the date-partitioned segment rows. */
export function analyticsRoot(prefix: string): string {
  return `${rootOf(prefix)}${ANALYTICS_DIR}/`;
}

export function sessionKeys(prefix: string, sessionId: string): SessionKeys {
  return keysOfBase(`${sessionsRoot(prefix)}${sessionIdToSegment(sessionId)}/`);
}

/** The keys of the session whose prefix (`<prefix>/sessions/<segment>/`, as a delimiter listing gives it) is `base`. */
export function keysOfBase(base: string): SessionKeys {
  const sessionsDir = base.slice(0, base.slice(0, -1).lastIndexOf('/') + 1);
  const root = sessionsDir.slice(0, -(SESSIONS_DIR.length + 1));
  return {
    base,
    events: `${base}${EVENTS_DIR}/`,
    segments: `${base}${SEGMENTS_DIR}/`,
    legacy: `${base}${LEGACY_FILE}`,
    segment: base.slice(sessionsDir.length, -1),
    analytics: `${root}${ANALYTICS_DIR}/`,
  };
}

/** An event id as one key segment: ULIDs as they are, anything else escaped like a session id. */
export function eventName(eventId: string): string {
  return EVENT_ID_PATTERN.test(eventId) ? eventId : sessionIdToSegment(eventId);
}

/** A record's `observedAt` in milliseconds, or undefined when it is not a time. */
export function observedTime(observedAt: string): number | undefined {
  const time = Date.parse(observedAt);
  return Number.isFinite(time) ? time : undefined;
}

/** A time as a key part: decimal milliseconds, or `x` when unknown. */
function timePart(time: number | undefined): string {
  return time === undefined ? 'x' : String(time);
}

const TIME = /^-?[0-9]{1,16}$/;

/** A key part back to a time: undefined for `x`; null when the part is not a time at all. */
function parseTimePart(part: string): number | undefined | null {
  if (part === 'x') return undefined;
  return TIME.test(part) ? Number(part) : null;
}

/** The key of a record's event object: its name alone when the name's ULID time is the record's time. */
export function eventKey(keys: SessionKeys, record: { eventId: string; observedAt: string }): string {
  const name = eventName(record.eventId);
  const time = observedTime(record.observedAt);
  const implied = eventTimeOfName(name);
  return implied !== undefined && implied === time
    ? `${keys.events}${name}.json`
    : `${keys.events}${name}.${timePart(time)}.json`;
}

export interface EventKeyInfo {
  name: string;
  /** The event's `observedAt` in milliseconds as the key tells it; undefined when unknown. */
  time: number | undefined;
}

/** The event name and time an event object key tells, or undefined when the key is not one. */
export function parseEventKey(keys: SessionKeys, key: string): EventKeyInfo | undefined {
  if (!key.startsWith(keys.events) || !key.endsWith('.json')) return undefined;
  const parts = key.slice(keys.events.length, -'.json'.length).split('.');
  const name = parts[0];
  if (!name || name.includes('/') || parts.length > 2) return undefined;
  if (parts.length === 1) return { name, time: eventTimeOfName(name) };
  const time = parseTimePart(parts[1]!);
  return time === null ? undefined : { name, time };
}

/** The event name of an event object key, or undefined when the key is not one. */
export function eventNameOfKey(keys: SessionKeys, key: string): string | undefined {
  return parseEventKey(keys, key)?.name;
}

export interface SegmentRange {
  key: string;
  /** Where the events are: `key` itself (NDJSON records), or the date-partitioned object a `.ref` marker points at (gzipped rows). */
  data: { key: string; format: 'records' | 'rows-gz' };
  first: string;
  last: string;
  /** Events the segment holds; unknown for segments written before the count was in the key. */
  count?: number;
  /** Earliest and latest `observedAt` of its events in milliseconds; unknown when the key does not tell. */
  from?: number;
  to?: number;
}

export interface SegmentContents {
  /** First and last event name, in name order. */
  first: string;
  last: string;
  count: number;
  /** Earliest and latest `observedAt` in milliseconds; undefined when any event's time is unknown. */
  from: number | undefined;
  to: number | undefined;
}

function segmentStem(contents: SegmentContents): string {
  const times = contents.from === undefined || contents.to === undefined ? 'x.x' : `${contents.from}.${contents.to}`;
  return `${contents.first}.${contents.last}.${contents.count}.${times}`;
}

/** Key of a segment holding NDJSON records inside the session (events whose times are not all known). */
export function segmentKey(keys: SessionKeys, contents: SegmentContents): string {
  return `${keys.segments}${segmentStem(contents)}.ndjson`;
}

/** The UTC day (`YYYY-MM-DD`) of a time in milliseconds. */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Keys of a compacted segment whose events all fall on one UTC day: the marker inside the session
 * (what the session's listing and readers find) and the gzipped rows under `segments/dt=<day>/`.
 */
export function partitionedSegmentKeys(
  keys: SessionKeys,
  contents: SegmentContents & { from: number; to: number },
): { marker: string; data: string } {
  const stem = segmentStem(contents);
  return {
    marker: `${keys.segments}${stem}.ref`,
    data: `${keys.analytics}dt=${dayOf(contents.from)}/${keys.segment}.${stem}.ndjson.gz`,
  };
}

const COUNT = /^[1-9][0-9]{0,8}$/;

/** The event range (count and times when the key tells them) of a segment key, or undefined when the key is not a segment. */
export function segmentOfKey(keys: SessionKeys, key: string): SegmentRange | undefined {
  if (!key.startsWith(keys.segments)) return undefined;
  const isRef = key.endsWith('.ref');
  if (!isRef && !key.endsWith('.ndjson')) return undefined;
  const stem = key.slice(keys.segments.length, isRef ? -'.ref'.length : -'.ndjson'.length);
  const parts = stem.split('.');
  if (parts.length !== 2 && parts.length !== 5) return undefined;
  const [first, last, count, from, to] = parts;
  if (!first || !last || first > last || first.includes('/') || last.includes('/')) return undefined;
  if (count === undefined || from === undefined || to === undefined) {
    return isRef ? undefined : { key, data: { key, format: 'records' }, first, last };
  }
  const fromTime = parseTimePart(from);
  const toTime = parseTimePart(to);
  if (!COUNT.test(count) || fromTime === null || toTime === null) return undefined;
  const range: SegmentRange = { key, data: { key, format: 'records' }, first, last, count: Number(count) };
  if (fromTime !== undefined && toTime !== undefined && fromTime <= toTime) {
    range.from = fromTime;
    range.to = toTime;
  }
  if (isRef) {
    if (range.from === undefined || range.to === undefined || dayOf(range.from) !== dayOf(range.to)) return undefined;
    range.data = {
      key: `${keys.analytics}dt=${dayOf(range.from)}/${keys.segment}.${stem}.ndjson.gz`,
      format: 'rows-gz',
    };
  }
  return range;
}

const ULID_DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The millisecond time in an event name's first 10 characters, or undefined when the name is not a
 * ULID. For events the hook writes it is the record's `observedAt`; {@link eventKey} adds the time
 * to the key whenever it is not.
 */
export function eventTimeOfName(name: string): number | undefined {
  if (!EVENT_ID_PATTERN.test(name)) return undefined;
  let time = 0;
  for (let i = 0; i < 10; i++) time = time * 32 + ULID_DIGITS.indexOf(name[i]!);
  return time <= 2 ** 48 - 1 ? time : undefined;
}
