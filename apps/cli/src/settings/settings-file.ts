import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { RunbookError } from '@runbook/storage-core';

/** Where Claude Code reads settings: `project` is shared through git, `local` is the developer's own, `user` is every project. */
export type SettingsScope = 'project' | 'local' | 'user';

export const SETTINGS_SCOPES: readonly SettingsScope[] = ['project', 'local', 'user'];

/** The settings file of a scope. `home` defaults to the user's home directory. */
export function settingsPath(scope: SettingsScope, projectDir: string, home: string = homedir()): string {
  if (scope === 'user') return path.join(home, '.claude', 'settings.json');
  return path.join(projectDir, '.claude', scope === 'local' ? 'settings.local.json' : 'settings.json');
}

/** A settings file as read: its text (edited in place, so the user's formatting survives) and its JSON object. */
export interface SettingsDocument {
  file: string;
  exists: boolean;
  text: string;
  data: Record<string, unknown>;
}

const EMPTY = '{}\n';

/**
 * Read a Claude Code settings file. A missing or blank file reads as `{}`. A file that is not a JSON
 * object throws `CONFIG_INVALID` naming the file, so callers never overwrite what they could not read.
 */
export function readSettings(file: string): SettingsDocument {
  if (!existsSync(file)) return { file, exists: false, text: EMPTY, data: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunbookError('CONFIG_UNREADABLE', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  if (text.trim() === '') return { file, exists: true, text: EMPTY, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RunbookError('CONFIG_INVALID', `${file}: not valid JSON (${(error as Error).message}); fix it by hand, it was left unchanged`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new RunbookError('CONFIG_INVALID', `${file}: must hold a JSON object; it was left unchanged`);
  }
  return { file, exists: true, text, data: data as Record<string, unknown> };
}

/** Write a settings document atomically (temp file + rename), keeping the file's mode. */
export function writeSettings(doc: SettingsDocument): void {
  mkdirSync(path.dirname(doc.file), { recursive: true });
  let mode = 0o644;
  try {
    mode = statSync(doc.file).mode & 0o777;
  } catch {
    // a new file
  }
  const temp = `${doc.file}.runbook-${process.pid}.tmp`;
  try {
    writeFileSync(temp, doc.text, { mode });
    renameSync(temp, doc.file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    throw new RunbookError('STORAGE_WRITE_FAILED', `${doc.file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
}
