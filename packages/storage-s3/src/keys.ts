import { EVENT_ID_PATTERN, sessionIdToSegment } from '@runbook/storage-core';

/**
 * Object layout under `<prefix>/`:
 *
 *   sessions/<segment>/events/<name>.json                   one object per event (what `append` writes)
 *   sessions/<segment>/events/<name>.<time>.json            the same, when the name's ULID time is not the event's time
 *   sessions/<segment>/segments/<first>.<last>.<count>.<from>.<to>.ndjson   compacted events
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

export interface SessionKeys {
  /** `<prefix>/sessions/<segment>/` */
  base: string;
  /** `<base>events/` */
  events: string;
  /** `<base>segments/` */
  segments: string;
  /** `<base>events.ndjson` */
  legacy: string;
}

/** `<prefix>/` or nothing when the prefix is empty. */
export function rootOf(prefix: string): string {
  return prefix === '' ? '' : `${prefix}/`;
}

/** `<prefix>/sessions/`: what a delimiter listing of sessions starts from. */
export function sessionsRoot(prefix: string): string {
  return `${rootOf(prefix)}${SESSIONS_DIR}/`;
}

export function sessionKeys(prefix: string, sessionId: string): SessionKeys {
  return keysOfBase(`${sessionsRoot(prefix)}${sessionIdToSegment(sessionId)}/`);
}

/** The keys of the session whose prefix (`<prefix>/sessions/<segment>/`, as a delimiter listing gives it) is `base`. */
export function keysOfBase(base: string): SessionKeys {
  return { base, events: `${base}${EVENTS_DIR}/`, segments: `${base}${SEGMENTS_DIR}/`, legacy: `${base}${LEGACY_FILE}` };
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
  return implied !== undefined && implied === time ? `${keys.events}${name}.json` : `${keys.events}${name}.${timePart(time)}.json`;
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

export function segmentKey(keys: SessionKeys, contents: SegmentContents): string {
  const times = contents.from === undefined || contents.to === undefined ? 'x.x' : `${contents.from}.${contents.to}`;
  return `${keys.segments}${contents.first}.${contents.last}.${contents.count}.${times}.ndjson`;
}

const COUNT = /^[1-9][0-9]{0,8}$/;

/** The event range (count and times when the key tells them) of a segment key, or undefined when the key is not a segment. */
export function segmentOfKey(keys: SessionKeys, key: string): SegmentRange | undefined {
  if (!key.startsWith(keys.segments) || !key.endsWith('.ndjson')) return undefined;
  const parts = key.slice(keys.segments.length, -'.ndjson'.length).split('.');
  if (parts.length !== 2 && parts.length !== 5) return undefined;
  const [first, last, count, from, to] = parts;
  if (!first || !last || first > last || first.includes('/') || last.includes('/')) return undefined;
  if (count === undefined || from === undefined || to === undefined) return { key, first, last };
  const fromTime = parseTimePart(from);
  const toTime = parseTimePart(to);
  if (!COUNT.test(count) || fromTime === null || toTime === null) return undefined;
  const range: SegmentRange = { key, first, last, count: Number(count) };
  if (fromTime !== undefined && toTime !== undefined && fromTime <= toTime) {
    range.from = fromTime;
    range.to = toTime;
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
