import { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import type { SessionSummary } from '@runbook/storage-core';
import { bySessionId, SessionTally } from './session-tally.js';

/** What one folder's events file holds, as listing counts it, and the file state it was counted from. */
interface FolderSummary {
  /** Size, modification time and inode of the events file when it was counted. */
  state: string;
  sessions: SessionSummary[];
}

interface SummaryCache {
  version: 1;
  folders: Record<string, FolderSummary>;
}

const CACHE_FILE = path.join('cache', 'local-list.json');

function stateOf(stat: Stats): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
}

async function readCache(baseDir: string): Promise<Record<string, FolderSummary>> {
  try {
    const cache = JSON.parse(await fsp.readFile(path.join(baseDir, CACHE_FILE), 'utf8')) as SummaryCache;
    if (cache.version === 1 && typeof cache.folders === 'object' && cache.folders !== null) {
      return Object.assign(Object.create(null) as Record<string, FolderSummary>, cache.folders);
    }
  } catch {
    // Missing or unreadable: every folder is counted again.
  }
  return Object.create(null) as Record<string, FolderSummary>;
}

/** Keep the counts for the next listing; a cache that cannot be written (read-only disk, a linked folder) is skipped. */
async function writeCache(baseDir: string, folders: Record<string, FolderSummary>): Promise<void> {
  const dir = path.join(baseDir, 'cache');
  try {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    if ((await fsp.lstat(dir)).isSymbolicLink()) return;
    const file = path.join(baseDir, CACHE_FILE);
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    await fsp.writeFile(tmp, JSON.stringify({ version: 1, folders } satisfies SummaryCache), {
      mode: 0o600,
      flag: 'wx',
    });
    await fsp.rename(tmp, file).catch(async (error: unknown) => {
      await fsp.rm(tmp, { force: true });
      throw error;
    });
  } catch {
    // Listing still answered; the next one counts again.
  }
}

/**
 * Every session under `sessionsDir`, counted exactly as `read` returns them. A folder whose events file
 * is unchanged since the last listing (same size, modification time and inode) is not read again: its
 * counts come from `<baseDir>/cache/local-list.json`. A session kept in several folders (RunbookAI-era
 * ids) is counted from all of them together, so an event stored twice is still one event.
 */
export async function summarizeFolders(
  baseDir: string,
  sessionsDir: string,
  segments: string[],
  eventsFile: string,
): Promise<SessionSummary[]> {
  const cached = await readCache(baseDir);
  const next = Object.create(null) as Record<string, FolderSummary>;
  let changed = false;
  const folderOf = new Map<string, string[]>();
  for (const segment of segments) {
    const file = path.join(sessionsDir, segment, eventsFile);
    let stat: Stats;
    try {
      stat = await fsp.stat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw error;
    }
    const state = stateOf(stat);
    let summary = cached[segment];
    if (summary?.state !== state) {
      const tally = new SessionTally();
      await tally.addFolder(segment, file);
      summary = { state, sessions: tally.summaries() };
      changed = true;
    }
    next[segment] = summary;
    for (const session of summary.sessions) {
      const folders = folderOf.get(session.sessionId) ?? [];
      folders.push(segment);
      folderOf.set(session.sessionId, folders);
    }
  }
  if (changed || Object.keys(cached).some((segment) => !(segment in next))) await writeCache(baseDir, next);

  const out: SessionSummary[] = [];
  for (const [sessionId, folders] of folderOf) {
    if (folders.length === 1) {
      out.push(next[folders[0]!]!.sessions.find((s) => s.sessionId === sessionId)!);
      continue;
    }
    // Rare: the same session in several folders; count them together so a repeated event counts once.
    const tally = new SessionTally();
    for (const segment of folders) await tally.addFolder(segment, path.join(sessionsDir, segment, eventsFile));
    const merged = tally.summaries().find((s) => s.sessionId === sessionId);
    if (merged) out.push(merged);
  }
  return out.sort(bySessionId);
}
