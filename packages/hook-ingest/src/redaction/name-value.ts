import { isSecretName } from './names.js';
import { UNLIMITED, type Tick } from './deadline.js';
import type { Detector, Finding } from './types.js';
import { isReference, isSecretNameText } from './values.js';

/**
 * A secret's name and value in separate fields of one entry: Kubernetes and compose env lists
 * (`- name: DB_PASSWORD` then `value: ...`), ECS task definitions (`{"name": "DB_PASSWORD", "value": "..."}`),
 * in YAML or JSON text. The value goes (`env-secret`); `valueFrom`, references and other names stay.
 */

const NAME_CHAR = /[A-Za-z0-9_.-]/;
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
/** What may sit between the name's field and the value's field: line breaks, indentation, `,`, quotes. */
const BETWEEN = /[\s,"'\\-]/;
const MAX_BETWEEN = 160;

/** Position after an optional closing quote of a key (`"`, `'`, `\"`) and a `:` or `=` with blanks around it; -1 if none. */
function afterKey(text: string, p: number): number {
  if (text[p] === '\\' && text[p + 1] === '"') p += 2;
  else if (text[p] === '"' || text[p] === "'") p++;
  for (let n = 0; n < 16 && isBlank(text[p]); n++) p++;
  if (text[p] !== ':' && text[p] !== '=') return -1;
  p++;
  for (let n = 0; n < 16 && isBlank(text[p]); n++) p++;
  return p;
}

/** A quoted or bare value at `p`: its range without quotes, or undefined. */
function valueAt(text: string, p: number): { start: number; end: number } | undefined {
  let quote = '';
  if (text[p] === '\\' && text[p + 1] === '"') {
    quote = '\\"';
    p += 2;
  } else if (text[p] === '"' || text[p] === "'") {
    quote = text[p]!;
    p++;
  }
  const start = p;
  const limit = Math.min(text.length, p + 1024);
  for (; p < limit; p++) {
    const c = text[p]!;
    if (c === '\n' || c === '\r') break;
    if (quote ? text.startsWith(quote, p) : c === ',' || c === '}' || c === ' ' || c === '\t' || c === '"') break;
    if (quote.length === 1 && c === '\\') p++;
  }
  if (quote && !text.startsWith(quote, p)) return undefined;
  return p > start ? { start, end: p } : undefined;
}

export function findNameValuePairs(text: string, hits: readonly number[], tick: Tick = UNLIMITED): Finding[] {
  const findings: Finding[] = [];
  let covered = 0;
  for (const at of hits) {
    if (at < covered) continue;
    tick();
    if (at > 0 && NAME_CHAR.test(text[at - 1]!)) continue;
    let p = afterKey(text, at + 4);
    if (p === -1) continue;
    if (text[p] === '\\' && text[p + 1] === '"') p += 2;
    else if (text[p] === '"' || text[p] === "'") p++;
    const nameStart = p;
    while (p < text.length && p - nameStart < 128 && NAME_CHAR.test(text[p]!)) p++;
    if (p === nameStart || !isSecretName(text.slice(nameStart, p))) continue;
    const limit = Math.min(text.length, p + MAX_BETWEEN);
    while (p < limit && BETWEEN.test(text[p]!)) p++;
    if (
      !/^value\b/i.test(text.slice(p, p + 6)) ||
      (text[p + 5] !== '"' &&
        text[p + 5] !== "'" &&
        text[p + 5] !== '\\' &&
        text[p + 5] !== ':' &&
        text[p + 5] !== '=' &&
        !isBlank(text[p + 5]))
    )
      continue;
    const valueKeyEnd = afterKey(text, p + 5);
    if (valueKeyEnd === -1) continue;
    const value = valueAt(text, valueKeyEnd);
    if (!value) continue;
    covered = value.end;
    const literal = text.slice(value.start, value.end);
    if (isReference(literal) || isSecretNameText(literal)) continue;
    findings.push({ start: value.start, end: value.end, label: 'env-secret', literal: true });
  }
  return findings;
}

export const nameValueDetector: Detector = {
  labels: ['env-secret'],
  hints: ['name', 'Name'],
  find: findNameValuePairs,
};
