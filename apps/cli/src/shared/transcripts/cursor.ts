import { mkdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sessionIdToSegment } from '@runbook/storage-core';

/** Bytes hashed at the start of the file and just before the cursor to tell an appended file from a rewritten one. */
export const FINGERPRINT_BYTES = 4096;

/** How far one transcript file is archived. */
export interface FileCursor {
  /** The original file. */
  path: string;
  generation: number;
  /** Bytes archived (always at a line end). */
  offset: number;
  /** The file's size and modification time when last looked at. */
  size: number;
  mtimeMs: number;
  /** Hashes of the file's first `min(offset, 4096)` bytes and of the 4096 bytes before `offset` (see {@link hashBytes}). */
  head: string;
  tail: string;
  lines: number;
}

/** Per session: its files' cursors, keyed `main` / `agent-<id>`. */
export interface SessionCursor {
  sessionId: string;
  transcriptPath: string;
  files: Record<string, FileCursor>;
  /** When something was last archived (ISO). */
  archivedAt?: string;
}

export const TRANSCRIPTS_STATE_DIR = 'transcripts';

/** `<localBaseDir>/transcripts/`: cursors, locks and deferred work of the transcript archive (never shared). */
export function stateDir(localBaseDir: string): string {
  return path.join(localBaseDir, TRANSCRIPTS_STATE_DIR);
}

export function cursorFile(localBaseDir: string, sessionId: string): string {
  return path.join(stateDir(localBaseDir), `${sessionIdToSegment(sessionId)}.json`);
}

export function lockFile(localBaseDir: string, sessionId: string): string {
  return path.join(stateDir(localBaseDir), `${sessionIdToSegment(sessionId)}.lock`);
}

export function readCursor(localBaseDir: string, sessionId: string): SessionCursor | undefined {
  try {
    const parsed = JSON.parse(readFileSync(cursorFile(localBaseDir, sessionId), 'utf8')) as SessionCursor;
    if (parsed && parsed.sessionId === sessionId && typeof parsed.files === 'object' && parsed.files !== null)
      return parsed;
  } catch {
    // none yet, or unreadable: archive from the start (chunks already stored are duplicates)
  }
  return undefined;
}

/**
 * Write the cursor in place (only the lock holder writes it). A cursor torn by a crash reads as none: the
 * session is archived again from the start, and the longer chunk covers the earlier ones on reading.
 */
export function writeCursor(localBaseDir: string, cursor: SessionCursor): void {
  const file = cursorFile(localBaseDir, cursor.sessionId);
  try {
    writeFileSync(file, JSON.stringify(cursor), { mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(cursor), { mode: 0o600 });
  }
}

/**
 * A 64-bit FNV-1a hash (two 32-bit lanes) as hex: enough to tell a rewritten file from an appended one, and
 * cheap — the hook does not load node:crypto for it.
 */
export function hashBytes(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193);
    b = Math.imul(b ^ bytes[i]!, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Hash of bytes `from`..`to` of an open file. */
export function hashRange(fd: number, from: number, to: number): string {
  const length = Math.max(0, to - from);
  const buf = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buf, read, length - read, from + read);
    if (n === 0) break;
    read += n;
  }
  return hashBytes(buf.subarray(0, read));
}

export function fingerprint(fd: number, offset: number): { head: string; tail: string } {
  return {
    head: hashRange(fd, 0, Math.min(offset, FINGERPRINT_BYTES)),
    tail: hashRange(fd, Math.max(0, offset - FINGERPRINT_BYTES), offset),
  };
}

/** Whether the file still starts with what was archived: same head and same bytes before the cursor. */
export function stillAppendOnly(fd: number, cursor: FileCursor, size: number): boolean {
  if (size < cursor.offset) return false;
  const now = fingerprint(fd, cursor.offset);
  return now.head === cursor.head && now.tail === cursor.tail;
}
