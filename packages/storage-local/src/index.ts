import { defineBackend } from '@runbook/storage-core';
import { createLocalBackend } from './local-backend.js';

export { createLocalBackend, sessionFile, sessionFiles, EVENTS_FILE, SESSIONS_DIR } from './local-backend.js';
export type { LocalBackendOptions } from './local-backend.js';

/** `backend: local`: sessions under `localBaseDir` (default `.runbook/hooks/claude`). */
export const localBackend = defineBackend<Record<string, never>>({
  name: 'local',
  create: (_config, context) => createLocalBackend({ baseDir: context.localBaseDir }),
});

export default localBackend;
