export const DEFAULT_LOCAL_BASE_DIR = '.runbook/hooks/claude';

/** `integrations.claude.sessionStorage` after validation; backend sections (e.g. `s3`) stay as written. */
export interface SessionStorageConfig {
  /** `local`, `s3`, or the name of an installed backend package. */
  backend: string;
  /** Keep a local copy of every event when the primary backend is not `local`. */
  mirrorLocal: boolean;
  /** Where local copies live; relative paths resolve against the project directory. */
  localBaseDir: string;
  /**
   * How the hook hands an event to a primary that is not local: `spool` (default) writes it to the outbox
   * and returns, a background drainer uploads it; `inline` also uploads it before returning (within
   * `outbox.budgetMs`), so it is in the backend when the hook exits, at the cost of loading the
   * backend's client in every hook process.
   */
  upload?: UploadMode;
  [section: string]: unknown;
}

export const UPLOAD_MODES = ['spool', 'inline'] as const;
export type UploadMode = (typeof UPLOAD_MODES)[number];

export function defaultSessionStorageConfig(): SessionStorageConfig {
  return { backend: 'local', mirrorLocal: true, localBaseDir: DEFAULT_LOCAL_BASE_DIR, upload: 'spool' };
}
