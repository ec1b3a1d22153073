import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
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
    throw new RunbookError(
      'CONFIG_UNREADABLE',
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  if (text.trim() === '') return { file, exists: true, text: EMPTY, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RunbookError(
      'CONFIG_INVALID',
      `${file}: not valid JSON (${(error as Error).message}); fix it by hand, it was left unchanged`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new RunbookError('CONFIG_INVALID', `${file}: must hold a JSON object; it was left unchanged`);
  }
  return { file, exists: true, text, data: data as Record<string, unknown> };
}

/**
 * The file to replace for `file`: the target of a symlink (followed to the end, even when it does not
 * exist yet), so a settings.json kept in a dotfiles repository stays a link.
 */
function writeTarget(file: string): string {
  for (let current = file, hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch {
      return current;
    }
    current = path.resolve(path.dirname(current), link);
  }
  throw new RunbookError('CONFIG_INVALID', `${file}: too many levels of symbolic links; it was left unchanged`);
}

/** Where the previous content of a settings file is kept when it is changed. */
export function backupPath(file: string): string {
  return `${file}.bak`;
}

/**
 * Write a settings document atomically (temp file + rename) through any symlink, keeping the file's
 * mode, after copying what was there to {@link backupPath}. A folder it creates is 0700 (`~/.claude`
 * holds the user's settings) and a new file 0644 (`.claude/settings.json` is shared through git), whatever
 * the umask. Returns the backup's path when one was made.
 */
export function writeSettings(doc: SettingsDocument): string | undefined {
  const target = writeTarget(doc.file);
  const dir = path.dirname(target);
  let mode = 0o644;
  let previous: Buffer | undefined;
  try {
    mode = statSync(target).mode & 0o775;
    previous = readFileSync(target);
  } catch {
    // a new file
  }
  const temp = `${target}.runbook-${process.pid}.tmp`;
  let backup: string | undefined;
  try {
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
    }
    if (previous !== undefined) {
      backup = backupPath(doc.file);
      writeFileSync(backup, previous, { mode });
      chmodSync(backup, mode);
    }
    writeFileSync(temp, doc.text, { mode });
    chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    throw new RunbookError(
      'STORAGE_WRITE_FAILED',
      `${doc.file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
  return backup;
}
