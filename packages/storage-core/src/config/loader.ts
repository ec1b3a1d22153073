import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { defaultSessionStorageConfig, type SessionStorageConfig } from './defaults.js';
import { describeIssue, type ValidationIssueLike } from './issues.js';
import { parseSessionStorageConfig } from './schema.js';
import type { BackendDefinition } from '../backend/contract.js';
import { readConfigCache, writeConfigCache } from './cache.js';
import { maskInterpolatedValues, noteInterpolatedValue } from './secrets.js';
import { checkConfigSize, parseConfigYaml } from './yaml.js';

export const CONFIG_RELATIVE_PATH = path.join('.runbook', 'config.yaml');
export const SESSION_STORAGE_KEY = 'integrations.claude.sessionStorage';

export interface RunbookConfig {
  /** Absolute path of the file read, or undefined when there is none (defaults apply). */
  file?: string;
  /** The whole document after `${VAR}` interpolation; sections this project does not own are left alone. */
  document: Record<string, unknown>;
  sessionStorage: SessionStorageConfig;
}

export interface LoadConfigOptions {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** Read this file instead of `<projectDir>/.runbook/config.yaml`. */
  file?: string;
  /**
   * Directory for a JSON copy of the parsed YAML, reused while the file's content is unchanged, so
   * frequent short-lived processes (the hook) skip loading the YAML parser. Interpolation and validation
   * still run every time. Unwritable directories are ignored.
   */
  cacheDir?: string;
}

/** The config file's text and identity; larger than {@link MAX_CONFIG_BYTES} is refused unread. */
function readConfigText(file: string): { text: string; dev: number; ino: number } {
  try {
    const stats = statSync(file);
    checkConfigSize(file, stats.size);
    const text = readFileSync(file, 'utf8');
    checkConfigSize(file, Buffer.byteLength(text));
    return { text, dev: stats.dev, ino: stats.ino };
  } catch (error) {
    if (error instanceof RunbookError) throw error;
    throw new RunbookError(
      'CONFIG_UNREADABLE',
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

/** `file: key.path: what is wrong`, the one-line shape of every config error. */
export function configError(file: string | undefined, keyPath: string, problem: string): RunbookError {
  return new RunbookError(
    'CONFIG_INVALID',
    maskInterpolatedValues(`${file ?? CONFIG_RELATIVE_PATH}: ${keyPath}: ${problem}`),
  );
}

function joinPath(base: string, keys: PropertyKey[]): string {
  return [base, ...keys.map(String)].filter(Boolean).join('.');
}

interface Missing {
  keyPath: string;
  variable: string;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replace `${VAR}` and `${VAR:-default}` in every string value; note unset variables without default. */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, keyPath = '', missing: Missing[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') {
        noteInterpolatedValue(found, name);
        return found;
      }
      if (fallback !== undefined) return fallback;
      missing.push({ keyPath, variable: name });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, `${keyPath}.${i}`, missing));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const next = interpolateEnv(item, env, keyPath ? `${keyPath}.${key}` : key, missing);
      // `__proto__` is kept as an ordinary key, as the YAML parser reads it, never as the object's prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: next, writable: true, enumerable: true, configurable: true });
      else out[key] = next;
    }
    return out;
  }
  return value;
}

function section(document: Record<string, unknown>, keys: string[]): unknown {
  let node: unknown = document;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The section at a dotted key path of the document, or undefined. */
export function configSection(config: RunbookConfig, keyPath: string): unknown {
  return section(config.document, keyPath.split('.'));
}

/**
 * Load `.runbook/config.yaml`: YAML, `${ENV_VAR}` interpolation, `integrations.claude.sessionStorage`
 * validated with defaults. No file means defaults; YAML is parsed only when the file exists.
 */
export async function loadRunbookConfig(options: LoadConfigOptions): Promise<RunbookConfig> {
  const env = options.env ?? process.env;
  const file = options.file
    ? path.resolve(options.projectDir, options.file)
    : path.join(options.projectDir, CONFIG_RELATIVE_PATH);
  if (!existsSync(file)) {
    if (options.file) throw new RunbookError('CONFIG_UNREADABLE', `${file}: config file not found`);
    return { document: {}, sessionStorage: defaultSessionStorageConfig() };
  }
  const { text, dev, ino } = readConfigText(file);
  let parsed: unknown;
  if (options.cacheDir) {
    const cacheFile = path.join(options.cacheDir, 'config.json');
    parsed = readConfigCache(cacheFile, { file, dev, ino, text });
    if (parsed === undefined) {
      parsed = await parseConfigYaml(file, text);
      writeConfigCache(options.cacheDir, cacheFile, { file, dev, ino, text, document: parsed });
    }
  } else {
    parsed = await parseConfigYaml(file, text);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw configError(file, '(top level)', 'must be a mapping of sections');
  }
  const missing: Missing[] = [];
  const document = interpolateEnv(parsed, env, '', missing) as Record<string, unknown>;
  const ours = missing.find((m) => m.keyPath.startsWith('integrations.claude'));
  if (ours) throw configError(file, ours.keyPath, `environment variable ${ours.variable} is not set`);

  const raw = section(document, SESSION_STORAGE_KEY.split('.'));
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw configError(file, SESSION_STORAGE_KEY, 'must be a mapping');
  }
  const result = parseSessionStorageConfig(raw);
  if (!result.success) {
    const issue = result.issues[0]!;
    throw configError(file, joinPath(SESSION_STORAGE_KEY, issue.path), describeIssue(issue, raw));
  }
  return { file, document, sessionStorage: result.data };
}

/**
 * Validate a backend's own section (`sessionStorage.<configKey>`) with its `configSchema`, turning any
 * failure into a one-line `CONFIG_INVALID` naming the key.
 */
export function parseBackendConfig<T>(definition: BackendDefinition<T>, config: RunbookConfig): T {
  const key = definition.configKey;
  const value = key ? (config.sessionStorage as Record<string, unknown>)[key] : undefined;
  if (!definition.configSchema) return (value ?? {}) as T;
  const base = key ? `${SESSION_STORAGE_KEY}.${key}` : SESSION_STORAGE_KEY;
  try {
    return definition.configSchema.parse(value ?? {});
  } catch (error) {
    const issues = (error as { issues?: ValidationIssueLike[] }).issues;
    if (Array.isArray(issues) && issues[0]) {
      throw configError(config.file, joinPath(base, issues[0].path), describeIssue(issues[0], value ?? {}));
    }
    if (error instanceof RunbookError) throw error;
    throw configError(config.file, base, (error as Error).message ?? String(error));
  }
}
