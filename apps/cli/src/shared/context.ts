import path from 'node:path';
import { loadRunbookConfig, resolveLocalBaseDir, resolveProjectDir, type RunbookConfig } from '@runbook/storage-core';

/** What every command works from: the project, its config and where local data lives. */
export interface CliContext {
  projectDir: string;
  config: RunbookConfig;
  /** `localBaseDir` made absolute. */
  localBaseDir: string;
  env: NodeJS.ProcessEnv;
}

export interface ContextOptions {
  projectDir?: string;
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function loadContext(options: ContextOptions = {}): Promise<CliContext> {
  const env = options.env ?? process.env;
  const projectDir = resolveProjectDir({
    env,
    ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const config = await loadRunbookConfig({
    projectDir,
    env,
    cacheDir: path.join(projectDir, '.runbook', 'cache'),
    ...(options.configFile ? { file: options.configFile } : {}),
  });
  return { projectDir, config, localBaseDir: resolveLocalBaseDir(projectDir, config.sessionStorage.localBaseDir), env };
}

/** A path shown to people: relative to the project when inside it. */
export function displayPath(context: Pick<CliContext, 'projectDir'>, target: string): string {
  const rel = path.relative(context.projectDir, target);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : target;
}
