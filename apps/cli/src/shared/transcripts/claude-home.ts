import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Claude Code's default: transcripts older than this many days are deleted at start-up. */
export const DEFAULT_CLEANUP_PERIOD_DAYS = 30;

/** Claude Code's own directory: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(env: NodeJS.ProcessEnv): string {
  const configured = env.CLAUDE_CONFIG_DIR;
  if (configured && configured.trim() !== '') return path.resolve(configured);
  return path.join(env.HOME && env.HOME !== '' ? env.HOME : os.homedir(), '.claude');
}

/** Where Claude Code keeps one folder of transcripts per project. */
export function claudeProjectsDir(env: NodeJS.ProcessEnv): string {
  return path.join(claudeConfigDir(env), 'projects');
}

/** The folder name Claude Code gives a project: its absolute path with every character but letters and digits as `-`. */
export function projectFolderName(projectDir: string): string {
  return path.resolve(projectDir).replace(/[^A-Za-z0-9]/g, '-');
}

/** `cleanupPeriodDays` from Claude Code's user settings, or the default when absent or not a positive number. */
export function cleanupPeriodDays(env: NodeJS.ProcessEnv): number {
  try {
    const settings = JSON.parse(readFileSync(path.join(claudeConfigDir(env), 'settings.json'), 'utf8')) as {
      cleanupPeriodDays?: unknown;
    };
    const days = settings.cleanupPeriodDays;
    if (typeof days === 'number' && Number.isFinite(days) && days > 0) return days;
  } catch {
    // no settings, or not JSON: Claude Code uses its default then too
  }
  return DEFAULT_CLEANUP_PERIOD_DAYS;
}

/** A main transcript's session id: its file name without `.jsonl`. */
export function sessionIdOfTranscript(file: string): string | undefined {
  const base = path.basename(file);
  return base.endsWith('.jsonl') && base.length > 6 ? base.slice(0, -6) : undefined;
}
