import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { TranscriptChunk } from '@runbook/storage-core';
import type { TranscriptLineRedactor } from '@runbook/hook-ingest';
import { FINGERPRINT_BYTES, fingerprint, hashBytes, hashRange, stillAppendOnly, type FileCursor } from './cursor.js';

/** Original bytes per chunk (a longer line makes its chunk longer). */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export interface ArchiveFileInput {
  sessionId: string;
  /** `main` or `agent-<id>`. */
  file: string;
  path: string;
  cursor: FileCursor | undefined;
  append: (chunk: TranscriptChunk) => Promise<unknown>;
  redact: TranscriptLineRedactor;
  chunkBytes?: number;
  /** Asked before each chunk: true stops (the rest waits for a later run). */
  shouldStop?: () => boolean;
  /** Called with the new cursor after each stored chunk, to persist it. */
  onCursor: (cursor: FileCursor) => void;
  onChunk?: (chunk: { lines: number; bytes: number }) => void;
}

export interface ArchiveFileResult {
  lines: number;
  /** Original bytes archived. */
  bytes: number;
  chunks: number;
  redactions: number;
  /** The file was found rewritten or shortened and is archived again from the start as a new generation. */
  rewritten: boolean;
  /** Stopped before reaching the last whole line. */
  stopped: boolean;
}

/** Read whole lines from `from`: about `chunkBytes`, more when one line is longer; none when no newline follows. */
function readWholeLines(fd: number, from: number, chunkBytes: number): Buffer | undefined {
  const parts: Buffer[] = [];
  let position = from;
  for (;;) {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let filled = 0;
    while (filled < buf.length) {
      const n = readSync(fd, buf, filled, buf.length - filled, position + filled);
      if (n === 0) break;
      filled += n;
    }
    const block = buf.subarray(0, filled);
    const nl = block.lastIndexOf(10);
    if (nl !== -1) {
      parts.push(block.subarray(0, nl + 1));
      return parts.length === 1 ? parts[0] : Buffer.concat(parts);
    }
    if (filled < buf.length) return undefined; // end of file inside a line still being written
    parts.push(block);
    position += filled;
  }
}

function redactLines(
  data: Buffer,
  redact: TranscriptLineRedactor,
): { text: string; lines: number; redactions: number } {
  let lines = 0;
  let redactions = 0;
  let changed = false;
  const out: string[] = [];
  let start = 0;
  for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
    const line = data.toString('utf8', start, nl);
    const result = redact(line);
    if (result.line !== line) changed = true;
    redactions += result.redactions;
    out.push(result.line);
    lines += 1;
    start = nl + 1;
  }
  return { text: changed ? `${out.join('\n')}\n` : data.toString('utf8'), lines, redactions };
}

/**
 * Archive what is new in one transcript file: from the cursor to its last whole line, chunk by chunk, each
 * line redacted, the cursor moved on after each stored chunk. A file that no longer starts with what was
 * archived (shortened, or rewritten) is archived again from byte 0 as the next generation.
 */
export async function archiveFile(input: ArchiveFileInput): Promise<ArchiveFileResult> {
  const result: ArchiveFileResult = { lines: 0, bytes: 0, chunks: 0, redactions: 0, rewritten: false, stopped: false };
  const chunkBytes = input.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let size: number;
  let mtimeMs: number;
  const fd = openSync(input.path, 'r');
  try {
    ({ size, mtimeMs } = fstatSync(fd));
    let cursor: FileCursor;
    const known = input.cursor;
    if (known && known.size === size && known.mtimeMs === mtimeMs && known.offset === size) return result; // nothing new
    if (known && stillAppendOnly(fd, known, size)) {
      cursor = { ...known, path: input.path };
    } else {
      result.rewritten = known !== undefined;
      cursor = {
        path: input.path,
        generation: known ? known.generation + 1 : 0,
        offset: 0,
        size,
        mtimeMs,
        head: '',
        tail: '',
        lines: 0,
      };
      ({ head: cursor.head, tail: cursor.tail } = fingerprint(fd, 0));
    }
    for (;;) {
      if (input.shouldStop?.()) {
        result.stopped = cursor.offset < size;
        break;
      }
      const data = readWholeLines(fd, cursor.offset, chunkBytes);
      if (!data) break;
      const { text, lines, redactions } = redactLines(data, input.redact);
      await input.append({
        sessionId: input.sessionId,
        file: input.file,
        generation: cursor.generation,
        offset: cursor.offset,
        length: data.length,
        text,
      });
      const offset = cursor.offset + data.length;
      const tail =
        data.length >= FINGERPRINT_BYTES
          ? hashBytes(data.subarray(data.length - FINGERPRINT_BYTES))
          : hashRange(fd, Math.max(0, offset - FINGERPRINT_BYTES), offset);
      const head =
        cursor.offset < FINGERPRINT_BYTES ? hashRange(fd, 0, Math.min(offset, FINGERPRINT_BYTES)) : cursor.head;
      ({ size, mtimeMs } = fstatSync(fd));
      cursor = { ...cursor, offset, size, mtimeMs, head, tail, lines: cursor.lines + lines };
      input.onCursor(cursor);
      result.lines += lines;
      result.bytes += data.length;
      result.chunks += 1;
      result.redactions += redactions;
      input.onChunk?.({ lines, bytes: data.length });
    }
    if (result.chunks === 0 && (cursor.size !== size || cursor.mtimeMs !== mtimeMs || result.rewritten)) {
      // Nothing whole to add, but remember what was seen so the next look is cheap.
      input.onCursor({ ...cursor, size, mtimeMs });
    }
  } finally {
    closeSync(fd);
  }
  return result;
}
