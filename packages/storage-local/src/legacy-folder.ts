import { closeSync, openSync, readSync } from 'node:fs';
import { sessionIdToSegment } from '@runbook/storage-core';

/**
 * The folder name RunbookAI gave a session: every character outside `A-Za-z0-9._-` became `_`. Ids made
 * of `A-Za-z0-9_-` only have the same folder in both layouts. Undefined when the name equals the current
 * one or could leave the sessions folder (`.`, `..`).
 */
export function legacySegment(sessionId: string): string | undefined {
  const legacy = sessionId.replace(/[^A-Za-z0-9._-]/g, '_');
  if (legacy === '' || legacy === '.' || legacy === '..' || legacy.length > 255) return undefined;
  return legacy === sessionIdToSegment(sessionId) ? undefined : legacy;
}

/** Folders a session's events may be in, in reading order: the RunbookAI-era folder (older events) first. */
export function sessionSegments(sessionId: string): string[] {
  const legacy = legacySegment(sessionId);
  return legacy ? [legacy, sessionIdToSegment(sessionId)] : [sessionIdToSegment(sessionId)];
}

const SESSION_ID_FIELD = /"sessionId":("(?:[^"\\]|\\.)*")/;

/**
 * The session id of a file's first line, read synchronously from at most its first 64 KiB (the writer's
 * path: no parser, no streams). Undefined when the file is missing or its first line does not say.
 */
export function firstLineSessionId(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    const match = SESSION_ID_FIELD.exec(nl === -1 ? text : text.slice(0, nl));
    if (!match) return undefined;
    const value: unknown = JSON.parse(match[1]!);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
