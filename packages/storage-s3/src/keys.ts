import { EVENT_ID_PATTERN, sessionIdToSegment } from '@runbook/storage-core';

/**
 * Object layout under `<prefix>/`:
 *
 *   sessions/<segment>/events/<eventId>.json             one object per event (what `append` writes)
 *   sessions/<segment>/segments/<first>.<last>.ndjson    compacted events, `first`..`last` in key order
 *   sessions/<segment>/events.ndjson                     a RunbookAI-era whole-session file, read if present
 *
 * Event ids are ULIDs, so a listing of `events/` is in event order. `.` never occurs in an encoded
 * event id, so a segment key splits unambiguously into its first and last event.
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
  const base = `${sessionsRoot(prefix)}${sessionIdToSegment(sessionId)}/`;
  return { base, events: `${base}${EVENTS_DIR}/`, segments: `${base}${SEGMENTS_DIR}/`, legacy: `${base}${LEGACY_FILE}` };
}

/** An event id as one key segment: ULIDs as they are, anything else escaped like a session id. */
export function eventName(eventId: string): string {
  return EVENT_ID_PATTERN.test(eventId) ? eventId : sessionIdToSegment(eventId);
}

export function eventKey(keys: SessionKeys, eventId: string): string {
  return `${keys.events}${eventName(eventId)}.json`;
}

/** The event name of an event object key, or undefined when the key is not one. */
export function eventNameOfKey(keys: SessionKeys, key: string): string | undefined {
  if (!key.startsWith(keys.events) || !key.endsWith('.json')) return undefined;
  const name = key.slice(keys.events.length, -'.json'.length);
  return name.length > 0 && !name.includes('/') ? name : undefined;
}

export interface SegmentRange {
  key: string;
  first: string;
  last: string;
}

export function segmentKey(keys: SessionKeys, first: string, last: string): string {
  return `${keys.segments}${first}.${last}.ndjson`;
}

/** The event range a segment key covers, or undefined when the key is not a segment. */
export function segmentOfKey(keys: SessionKeys, key: string): SegmentRange | undefined {
  if (!key.startsWith(keys.segments) || !key.endsWith('.ndjson')) return undefined;
  const parts = key.slice(keys.segments.length, -'.ndjson'.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0] > parts[1]) return undefined;
  return { key, first: parts[0], last: parts[1] };
}
