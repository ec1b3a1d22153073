import { configError, configSection, type RunbookConfig } from '@runbook/storage-core';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
import { BUILTIN_LABELS } from './redaction/builtin.js';
import { createRedactor, type PayloadRedactor } from './redaction/payload.js';
import type { AllowEntry, RedactionOptions, RedactionPattern } from './redaction/types.js';

// Hand-validated (no schema library): this runs in the hook, once per tool call.

export const REDACTION_KEY = 'integrations.claude.redaction';
export const LIMITS_KEY = 'integrations.claude.limits';

/** `integrations.claude.redaction`, validated. */
export interface RedactionConfig extends RedactionOptions {
  /** Redact before storing (default true). */
  enabled: boolean;
}

type Section = Record<string, unknown>;

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function mapping(value: unknown, file: string | undefined, keyPath: string): Section | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw configError(file, keyPath, `must be a mapping, got ${describe(value)}`);
  return value as Section;
}

function rejectUnknown(section: Section, known: readonly string[], file: string | undefined, keyPath: string): void {
  const unknown = Object.keys(section).find((key) => !known.includes(key));
  if (unknown !== undefined)
    throw configError(file, `${keyPath}.${unknown}`, `is not a known option (known: ${known.join(', ')})`);
}

function boolean(section: Section, key: string, fallback: boolean, file: string | undefined, keyPath: string): boolean {
  const value = section[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw configError(file, `${keyPath}.${key}`, `must be true or false, got ${describe(value)}`);
  return value;
}

function list(section: Section, key: string, file: string | undefined, keyPath: string): unknown[] {
  const value = section[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw configError(file, `${keyPath}.${key}`, `must be a list, got ${describe(value)}`);
  return value;
}

function compileRegex(source: unknown, flags: string, file: string | undefined, keyPath: string): RegExp {
  if (typeof source !== 'string' || source === '')
    throw configError(file, keyPath, `must be a non-empty regular expression string, got ${describe(source)}`);
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: /, '');
    throw configError(file, keyPath, `invalid regular expression ${JSON.stringify(source)}: ${reason}`);
  }
  if (regex.test(''))
    throw configError(file, keyPath, `regular expression ${JSON.stringify(source)} matches empty text`);
  return regex;
}

function parsePattern(item: unknown, file: string | undefined, keyPath: string): RedactionPattern {
  const section = mapping(item, file, keyPath);
  if (!section) throw configError(file, keyPath, 'must be a mapping with regex and label');
  rejectUnknown(section, ['regex', 'label', 'ignoreCase'], file, keyPath);
  const ignoreCase = boolean(section, 'ignoreCase', false, file, keyPath);
  const regex = compileRegex(section.regex, ignoreCase ? 'i' : '', file, `${keyPath}.regex`);
  const label = section.label;
  if (typeof label !== 'string' || !LABEL.test(label)) {
    throw configError(
      file,
      `${keyPath}.label`,
      `must be a short name of letters, digits, ".", "_" or "-" (shown as [REDACTED:<label>]), got ${describe(label)}`,
    );
  }
  return { regex, label, ignoreCase };
}

function parseAllow(item: unknown, file: string | undefined, keyPath: string): AllowEntry {
  if (typeof item === 'string' && item !== '') return item;
  const section = mapping(item, file, keyPath);
  if (!section)
    throw configError(file, keyPath, `must be a value to keep or a mapping with regex, got ${describe(item)}`);
  rejectUnknown(section, ['regex'], file, keyPath);
  return compileRegex(section.regex, '', file, `${keyPath}.regex`);
}

/**
 * Validate `integrations.claude.redaction` (the section's value, e.g. from storage-core `configSection`).
 * Missing means the defaults: enabled, built-in detectors, no e-mails. Throws a `CONFIG_INVALID`
 * `RunbookError` naming the key, e.g. `<file>: integrations.claude.redaction.patterns.2.regex: invalid
 * regular expression "(": Unterminated group`.
 */
export function parseRedactionConfig(value: unknown, file?: string): RedactionConfig {
  const section = mapping(value, file, REDACTION_KEY) ?? {};
  rejectUnknown(section, ['enabled', 'emails', 'patterns', 'allow', 'disable'], file, REDACTION_KEY);
  const enabled = boolean(section, 'enabled', true, file, REDACTION_KEY);
  const emails = boolean(section, 'emails', false, file, REDACTION_KEY);
  const patterns = list(section, 'patterns', file, REDACTION_KEY).map((item, i) =>
    parsePattern(item, file, `${REDACTION_KEY}.patterns.${i}`),
  );
  const allow = list(section, 'allow', file, REDACTION_KEY).map((item, i) =>
    parseAllow(item, file, `${REDACTION_KEY}.allow.${i}`),
  );
  const disable = list(section, 'disable', file, REDACTION_KEY).map((item, i) => {
    if (typeof item !== 'string' || !BUILTIN_LABELS.includes(item)) {
      throw configError(
        file,
        `${REDACTION_KEY}.disable.${i}`,
        `must name a built-in detector (${BUILTIN_LABELS.join(', ')}), got ${describe(item)}`,
      );
    }
    return item;
  });
  return { enabled, emails, patterns, allow, disable };
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i;
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};
const MAX_BYTES = 1024 ** 3;
const MIN_BYTES = 1024;
const MAX_DEPTH = 1000;

function size(section: Section, key: string, file: string | undefined): number | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  let bytes: number | undefined;
  if (typeof value === 'number') bytes = value;
  else if (typeof value === 'string') {
    const match = SIZE.exec(value.trim());
    if (match) bytes = Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
  }
  if (bytes === undefined || !Number.isInteger(bytes) || bytes < MIN_BYTES || bytes > MAX_BYTES) {
    throw configError(
      file,
      `${LIMITS_KEY}.${key}`,
      `must be a size from 1KiB to 1GiB (bytes, or text like "512KiB", "8MiB"), got ${describe(value)}`,
    );
  }
  return bytes;
}

/**
 * Validate `integrations.claude.limits`: `maxInputBytes` (stdin above it keeps only the event's identity),
 * `maxEventBytes` (payloads above it have their longest strings shortened), `maxDepth` (deeper nesting is
 * replaced by a marker). Sizes are bytes or text like `8MiB`. Missing keys keep {@link DEFAULT_LIMITS}.
 */
export function parseLimitsConfig(value: unknown, file?: string): IngestLimits {
  const section = mapping(value, file, LIMITS_KEY) ?? {};
  rejectUnknown(section, ['maxInputBytes', 'maxEventBytes', 'maxDepth'], file, LIMITS_KEY);
  const limits: IngestLimits = { ...DEFAULT_LIMITS };
  const input = size(section, 'maxInputBytes', file);
  if (input !== undefined) limits.maxInputBytes = input;
  const event = size(section, 'maxEventBytes', file);
  if (event !== undefined) limits.maxEventBytes = event;
  const depth = section.maxDepth;
  if (depth !== undefined && depth !== null) {
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
      throw configError(
        file,
        `${LIMITS_KEY}.maxDepth`,
        `must be a whole number from 1 to ${MAX_DEPTH}, got ${describe(depth)}`,
      );
    }
    limits.maxDepth = depth;
  }
  return limits;
}

/** What `ingestHookEvent` takes from config. */
export interface IngestSettings {
  redact: PayloadRedactor | false;
  limits: IngestLimits;
}

/**
 * Redaction and limits for `ingestHookEvent` from a loaded `.runbook/config.yaml`: reads
 * `integrations.claude.redaction` and `integrations.claude.limits`, compiles the redactor once.
 * Throws a `CONFIG_INVALID` `RunbookError` naming the bad key.
 */
export function ingestSettingsFromConfig(config: RunbookConfig): IngestSettings {
  const redaction = parseRedactionConfig(configSection(config, REDACTION_KEY), config.file);
  const limits = parseLimitsConfig(configSection(config, LIMITS_KEY), config.file);
  const { enabled, ...options } = redaction;
  return { redact: enabled ? createRedactor(options) : false, limits };
}
