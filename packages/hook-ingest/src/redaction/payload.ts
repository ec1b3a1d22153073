import type { HookPayload } from '@runbook/storage-core';
import { isSecretName } from './names.js';
import { compileRedaction, defaultCompiledRedaction, type CompiledRedaction } from './text.js';
import type { RedactionCounts, RedactionOptions } from './types.js';
import { marker } from './values.js';
import { OutOfTime, UNLIMITED, deadlineTick, type Tick } from './deadline.js';
import { TRUNCATION_MARKER } from '../limits.js';

type Container = Record<string, unknown> | unknown[];

/** Keys shorter than this are names (`command`, `stdout`), never worth scanning. */
const MIN_KEY_SCAN = 16;
/** Strings shorter than this hold no secret the detectors know; they stay even unread. */
const MIN_UNREAD = 6;

function put(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string | number, unknown>)[key] = value;
}

/** `{ "name": "DB_PASSWORD", "value": "..." }` (ECS, Kubernetes env lists, SSM, CloudFormation parameters). */
const PAIR_NAMES = ['name', 'Name', 'key', 'Key', 'ParameterKey'];
const PAIR_VALUES = ['value', 'Value', 'ParameterValue'];

/** The key of the value that an object's name field says is a secret, if any. */
function pairedSecretKey(object: Record<string, unknown>): string | undefined {
  for (const nameKey of PAIR_NAMES) {
    const name = object[nameKey];
    if (typeof name !== 'string' || !isSecretName(name)) continue;
    for (const valueKey of PAIR_VALUES) if (typeof object[valueKey] === 'string') return valueKey;
  }
  return undefined;
}

/** Top-level fields the record is filed by: redacted even once time has run out (they are short). */
const ALWAYS_READ = new Set([
  'session_id',
  'hook_event_name',
  'cwd',
  'transcript_path',
  'tool_name',
  'permission_mode',
]);
const MAX_ALWAYS_READ = 4096;

/** docker's and npm's `auth`/`_auth`: base64 of `user:password` (other `auth` fields are settings). */
const BASE64_CREDENTIAL = /^[A-Za-z0-9+/]{12,}={0,2}$/;

/** What is left of a value the time budget did not reach. */
function unreachedMarker(value: string): string {
  return `${TRUNCATION_MARKER} ${value.length} chars not stored: not redacted within the time budget`;
}

/** How a redaction went: counts by detector, and how many strings were replaced unread when time ran out. */
export interface RedactionReport {
  redactions: RedactionCounts;
  /** Strings (values and long keys) replaced by a marker, unread, because the time budget was spent. */
  unreached: number;
}

/**
 * A redacted copy of a JSON value: every string (in objects and arrays, at any depth) passed through the
 * text detectors, every string under a key that names a secret (`password`, `apiKey`, `DB_TOKEN`...)
 * replaced whole (`secret-field`), and so is the value of a `{ name: DB_PASSWORD, value: ... }` pair;
 * keys holding secrets scanned too. The input is not modified. Iterative, so hostile nesting cannot
 * exhaust the stack; shared and cyclic references are copied once.
 *
 * `tick` is called per value: once it throws `OutOfTime`, the string being redacted and every string not
 * yet reached is replaced by a marker saying so (never stored unread), and the walk finishes the copy.
 */
export function redactValue<T>(
  value: T,
  compiled: CompiledRedaction,
  report: RedactionReport,
  tick: Tick = UNLIMITED,
): T {
  const counts = report.redactions;
  let expired = false;
  let unreachedKeys = 0;
  const text = (input: string): string => {
    if (!expired) {
      try {
        return compiled.within(input, counts, tick);
      } catch (error) {
        if (!(error instanceof OutOfTime)) throw error;
        expired = true;
      }
    }
    if (input.length < MIN_UNREAD) return input;
    report.unreached++;
    return unreachedMarker(input);
  };
  if (typeof value === 'string') return text(value) as T;
  if (value === null || typeof value !== 'object') return value;
  const checkNames = !compiled.disabled.has('secret-field');
  const copies = new Map<object, Container>();
  const rootCopy: Container = Array.isArray(value) ? [] : {};
  copies.set(value, rootCopy);
  const stack: Array<{ source: Container; target: Container; secret: boolean }> = [
    { source: value as unknown as Container, target: rootCopy, secret: false },
  ];
  while (stack.length > 0) {
    const { source, target, secret } = stack.pop()!;
    const isArray = Array.isArray(source);
    const keys: Array<string | number> = isArray ? Array.from(source.keys()) : Object.keys(source);
    const pairedKey =
      !isArray && checkNames && !secret ? pairedSecretKey(source as Record<string, unknown>) : undefined;
    for (const key of keys) {
      if (!expired) {
        try {
          tick();
        } catch (error) {
          if (!(error instanceof OutOfTime)) throw error;
          expired = true;
        }
      }
      const item = (source as Record<string | number, unknown>)[key];
      let outKey = key;
      if (typeof key === 'string' && key.length >= MIN_KEY_SCAN) {
        outKey = expired ? `${TRUNCATION_MARKER} key ${++unreachedKeys}` : text(key);
        if (expired && outKey !== key) report.unreached++;
      }
      const secretHere =
        secret ||
        (checkNames &&
          typeof key === 'string' &&
          (isSecretName(key) ||
            key === pairedKey ||
            ((key === 'auth' || key === '_auth') && typeof item === 'string' && BASE64_CREDENTIAL.test(item))));
      let out: unknown = item;
      if (typeof item === 'string') {
        if (secretHere && !compiled.keep(item)) {
          out = marker('secret-field');
          counts['secret-field'] = (counts['secret-field'] ?? 0) + 1;
        } else if (expired && source === value && ALWAYS_READ.has(key as string) && item.length <= MAX_ALWAYS_READ) {
          out = compiled.text(item, counts);
        } else {
          out = text(item);
        }
      } else if (item !== null && typeof item === 'object') {
        const seen = copies.get(item);
        if (seen) {
          out = seen;
        } else {
          const copy: Container = Array.isArray(item) ? [] : {};
          copies.set(item, copy);
          stack.push({ source: item as Container, target: copy, secret: secretHere });
          out = copy;
        }
      }
      put(target, outKey, out);
    }
  }
  return rootCopy as T;
}

/** Options for one redaction. */
export interface RedactOptions {
  /** Time (milliseconds of `clock`) after which what is not yet redacted is replaced by a marker, unread. */
  deadline?: number;
  /** The clock `deadline` is read on (default `Date.now`). */
  clock?: () => number;
}

/**
 * Removes secrets from a hook payload before it is stored; returns counts by detector, and how many
 * strings were replaced unread because the deadline passed (absent when none were).
 */
export type PayloadRedactor = (
  payload: HookPayload,
  options?: RedactOptions,
) => { payload: HookPayload; redactions: RedactionCounts; unreached?: number };

function redactorFor(compiled: CompiledRedaction): PayloadRedactor {
  return (payload, options = {}) => {
    const report: RedactionReport = { redactions: {}, unreached: 0 };
    const tick = options.deadline === undefined ? UNLIMITED : deadlineTick(options.deadline, options.clock);
    const redacted = redactValue(payload, compiled, report, tick);
    return {
      payload: redacted,
      redactions: report.redactions,
      ...(report.unreached > 0 ? { unreached: report.unreached } : {}),
    };
  };
}

/**
 * Remove secrets from any JSON value (an object, an array, a string...) with the built-in detectors, or
 * `options`: the same rules as the hook's payloads. Returns a redacted copy and counts by detector.
 */
export function redactJson<T>(value: T, options?: RedactionOptions): { value: T; redactions: RedactionCounts } {
  const report: RedactionReport = { redactions: {}, unreached: 0 };
  const compiled = options ? compileRedaction(options) : defaultCompiledRedaction();
  return { value: redactValue(value, compiled, report), redactions: report.redactions };
}

let defaultRedactor: PayloadRedactor | undefined;

/**
 * A payload redactor: the built-in detectors plus `options` (extra patterns, allowed values, detectors
 * switched off, e-mails). Patterns are compiled here, once. Usable as `parseHookEvent`'s `redact`.
 */
export function createRedactor(options?: RedactionOptions): PayloadRedactor {
  if (!options) {
    defaultRedactor ??= redactorFor(defaultCompiledRedaction());
    return defaultRedactor;
  }
  return redactorFor(compileRedaction(options));
}
