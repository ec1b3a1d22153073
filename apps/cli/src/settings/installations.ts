import { describeError } from '@runbook/storage-core';
import { findRunbookHooks, type InstalledHook } from './hook-entries.js';
import { readSettings, settingsPath, SETTINGS_SCOPES, type SettingsScope } from './settings-file.js';

/** The runbook hook as found in one settings file. */
export interface HookInstallation {
  scope: SettingsScope;
  file: string;
  exists: boolean;
  hooks: InstalledHook[];
  /** Why the file could not be read, when it could not. */
  error?: string;
}

/** Look for the runbook hook in the project, local and user settings files. */
export function findHookInstallations(projectDir: string, home?: string): HookInstallation[] {
  return SETTINGS_SCOPES.map((scope) => {
    const file = settingsPath(scope, projectDir, home);
    try {
      const doc = readSettings(file);
      return { scope, file, exists: doc.exists, hooks: findRunbookHooks(doc.data, file) };
    } catch (error) {
      return { scope, file, exists: true, hooks: [], error: describeError(error) };
    }
  });
}
