import { createRequire } from 'node:module';
import { RunbookError } from '../errors.js';

const SAFE = /^[A-Za-z0-9_-]+$/;
const MAX_SEGMENT = 120;

/**
 * Map a session id to one file-name/key segment that can never leave its parent directory and never
 * collides with another id's. Plain ids (UUIDs and the like) stay as they are; any other character is
 * written as `~XX` (UTF-8 hex), a character plain ids never contain; overlong results end in a hash.
 */
export function sessionIdToSegment(sessionId: string): string {
  if (typeof sessionId !== 'string' || sessionId.length === 0) {
    throw new RunbookError('SESSION_ID_INVALID', 'session id is empty');
  }
  let segment: string;
  if (SAFE.test(sessionId)) {
    segment = sessionId;
  } else {
    segment = '';
    for (const byte of Buffer.from(sessionId, 'utf8')) {
      const ch = String.fromCharCode(byte);
      segment += byte < 0x80 && /[A-Za-z0-9_-]/.test(ch) ? ch : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  if (segment.length > MAX_SEGMENT) {
    // node:crypto is loaded only for such ids: most processes never pay for it.
    const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
    const digest = createHash('sha256').update(sessionId, 'utf8').digest('hex');
    segment = `${segment.slice(0, MAX_SEGMENT - 68)}~~${digest}`;
  }
  return segment;
}

/** The session id a segment came from, or undefined when it was shortened with a hash. */
export function segmentToSessionId(segment: string): string | undefined {
  if (segment.includes('~~')) return undefined;
  if (!segment.includes('~')) return segment;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '~') {
      const hex = segment.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
