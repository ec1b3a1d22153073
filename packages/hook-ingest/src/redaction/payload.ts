import type { HookPayload } from '@runbook/storage-core';
import { isSecretName } from './names.js';
import { compileRedaction, defaultCompiledRedaction, type CompiledRedaction } from './text.js';
import type { RedactionCounts, RedactionOptions } from './types.js';
import { marker } from './values.js';

type Container = Record<string, unknown> | unknown[];

/** Keys shorter than this are names (`command`, `stdout`), never worth scanning. */
const MIN_KEY_SCAN = 16;

function put(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string | number, unknown>)[key] = value;
}

/**
 * A redacted copy of a JSON value: every string (in objects and arrays, at any depth) passed through the
 * text detectors, every string under a key that names a secret (`password`, `apiKey`, `DB_TOKEN`...)
 * replaced whole (`secret-field`), keys holding secrets scanned too. The input is not modified.
 * Iterative, so hostile nesting cannot exhaust the stack; shared and cyclic references are copied once.
 */
export function redactValue<T>(value: T, compiled: CompiledRedaction, counts: RedactionCounts): T {
  if (typeof value === 'string') return compiled.text(value, counts) as T;
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
    for (const key of keys) {
      const item = (source as Record<string | number, unknown>)[key];
      let outKey = key;
      if (typeof key === 'string' && key.length >= MIN_KEY_SCAN) outKey = compiled.text(key, counts);
      const secretHere = secret || (checkNames && typeof key === 'string' && isSecretName(key));
      let out: unknown = item;
      if (typeof item === 'string') {
        if (secretHere && !compiled.keep(item)) {
          out = marker('secret-field');
          counts['secret-field'] = (counts['secret-field'] ?? 0) + 1;
        } else {
          out = compiled.text(item, counts);
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

/** Removes secrets from a hook payload before it is stored; returns counts by detector. */
export type PayloadRedactor = (payload: HookPayload) => { payload: HookPayload; redactions: RedactionCounts };

function redactorFor(compiled: CompiledRedaction): PayloadRedactor {
  return (payload) => {
    const redactions: RedactionCounts = {};
    return { payload: redactValue(payload, compiled, redactions), redactions };
  };
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
