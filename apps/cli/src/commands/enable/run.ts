import { resolveProjectDir } from '@runbook/storage-core';
import { displayPath } from '../../shared/context.js';
import { createStyle } from '../../output/style.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { CLAUDE_HOOK_EVENTS } from '../../settings/events.js';
import { hookCommandProblem, resolveHookCommand } from '../../settings/hook-command.js';
import { installHooks } from '../../settings/hook-entries.js';
import { readSettings, settingsPath, writeSettings, type SettingsScope } from '../../settings/settings-file.js';
import { describeStorage } from '../../shared/storage-description.js';
import { enableRecall } from './recall-config.js';

export interface EnableOptions {
  scope: SettingsScope;
  events?: string[];
  timeout: number;
  async: boolean;
  command?: string;
  projectDir?: string;
  json?: boolean;
  recall?: boolean;
  /** Options the user gave on the command line (others keep what an existing entry says). */
  explicit?: { command?: boolean; timeout?: boolean; async?: boolean };
}

export async function runEnable(opts: EnableOptions): Promise<void> {
  const env = process.env;
  const projectDir = resolveProjectDir({ env, ...(opts.projectDir ? { projectDir: opts.projectDir } : {}) });
  const file = settingsPath(opts.scope, projectDir);
  const doc = readSettings(file);
  const events = opts.events && opts.events.length > 0 ? [...new Set(opts.events)] : [...CLAUDE_HOOK_EVENTS];
  const known = new Set<string>(CLAUDE_HOOK_EVENTS);
  for (const event of events)
    if (!known.has(event)) warn(`${event} is not an event this version knows; writing it anyway`);

  const detected = opts.command ? { command: opts.command, viaPath: false } : resolveHookCommand({ env });
  const result = installHooks(doc, events, {
    command: detected.command,
    timeoutSeconds: opts.timeout,
    async: opts.async,
    explicit: opts.explicit ?? { command: opts.command !== undefined },
    keepCommand: (command) => hookCommandProblem(command, env) === undefined,
  });
  const changed = !doc.exists || result.added.length + result.updated.length + result.removed.length > 0;
  const backup = changed ? writeSettings(doc) : undefined;

  const recall = opts.recall ? await enableRecall(projectDir) : undefined;
  if (recall && opts.async) warn('recall needs the synchronous hook: Claude Code ignores what --async hooks print');

  const shown = displayPath({ projectDir }, file);
  if (opts.json) {
    await writeJson({
      scope: opts.scope,
      file,
      changed,
      events,
      added: result.added,
      updated: result.updated,
      removed: result.removed,
      command: detected.command,
      timeout: opts.timeout,
      async: opts.async,
      ...(recall ? { recall: { enabled: true, file: recall.file, changed: recall.changed } } : {}),
      ...(backup ? { backup } : {}),
    });
    return;
  }
  const style = createStyle(process.stdout);
  const counts = [
    result.added.length ? `${result.added.length} added` : '',
    result.updated.length ? `${result.updated.length} updated` : '',
    result.removed.length ? `${result.removed.length} removed` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    changed
      ? `${style.green('Enabled')} the runbook hook in ${shown} (${opts.scope}): ${events.length} events${counts ? ` (${counts})` : ''}.`
      : `The runbook hook is already enabled in ${shown} (${opts.scope}) for ${events.length} events; nothing changed.`,
    `  command: ${detected.command}`,
    `  ${opts.async ? 'asynchronous (background)' : 'synchronous'}, timeout ${opts.timeout}s`,
  ];
  if (result.kept.length > 0)
    lines.push(
      `  kept your own entry for ${result.kept.length} events (pass --command, --timeout or --async to replace it)`,
    );
  if (backup) lines.push(`  the previous file is in ${displayPath({ projectDir }, backup)}`);
  try {
    const storage = await describeStorage({ env, projectDir });
    lines.push(`Sessions go to ${storage.location} (backend ${storage.backend}).`);
  } catch (error) {
    warn(`config: ${(error as Error).message}`);
  }
  if (recall) {
    lines.push(
      `Recall ${recall.changed ? 'enabled' : 'already enabled'} in ${displayPath({ projectDir }, recall.file)}: past learnings are added as context on SessionStart and UserPromptSubmit.`,
    );
    lines.push(
      `  It reads the index that ${style.bold('runbook integrations claude search')} (or similar, recurring) keeps up to date.`,
    );
  }
  lines.push(`Check the setup with: ${style.bold('runbook integrations claude doctor')}`);
  await writeChunk(`${lines.join('\n')}\n`);
  if (!opts.command && /[\\/]_npx[\\/]/.test(detected.command)) {
    warn(
      "runbook runs from npx's cache, which npx may clean at any time; install it (npm i -g @runbook/cli) and run enable again",
    );
  } else if (!detected.viaPath && !opts.command && opts.scope === 'project') {
    warn(
      `runbook is not on PATH, so ${shown} names this machine's paths; install it globally (npm i -g @runbook/cli) or use --scope local before committing it`,
    );
  }
}
