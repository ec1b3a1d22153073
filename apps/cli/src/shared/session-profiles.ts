import { scanProfiles, type SessionProfile } from '@runbook/session-index';
import type { CliContext } from './context.js';
import type { OpenedIndex } from './session-index.js';

/** Every session's profile, from the index when there is one, else read from the backend. */
export async function loadProfiles(context: CliContext, opened: OpenedIndex): Promise<SessionProfile[]> {
  return opened.index
    ? opened.index.profiles()
    : scanProfiles({ backend: opened.store, projectDir: context.projectDir });
}
