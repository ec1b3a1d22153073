import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sessionIdOfTranscript } from './claude-home.js';
import { unarchivedBytes } from './session-files.js';

export interface TranscriptOnDisk {
  sessionId: string;
  path: string;
  size: number;
  mtimeMs: number;
}

/** The main transcripts in one of Claude Code's project folders (`<session id>.jsonl`), newest first. */
export function transcriptsInFolder(folder: string): TranscriptOnDisk[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const out: TranscriptOnDisk[] = [];
  for (const name of names) {
    const sessionId = sessionIdOfTranscript(name);
    if (!sessionId) continue;
    const where = path.join(folder, name);
    try {
      const st = statSync(where);
      if (st.isFile()) out.push({ sessionId, path: where, size: st.size, mtimeMs: st.mtimeMs });
    } catch {
      // deleted meanwhile
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Sessions in `folder` (other than `except`) with transcript bytes not archived yet; at most `limit` looked at, newest first. */
export function sessionsBehind(
  localBaseDir: string,
  folder: string,
  options: { except?: string; limit?: number } = {},
): Array<TranscriptOnDisk & { behind: number }> {
  const out: Array<TranscriptOnDisk & { behind: number }> = [];
  for (const transcript of transcriptsInFolder(folder).slice(0, options.limit ?? Infinity)) {
    if (transcript.sessionId === options.except) continue;
    const behind = unarchivedBytes(localBaseDir, transcript.sessionId, transcript.path);
    if (behind > 0) out.push({ ...transcript, behind });
  }
  return out;
}
