import path from 'node:path';
import { SESSION_STORAGE_KEY, configError, type RunbookConfig } from '../config/loader.js';
import { DEFAULT_UPLOAD_BUDGET_MS } from './store.js';

/** The outbox directory under the local base directory unless configured. */
export const DEFAULT_OUTBOX_DIR = 'outbox';

/** `integrations.claude.sessionStorage.outbox`: how events wait for a remote primary backend. */
export interface OutboxConfig {
  /** Absolute spool directory (`outbox.dir`, relative to the local base directory; default `<localBaseDir>/outbox`). */
  dir: string;
  /** How long the hook waits for one upload before leaving the event for later (ms, default 600). */
  budgetMs: number;
  /** Whether the hook may start one background process to send what is waiting (default true). */
  background: boolean;
  /** Uploads in flight at once when draining (default 16). */
  concurrency: number;
  /** The drainer exits after the outbox has been empty this long (ms, default 5,000). */
  idleMs: number;
  /** The drainer exits after running this long, sent or not (ms, default 10 minutes); the next hook starts another. */
  lifetimeMs: number;
  /**
   * Flush each entry to the disk before the hook returns (default false: entries are written whole and
   * renamed into place, so a killed process never leaves a partial one, and the kernel writes them out
   * like the local backend's session files; true also survives a power cut, at a few ms per event).
   */
  fsync: boolean;
  /** Longest wait between retries while the backend fails (ms, default 30,000); waits double from 1 s up to it. */
  retryMaxMs: number;
}

const KNOWN = ['dir', 'budgetMs', 'background', 'concurrency', 'idleMs', 'lifetimeMs', 'retryMaxMs', 'fsync'];

/**
 * Read and check the `outbox:` section (all keys optional). Errors are one line naming the key, like
 * every other config error.
 */
export function parseOutboxConfig(config: RunbookConfig, localBaseDir: string): OutboxConfig {
  const base = `${SESSION_STORAGE_KEY}.outbox`;
  const raw = (config.sessionStorage as Record<string, unknown>).outbox;
  const section = raw ?? {};
  if (section === null || typeof section !== 'object' || Array.isArray(section))
    throw configError(config.file, base, 'must be a mapping');
  const values = section as Record<string, unknown>;
  const unknown = Object.keys(values).find((k) => !KNOWN.includes(k));
  if (unknown !== undefined)
    throw configError(config.file, `${base}.${unknown}`, `is not an outbox option (known: ${KNOWN.join(', ')})`);

  const positiveInt = (key: string, fallback: number, max: number): number => {
    const value = values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
      throw configError(
        config.file,
        `${base}.${key}`,
        `must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value = values[key] ?? fallback;
    if (typeof value !== 'boolean')
      throw configError(config.file, `${base}.${key}`, `must be true or false, got ${JSON.stringify(value)}`);
    return value;
  };
  const background = flag('background', true);
  const dir = values.dir ?? DEFAULT_OUTBOX_DIR;
  if (typeof dir !== 'string' || dir.trim() === '')
    throw configError(config.file, `${base}.dir`, 'must be a non-empty path');

  return {
    dir: path.resolve(localBaseDir, dir),
    budgetMs: positiveInt('budgetMs', DEFAULT_UPLOAD_BUDGET_MS, 60_000),
    background,
    concurrency: positiveInt('concurrency', 16, 256),
    idleMs: positiveInt('idleMs', 5_000, 600_000),
    lifetimeMs: positiveInt('lifetimeMs', 600_000, 86_400_000),
    retryMaxMs: positiveInt('retryMaxMs', 30_000, 3_600_000),
    fsync: flag('fsync', false),
  };
}
