import type { ConfigParser } from '@runbook/storage-core';

/** `integrations.claude.sessionStorage.files`: this backend's own config section. */
export interface FilesBackendConfig {
  /** Directory holding the sessions; relative paths resolve against the project directory. */
  dir: string;
}

export const DEFAULT_FILES_DIR = '.runbook/files';

/** An issue shaped like a zod issue, so storage-core words config errors the same for every backend. */
interface Issue {
  path: string[];
  code: 'invalid_type' | 'custom';
  message: string;
  expected?: string;
}

class FilesConfigError extends Error {
  readonly issues: Issue[];
  constructor(issue: Issue) {
    super(issue.message);
    this.name = 'FilesConfigError';
    this.issues = [issue];
  }
}

/** Checks the section by hand (a zod schema would do too: any `{ parse }` fits `configSchema`). */
export const filesConfigSchema: ConfigParser<FilesBackendConfig> = {
  parse(value: unknown): FilesBackendConfig {
    const section = (value ?? {}) as Record<string, unknown>;
    if (typeof section !== 'object' || Array.isArray(section)) {
      throw new FilesConfigError({ path: [], code: 'invalid_type', expected: 'object', message: 'must be a mapping' });
    }
    const unknown = Object.keys(section).find((key) => key !== 'dir');
    if (unknown)
      throw new FilesConfigError({
        path: [unknown],
        code: 'custom',
        message: 'is not an option of the files backend (known: dir)',
      });
    const dir = section.dir ?? DEFAULT_FILES_DIR;
    if (typeof dir !== 'string')
      throw new FilesConfigError({
        path: ['dir'],
        code: 'invalid_type',
        expected: 'string',
        message: 'must be a path',
      });
    if (dir.trim() === '') throw new FilesConfigError({ path: ['dir'], code: 'custom', message: 'must not be empty' });
    return { dir };
  },
};
