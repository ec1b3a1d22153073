import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAIN_TRANSCRIPT, TRANSCRIPT_FILE_PATTERN } from '@runbook/storage-core';
import { readCursor } from './cursor.js';

export interface TranscriptFile {
  /** `main` or `agent-<id>`. */
  file: string;
  path: string;
}

/** A session's transcript files on disk: the main one, then `<session>/subagents/agent-<id>.jsonl`. */
export function sessionTranscriptFiles(transcriptPath: string, sessionId: string): TranscriptFile[] {
  const files: TranscriptFile[] = [{ file: MAIN_TRANSCRIPT, path: transcriptPath }];
  const subagents = path.join(path.dirname(transcriptPath), sessionId, 'subagents');
  let names: string[] = [];
  try {
    names = readdirSync(subagents);
  } catch {
    // no subagents
  }
  for (const name of names.sort()) {
    if (!name.endsWith('.jsonl')) continue;
    const file = name.slice(0, -'.jsonl'.length);
    if (TRANSCRIPT_FILE_PATTERN.test(file) && file !== MAIN_TRANSCRIPT)
      files.push({ file, path: path.join(subagents, name) });
  }
  return files;
}

function sizeOf(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes of a session's transcripts not archived yet, by the cursors (a shortened file counts in full). */
export function unarchivedBytes(localBaseDir: string, sessionId: string, transcriptPath: string): number {
  const cursor = readCursor(localBaseDir, sessionId);
  let total = 0;
  for (const { file, path: where } of sessionTranscriptFiles(transcriptPath, sessionId)) {
    const st = sizeOf(where);
    if (!st) continue;
    const at = cursor?.files[file];
    if (!at) total += st.size;
    else if (st.size < at.offset) total += st.size;
    else total += st.size - at.offset;
  }
  return total;
}
