import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAX_DOC_TEXT, type IndexDoc } from './documents.js';

/** Where learning output and runbooks live, relative to the project directory. */
export const LEARNING_DIR = path.join('.runbook', 'learning');
export const RUNBOOKS_DIR = path.join('.runbook', 'runbooks');

export interface ProjectFile {
  /** Relative to the project, with `/`. */
  path: string;
  absolute: string;
  size: number;
  mtimeMs: number;
  kind: 'learning' | 'runbook';
}

const MAX_FILES = 5000;

function walk(dir: string, depth: number, out: string[]): void {
  if (depth > 4 || out.length >= MAX_FILES) return;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, depth + 1, out);
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(full);
  }
}

/** Markdown learning artifacts (`.runbook/learning/**`) and runbooks (`.runbook/runbooks/*.md`). */
export function listProjectFiles(projectDir: string): ProjectFile[] {
  const out: ProjectFile[] = [];
  for (const [relative, kind] of [
    [LEARNING_DIR, 'learning'],
    [RUNBOOKS_DIR, 'runbook'],
  ] as const) {
    const found: string[] = [];
    walk(path.join(projectDir, relative), kind === 'runbook' ? 4 : 0, found);
    for (const absolute of found) {
      try {
        const stats = statSync(absolute);
        out.push({
          path: path.relative(projectDir, absolute).split(path.sep).join('/'),
          absolute,
          size: stats.size,
          mtimeMs: stats.mtimeMs,
          kind,
        });
      } catch {
        // Removed while listing.
      }
    }
  }
  return out;
}

/** What changes when any file is added, removed or rewritten. */
export function filesSignature(files: readonly ProjectFile[]): string {
  return files.map((f) => `${f.path}:${f.size}:${Math.round(f.mtimeMs)}`).join('\n');
}

/** What a file is, from where it sits: `runbook`, `postmortem`, `knowledge`, `runbook-update`. */
function fileRole(file: ProjectFile): string {
  if (file.kind === 'runbook') return 'runbook';
  if (file.path.includes('/runbook-updates/')) return 'runbook-update';
  if (file.path.includes('/knowledge/')) return 'knowledge';
  return 'postmortem';
}

/** A file as a document, or undefined when it cannot be read. */
export function fileDocument(file: ProjectFile): IndexDoc | undefined {
  let text: string;
  try {
    text = readFileSync(file.absolute, 'utf8');
  } catch {
    return undefined;
  }
  if (text.length > MAX_DOC_TEXT) text = text.slice(0, MAX_DOC_TEXT);
  const session = /^(?:source_session|session_id):\s*['"]?([^'"\s]+)/m.exec(text)?.[1] ?? '';
  return {
    kind: file.kind,
    sessionId: session,
    ref: file.path,
    time: Math.round(file.mtimeMs),
    eventName: fileRole(file),
    tool: '',
    text,
  };
}

/** The project's runbooks (`.runbook/runbooks/*.md`) as text, for recurrence coverage. */
export function listRunbooks(projectDir: string): Array<{ path: string; text: string }> {
  return listProjectFiles(projectDir)
    .filter((f) => f.kind === 'runbook')
    .map(fileDocument)
    .filter((d): d is IndexDoc => d !== undefined)
    .map((d) => ({ path: d.ref, text: d.text }));
}
