export const DEFAULT_LOCAL_BASE_DIR = '.runbook/hooks/claude';

/** `integrations.claude.sessionStorage` after validation; backend sections (e.g. `s3`) stay as written. */
export interface SessionStorageConfig {
  /** `local`, `s3`, or the name of an installed backend package. */
  backend: string;
  /** Keep a local copy of every event when the primary backend is not `local`. */
  mirrorLocal: boolean;
  /** Where local copies live; relative paths resolve against the project directory. */
  localBaseDir: string;
  [section: string]: unknown;
}

export function defaultSessionStorageConfig(): SessionStorageConfig {
  return { backend: 'local', mirrorLocal: true, localBaseDir: DEFAULT_LOCAL_BASE_DIR };
}
