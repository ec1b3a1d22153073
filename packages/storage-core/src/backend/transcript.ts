import { RunbookError } from '../errors.js';

/**
 * One piece of a session's Claude Code transcript, as archived: whole lines of the original JSONL file
 * (redacted before they reach a backend), with where they came from.
 *
 * A chunk is identified by `(sessionId, file, generation, offset, length)`. Appending the same chunk
 * again stores nothing new. Chunks of one generation cover the original file from byte 0 without gaps;
 * two chunks may start at the same offset when an interrupted archive was retried with more lines (the
 * longer one wins on reading).
 */
export interface TranscriptChunk {
  sessionId: string;
  /** `main` for the session's transcript, `agent-<id>` for a subagent's (`<session>/subagents/agent-<id>.jsonl`). */
  file: string;
  /** 0, then one more each time the original was found rewritten or shortened and archived again in full. */
  generation: number;
  /** Byte offset in the original file where the chunk's first line starts. */
  offset: number;
  /** Bytes of the original file the chunk's lines took (before redaction); the next chunk starts at `offset + length`. */
  length: number;
  /** The lines as stored, each ending in `\n`. */
  text: string;
}

export interface TranscriptReadOptions {
  /** Only this file (`main` or `agent-<id>`). Default: every file of the session. */
  file?: string;
  signal?: AbortSignal;
}

/** `main` or `agent-<id>`: letters, digits, `_`, `-` and `.` in the id, at most 200 characters. */
export const TRANSCRIPT_FILE_PATTERN = /^(?:main|agent-[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199})$/;
export const MAIN_TRANSCRIPT = 'main';

/** Largest offset or length a chunk may name (fits a 15-digit key part). */
const MAX_POSITION = 999_999_999_999_999;
const MAX_GENERATION = 999_999;

const isCount = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;

/** Throw `RECORD_INVALID` naming what is wrong with a chunk; backends call this before storing one. */
export function assertTranscriptChunk(chunk: TranscriptChunk): void {
  const fail = (what: string) => {
    throw new RunbookError('RECORD_INVALID', `transcript chunk: ${what}`);
  };
  if (typeof chunk !== 'object' || chunk === null) fail('is not an object');
  if (typeof chunk.sessionId !== 'string' || chunk.sessionId === '') fail('sessionId must be a non-empty string');
  if (typeof chunk.file !== 'string' || !TRANSCRIPT_FILE_PATTERN.test(chunk.file))
    fail(`file must be "main" or "agent-<id>", got ${JSON.stringify(String(chunk.file).slice(0, 80))}`);
  if (!isCount(chunk.generation, MAX_GENERATION)) fail(`generation must be a whole number from 0 to ${MAX_GENERATION}`);
  if (!isCount(chunk.offset, MAX_POSITION)) fail('offset must be a whole number of bytes');
  if (!isCount(chunk.length, MAX_POSITION) || chunk.length === 0)
    fail('length must be a positive whole number of bytes');
  if (typeof chunk.text !== 'string' || chunk.text === '' || !chunk.text.endsWith('\n'))
    fail('text must be whole lines, ending in a newline');
}

/**
 * A chunk's name inside its file's folder: `<generation>/<offset>-<end>.jsonl`, zero-padded so names sort
 * by generation, then offset. Backends that key chunks by name (files, objects) use this.
 */
export function transcriptChunkName(chunk: Pick<TranscriptChunk, 'generation' | 'offset' | 'length'>): string {
  return `${String(chunk.generation).padStart(6, '0')}/${String(chunk.offset).padStart(15, '0')}-${String(chunk.offset + chunk.length).padStart(15, '0')}.jsonl`;
}

const CHUNK_NAME = /^(\d{6})\/(\d{15})-(\d{15})\.jsonl$/;

/** The position a chunk name stands for, or undefined when `name` is not one. */
export function parseTranscriptChunkName(
  name: string,
): { generation: number; offset: number; length: number } | undefined {
  const match = CHUNK_NAME.exec(name);
  if (!match) return undefined;
  const offset = Number(match[2]);
  const end = Number(match[3]);
  if (end <= offset) return undefined;
  return { generation: Number(match[1]), offset, length: end - offset };
}

/** The order `readTranscript` yields chunks in: `main` first, then subagents by name; newest generation first; then by offset, longer first. */
export function compareTranscriptChunks(
  a: Pick<TranscriptChunk, 'file' | 'generation' | 'offset' | 'length'>,
  b: Pick<TranscriptChunk, 'file' | 'generation' | 'offset' | 'length'>,
): number {
  if (a.file !== b.file) {
    if (a.file === MAIN_TRANSCRIPT) return -1;
    if (b.file === MAIN_TRANSCRIPT) return 1;
    return a.file < b.file ? -1 : 1;
  }
  if (a.generation !== b.generation) return b.generation - a.generation;
  if (a.offset !== b.offset) return a.offset - b.offset;
  return b.length - a.length;
}
