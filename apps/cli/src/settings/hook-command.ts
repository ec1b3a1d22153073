import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';

/** Quote one word for the POSIX shell Claude Code runs hook commands with. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_/.,:=+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function realpath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** The first executable `name` on `PATH`, or undefined. */
export function findOnPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface HookCommandOptions {
  /** The running CLI script (default `process.argv[1]`). */
  script?: string;
  /** The running Node binary (default `process.execPath`). */
  node?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The command a hook entry runs. `runbook integrations claude hook` when the `runbook` found on PATH
 * is this very CLI (a global install); otherwise this Node binary and this script by absolute path,
 * which works without any install (and without `node` on the PATH Claude Code gives hooks).
 */
export function resolveHookCommand(options: HookCommandOptions = {}): { command: string; viaPath: boolean } {
  const env = options.env ?? process.env;
  const script = options.script ?? process.argv[1] ?? '';
  const self = realpath(script) ?? path.resolve(script);
  const onPath = findOnPath('runbook', env.PATH);
  if (onPath && realpath(onPath) === self) return { command: 'runbook integrations claude hook', viaPath: true };
  const node = options.node ?? process.execPath;
  return { command: `${shellQuote(node)} ${shellQuote(self)} integrations claude hook`, viaPath: false };
}

/** Split a hook command into shell words (single and double quotes, backslash escapes). Enough for the commands `enable` writes. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/**
 * Why a hook command would not start, or undefined when it looks runnable: its program must be on
 * PATH or an existing file, and a script it names by absolute path must exist.
 */
export function hookCommandProblem(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const words = shellWords(command);
  const program = words[0];
  if (!program) return 'the command is empty';
  if (program.includes('/')) {
    if (!realpath(program)) return `${program} does not exist`;
  } else if (!findOnPath(program, env.PATH)) {
    return `${program} is not on PATH`;
  }
  const script = words[1];
  if (script && path.isAbsolute(script) && !realpath(script))
    return `${script} does not exist (was runbook moved or uninstalled?)`;
  return undefined;
}
