import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ProjectDirOptions {
  /** An explicit `--project-dir`. */
  projectDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function hasRunbookDir(dir: string): boolean {
  try {
    return statSync(path.join(dir, '.runbook')).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The project directory: `--project-dir`, else `CLAUDE_PROJECT_DIR` (set by Claude Code for hooks),
 * else the nearest ancestor of the working directory holding `.runbook/`, else the working directory.
 */
export function resolveProjectDir(options: ProjectDirOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.projectDir) return path.resolve(cwd, options.projectDir);
  const fromEnv = env.CLAUDE_PROJECT_DIR;
  if (fromEnv && existsSync(fromEnv)) return path.resolve(fromEnv);
  let dir = cwd;
  for (;;) {
    if (hasRunbookDir(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return cwd;
    dir = parent;
  }
}

/** `localBaseDir` made absolute against the project directory. */
export function resolveLocalBaseDir(projectDir: string, localBaseDir: string): string {
  return path.resolve(projectDir, localBaseDir);
}
