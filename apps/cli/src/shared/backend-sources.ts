import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a backend package named in `.runbook/config.yaml` may be loaded from. A project's config is
 * untrusted (anyone can commit one), so the project's own `node_modules` is never searched: only
 * places the user installed into themselves.
 *
 * 1. Beside the CLI's own install, with Node's usual upward search from the CLI's folder (so
 *    `npm i -g @runbook/cli <backend>` works).
 * 2. `~/.runbook/backends/node_modules` (`npm i --prefix ~/.runbook/backends <backend>`).
 */
export interface BackendSource {
  /** Shown in messages. */
  label: string;
  /** `node_modules` folders searched, in order. */
  nodeModules: string[];
}

/** `~/.runbook/backends`: the user's own folder for backend packages. */
export function userBackendsDir(home: string = homedir()): string {
  return path.join(home, '.runbook', 'backends');
}

/** `node_modules` folders at and above `dir`, nearest first. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    if (path.basename(current) !== 'node_modules') found.push(path.join(current, 'node_modules'));
    if (path.dirname(current) === current) return found;
  }
}

/** The folder of the running CLI (its `dist/`). */
export function cliInstallDir(): string {
  return path.dirname(fileURLToPath(import.meta.url));
}

export function backendSources(options: { home?: string; cliDir?: string } = {}): BackendSource[] {
  const cliDir = options.cliDir ?? cliInstallDir();
  const userDir = userBackendsDir(options.home);
  return [
    { label: `beside the CLI (${cliDir})`, nodeModules: nodeModulesAbove(cliDir) },
    { label: userDir, nodeModules: [path.join(userDir, 'node_modules')] },
  ];
}

/** The installed package folder of `name` in the first source holding it. */
export function findInstalledPackage(name: string, sources: BackendSource[]): string | undefined {
  for (const source of sources) {
    for (const dir of source.nodeModules) {
      const pkgDir = path.join(dir, name);
      if (existsSync(path.join(pkgDir, 'package.json'))) return pkgDir;
    }
  }
  return undefined;
}

const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/**
 * Whether `name` is a valid npm package name (lower case, URL-safe, optionally `@scope/`): never a path
 * (`./x`, `../x`, `/x`, `x/y`), a URL (`https://...`, `file:...`) or a package subpath (`@a/b/c`).
 */
export function isPackageName(name: string): boolean {
  return name.length > 0 && name.length <= 214 && PACKAGE_NAME.test(name) && name !== 'node_modules';
}
