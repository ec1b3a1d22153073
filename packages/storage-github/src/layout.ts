import {
  TRANSCRIPT_FILE_PATTERN,
  parseTranscriptChunkName,
  segmentToSessionId,
  sessionIdToSegment,
  transcriptChunkName,
  type TranscriptChunk,
} from '@runbook/storage-core';

export const EVENTS_FILE = 'events.ndjson';

/** One session file found in the repository tree. */
export interface SessionFile {
  /** Path inside the repository. */
  path: string;
  /** Blob id of its content at the tip read. */
  blob: string;
  segment: string;
  /** `yyyy/mm` of the folder it sits in. */
  month: string;
}

/** `<path>/<yyyy>/<mm>/<segment>/events.ndjson`; the month is the session's first event's, in UTC. */
export function eventsPath(prefix: string, sessionId: string, firstSeen: string): string {
  const date = new Date(firstSeen);
  const valid = Number.isFinite(date.getTime());
  const yyyy = valid ? String(date.getUTCFullYear()).padStart(4, '0') : '0000';
  const mm = valid ? String(date.getUTCMonth() + 1).padStart(2, '0') : '00';
  return [prefix, yyyy, mm, sessionIdToSegment(sessionId), EVENTS_FILE].filter(Boolean).join('/');
}

/** The session file a tree path names, or undefined for anything else kept in the repository. */
export function parseEventsPath(prefix: string, filePath: string, blob: string): SessionFile | undefined {
  const rest = prefix ? (filePath.startsWith(`${prefix}/`) ? filePath.slice(prefix.length + 1) : undefined) : filePath;
  if (rest === undefined) return undefined;
  const parts = rest.split('/');
  if (parts.length !== 4 || parts[3] !== EVENTS_FILE) return undefined;
  const [yyyy, mm, segment] = parts as [string, string, string];
  if (!/^\d{4}$/.test(yyyy) || !/^\d{2}$/.test(mm) || !/^[A-Za-z0-9_~-]+$/.test(segment)) return undefined;
  return { path: filePath, blob, segment, month: `${yyyy}/${mm}` };
}

/** The session id behind a segment; shortened (hashed) segments are read from their first record. */
export function sessionIdOfSegment(segment: string): string | undefined {
  return segmentToSessionId(segment);
}

export const TRANSCRIPT_FOLDER = 'transcript';

/** One archived transcript chunk found in the repository tree. */
export interface TranscriptFile {
  path: string;
  blob: string;
  segment: string;
  month: string;
  /** `main` or `agent-<id>`. */
  file: string;
  generation: number;
  offset: number;
  length: number;
}

/** The folder of a session: `<path>/<yyyy>/<mm>/<segment>`. */
export function sessionFolder(prefix: string, month: string, segment: string): string {
  return [prefix, month, segment].filter(Boolean).join('/');
}

/** `<session folder>/transcript/<main|agent-id>/<generation>/<offset>-<end>.jsonl`, beside `events.ndjson`. */
export function transcriptPath(
  folder: string,
  chunk: Pick<TranscriptChunk, 'file' | 'generation' | 'offset' | 'length'>,
): string {
  return `${folder}/${TRANSCRIPT_FOLDER}/${chunk.file}/${transcriptChunkName(chunk)}`;
}

/** The transcript chunk a tree path names, or undefined for anything else. */
export function parseTranscriptPath(prefix: string, filePath: string, blob: string): TranscriptFile | undefined {
  const rest = prefix ? (filePath.startsWith(`${prefix}/`) ? filePath.slice(prefix.length + 1) : undefined) : filePath;
  if (rest === undefined) return undefined;
  const parts = rest.split('/');
  if (parts.length !== 7 || parts[3] !== TRANSCRIPT_FOLDER) return undefined;
  const [yyyy, mm, segment, , file, generation, name] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (
    !/^\d{4}$/.test(yyyy) ||
    !/^\d{2}$/.test(mm) ||
    !/^[A-Za-z0-9_~-]+$/.test(segment) ||
    !TRANSCRIPT_FILE_PATTERN.test(file)
  )
    return undefined;
  const position = parseTranscriptChunkName(`${generation}/${name}`);
  if (!position) return undefined;
  return { path: filePath, blob, segment, month: `${yyyy}/${mm}`, file, ...position };
}
