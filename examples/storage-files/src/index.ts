import path from 'node:path';
import { defineBackend } from '@runbook/storage-core';
import { filesConfigSchema, type FilesBackendConfig } from './config.js';
import { createFilesBackend } from './files-backend.js';

export { createFilesBackend } from './files-backend.js';
export type { FilesBackendOptions } from './files-backend.js';
export { DEFAULT_FILES_DIR, filesConfigSchema } from './config.js';
export type { FilesBackendConfig } from './config.js';

/**
 * `backend: "@runbook/example-storage-files"`: one JSON file per event under `files.dir`
 * (default `.runbook/files`, relative to the project).
 */
export const filesBackend = defineBackend<FilesBackendConfig>({
  name: 'files',
  configKey: 'files',
  configSchema: filesConfigSchema,
  create: (config, context) => createFilesBackend({ dir: path.resolve(context.projectDir, config.dir) }),
});

/** The CLI loads a backend package through its default export. */
export default filesBackend;
