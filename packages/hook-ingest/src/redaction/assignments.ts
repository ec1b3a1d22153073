import { judgeName } from './names.js';
import { isCode, isKeywordOrType, isPlaceholder, isReference, isSecretNameText, isUnquotedSecret } from './values.js';
import { UNLIMITED, type Tick } from './deadline.js';
import type { Detector, Finding } from './types.js';

/** Words inside every secret-looking name, in the cases names are written in (`apiKey`, `DB_PASS`). */
const KEYWORDS = ['pass', 'secret', 'token', 'credential', 'authorization', 'key', 'pwd'];
/** Plus `auth` as a whole name (`"auth": "<base64>"` in docker's config, `_auth=` in .npmrc). */
export const KEYWORD_HINTS: readonly string[] = [
  ...KEYWORDS.flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]),
  'auth',
];

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 || // -
    code === 46 // .
  );
}

const isBlank = (code: number) => code === 32 || code === 9;

function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}
const WHITESPACE = ' \t\n\r\f\v';
/** Where an unquoted value ends: whitespace, quotes, and punctuation that closes or separates. */
const VALUE_END = charTable(`${WHITESPACE}"'\`,;&)}]<>|`);
const ENV_VALUE_END = charTable(WHITESPACE);

/** Longest value considered, quoted or not: longer runs are not credentials (and bound the work per name). */
const MAX_VALUE = 4096;

/**
 * End (exclusive) of a quoted value opening at `open` with `quote`, on the same line and within
 * {@link MAX_VALUE} characters; -1 when there is none. Minified code keeps whole files on one line,
 * so nothing here searches to the end of a line.
 */
function closingQuote(text: string, open: number, quote: string, escaped: boolean): number {
  const limit = Math.min(text.length, open + MAX_VALUE);
  const q = quote.charCodeAt(0);
  for (let i = open; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) return -1;
    if (escaped) {
      // `\"` closes a value inside JSON text; any other escape is skipped whole.
      if (code === 92) {
        if (text.charCodeAt(i + 1) === q) return i;
        i++;
      }
      continue;
    }
    if (code === 92) {
      i++;
      continue;
    }
    if (code === q) return i;
  }
  return -1;
}

function endOfUnquoted(text: string, from: number, stop: Uint8Array): number {
  let i = from;
  const limit = Math.min(text.length, from + MAX_VALUE);
  for (; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code < 128 && stop[code] === 1) break;
  }
  return i;
}

/** A bare word that is code by its look and what follows it: `apiKey: Uint8Array;`, minified `{key:i1,`. */
function isBareCode(text: string, value: string, valueEnd: number): boolean {
  if (!/^[A-Za-z_$][\w$]*$/.test(value)) return false;
  if (!CODE_AFTER.has(text[valueEnd] ?? '')) return false;
  return TYPE_NAME.test(value) || value.length <= 3;
}

/** `static TOKEN_TTL: number`, `export declare const DEFAULT_SECRET: Uint8Array`: a typed declaration. */
const DECLARATION = /\b(?:const|let|var|static|readonly|declare|export|public|private|protected)\s[^\n]*$/;

function isDeclaration(text: string, nameStart: number): boolean {
  const before = text.slice(Math.max(0, nameStart - 200), nameStart);
  return DECLARATION.test(before.slice(before.lastIndexOf('\n') + 1));
}

/** Where a reference opening at `at` ends (`${...}`, `$(...)`, `{{...}}`, `{...}`, `<...>`, `%(...)s`), or -1. */
function referenceEnd(text: string, at: number): number {
  const c = text[at];
  const d = text[at + 1];
  let close: string;
  if (c === '$' && d === '{') close = text[at + 2] === '{' ? '}}' : '}';
  else if (c === '$' && d === '(') close = ')';
  else if (c === '#' && d === '{') close = '}';
  else if (c === '%' && d === '(') close = ')s';
  else if (c === '{') close = d === '{' ? '}}' : '}';
  else if (c === '<') close = '>';
  else return -1;
  const limit = Math.min(text.length, at + 256);
  for (let i = at + 1; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) return -1;
    if (text.startsWith(close, i)) return i + close.length;
  }
  return -1;
}

/** `Uint8Array`, `SecretString`: a type written where a value would go. */
const TYPE_NAME = /^(?:[A-Z][a-z]+\d*)+$/;
/** Punctuation after a bare word that says it is code: `apiKey: Uint8Array;`, `{key:i1,`. */
const CODE_AFTER = new Set([';', ',', ')', '}', '|', '>', '[', '=']);
/** An auth scheme alone, the start of a concatenation: `"Bearer " + token`. */
const SCHEME_ONLY = /^\s*(?:bearer|basic|token|digest)\s*$/i;
const NUMBER = /^\d{4,}$/;
/** The shape of `auth`/`_auth` values that are credentials: base64 of `user:password`. */
const BASE64_CREDENTIAL = /^[A-Za-z0-9+/]{12,}={0,2}$/;

const names = new Map<string, { secret: boolean; password: boolean }>();

/** `judgeName`, remembered: the same few names repeat all through a text. */
function judged(name: string): { secret: boolean; password: boolean } {
  let known = names.get(name);
  if (known === undefined) {
    known = judgeName(name);
    if (names.size > 4096) names.clear();
    names.set(name, known);
  }
  return known;
}

/**
 * Values of names that hold secrets, in any text: `password: x`, `"apiKey": "x"`, `token = 'x'`,
 * `?access_token=x&`, `X-Api-Key: x`, `--password x`, and env lines `DB_PASSWORD=x` (`env-secret`).
 * `hits` are the positions of {@link KEYWORD_HINTS} in the text.
 */
export function findAssignments(text: string, hits: readonly number[], tick: Tick = UNLIMITED): Finding[] {
  const findings: Finding[] = [];
  let consumed = 0;
  for (const hit of hits) {
    if (hit < consumed) continue;
    tick();
    let start = hit;
    let end = hit;
    while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--;
    while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
    consumed = end;
    // `--password`, `.token.`: dashes and dots around the name are punctuation.
    let nameStart = start;
    while (nameStart < end && (text[nameStart] === '-' || text[nameStart] === '.')) nameStart++;
    let nameEnd = end;
    while (nameEnd > nameStart && text[nameEnd - 1] === '.') nameEnd--;
    const isFlag = nameStart - start >= 2 && text.startsWith('--', start);
    // `@aws-sdk/credential-provider-node`, `pkg/token-utils`: part of a path or package name.
    const before = text.charCodeAt(start - 1);
    if (before === 47 || before === 64 || before === 92) continue;
    // `${TOKEN:0:15}`, `${API_KEY:-}`, `${#PASSWORD}`: a shell expansion, not an assignment.
    if (
      text[start - 1] === '{'
        ? text[start - 2] === '$'
        : (text[start - 1] === '#' || text[start - 1] === '!') && text[start - 2] === '{' && text[start - 3] === '$'
    )
      continue;

    let p = nameEnd;
    // The closing quote of a quoted key: `"token":`, `'token' =>`, `\"token\":` (JSON inside a string).
    if (text[p] === '\\' && text[p + 1] === '"') p += 2;
    else if (text[p] === '"' || text[p] === "'") p++;
    const beforeSeparator = p;
    while (isBlank(text.charCodeAt(p))) p++;
    const spaceBefore = p > beforeSeparator;
    const c = text[p];
    const next = text[p + 1];
    let separator: string;
    if (c === ':' && next === '=') separator = ':=';
    else if (c === '=' && next === '>') separator = '=>';
    else if (c === '=' && next !== '=' && next !== '~') separator = '=';
    else if (c === ':' && next !== ':' && next !== '/' && next !== '\\') separator = ':';
    else if (isFlag && spaceBefore && c !== undefined && c !== '\n' && c !== '\r' && c !== '-') separator = ' ';
    else continue;
    const name = text.slice(nameStart, nameEnd);
    // `spring.datasource.password` is a password; `token.indent` is not: the last segment decides.
    const lastDot = name.lastIndexOf('.');
    const last = lastDot === -1 ? name : name.slice(lastDot + 1);
    const authName = last === 'auth' || last === '_auth';
    const judgement = judged(last);
    if (!authName && !judgement.secret) continue;
    const password = !authName && judgement.password;
    if (separator !== ' ') p += separator.length;
    const afterSeparator = p;
    while (isBlank(text.charCodeAt(p))) p++;
    const spaceAfter = p > afterSeparator;

    const q = text[p];
    let valueStart: number;
    let valueEnd: number;
    let quoted = true;
    if (q === '\\' && text[p + 1] === '"') {
      valueStart = p + 2;
      valueEnd = closingQuote(text, valueStart, '"', true);
    } else if (q === '"' || q === "'" || q === '`') {
      valueStart = p + 1;
      valueEnd = closingQuote(text, valueStart, q, false);
    } else {
      quoted = false;
      valueStart = p;
      valueEnd = -1;
      // `${{ secrets.TOKEN }}`, `{{ .Values.password }}`, `<your-token>`: a reference, whole.
      const reference = referenceEnd(text, p);
      if (reference !== -1 && isReference(text.slice(p, reference))) {
        consumed = reference;
        continue;
      }
    }
    // Upper-case names written `NAME=value` (env files, shells) or `NAME: value` (compose, CI YAML) are
    // environment variables: any value counts, not only random-looking ones.
    const envLine = ENV_NAME.test(name) && !spaceBefore && separator === '=';
    const envYaml =
      ENV_NAME.test(name) && !spaceBefore && separator === ':' && spaceAfter && !isDeclaration(text, start);
    const envStyle = envLine || envYaml;
    if (!quoted) valueEnd = endOfUnquoted(text, valueStart, envLine ? ENV_VALUE_END : VALUE_END);
    if (valueEnd <= valueStart) continue;
    consumed = valueEnd;
    const value = text.slice(valueStart, valueEnd);
    if (isSecretNameText(value)) continue;
    if (authName) {
      if (BASE64_CREDENTIAL.test(value))
        findings.push({ start: valueStart, end: valueEnd, label: 'secret-assignment' });
      continue;
    }
    let secret: boolean;
    if (quoted) secret = password ? !isReference(value) : !isPlaceholder(value) && !SCHEME_ONLY.test(value);
    else if (envLine || isFlag) secret = password ? !isReference(value) : !isPlaceholder(value);
    else if (isBareCode(text, value, valueEnd)) secret = false;
    else if (envYaml)
      secret = (password ? !isReference(value) : !isPlaceholder(value)) && !isCode(value) && !isKeywordOrType(value);
    // Bare words only when they look random; under a password's name also digits, `UPPER_SNAKE`, versions.
    else
      secret =
        isUnquotedSecret(value) ||
        (password && !isReference(value) && (NUMBER.test(value) || isPlaceholder(value)) && value.trim().length >= 3);
    if (!secret) continue;
    findings.push({
      start: valueStart,
      end: valueEnd,
      label: envStyle ? 'env-secret' : 'secret-assignment',
      ...(password ? { literal: true } : {}),
    });
  }
  return findings;
}

export const assignmentDetector: Detector = {
  labels: ['secret-assignment', 'env-secret'],
  hints: KEYWORD_HINTS,
  find: findAssignments,
};
