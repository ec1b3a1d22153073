import { resolveProjectDir } from '@runbook/storage-core';
import { displayPath } from '../../shared/context.js';
import { writeChunk, writeJson } from '../../output/stdout.js';
import { uninstallHooks } from '../../settings/hook-entries.js';
import {
  readSettings,
  settingsPath,
  SETTINGS_SCOPES,
  writeSettings,
  type SettingsScope,
} from '../../settings/settings-file.js';

export interface DisableOptions {
  scope: SettingsScope | 'all';
  projectDir?: string;
  json?: boolean;
}

export async function runDisable(opts: DisableOptions): Promise<void> {
  const projectDir = resolveProjectDir({
    env: process.env,
    ...(opts.projectDir ? { projectDir: opts.projectDir } : {}),
  });
  const scopes = opts.scope === 'all' ? SETTINGS_SCOPES : [opts.scope];
  // Read (and so validate) every file before changing any.
  const docs = scopes.map((scope) => ({ scope, doc: readSettings(settingsPath(scope, projectDir)) }));
  const results = docs.map(({ scope, doc }) => {
    const result = uninstallHooks(doc);
    if (result.removed.length > 0) writeSettings(doc);
    return { scope, file: doc.file, removed: result.removed };
  });
  if (opts.json) {
    await writeJson(results);
    return;
  }
  const lines = results.map(({ scope, file, removed }) =>
    removed.length > 0
      ? `Removed the runbook hook from ${displayPath({ projectDir }, file)} (${scope}): ${removed.length} events.`
      : `The runbook hook was not installed in ${displayPath({ projectDir }, file)} (${scope}); nothing changed.`,
  );
  await writeChunk(`${lines.join('\n')}\n`);
}
