import { isSecretName } from './names.js';

/** Judging a candidate value: is it a real secret, or a placeholder, a reference or code that names one? */

export const MARKER_PREFIX = '[REDACTED:';

/** The text left in place of a removed secret. */
export function marker(label: string): string {
  return `${MARKER_PREFIX}${label}]`;
}

/**
 * References to a secret, not the secret: `$TOKEN`, `${DB_PASSWORD}`, `${TOKEN:0:15}`, `${this.token}`,
 * `${{ secrets.NPM_TOKEN }}`, `$(gh auth token)`, `{{ .Values.token }}`, `{your_token}`, `{self.token}`,
 * `#{token}`, `%(password)s`, `%DB_PASSWORD%`, `$env:API_KEY`, `<your-token>`; filler such as `***`, `xxxx`,
 * `…`; and text already redacted. A scheme in front (`Bearer ${token}`) is part of the reference.
 */
const REFERENCE = new RegExp(
  [
    '\\$\\{\\{[^\\n]{0,256}\\}\\}',
    '\\$\\{[^{}\\n]{1,256}\\}',
    '\\$[A-Za-z_][A-Za-z0-9_]{0,127}',
    '\\$env:[A-Za-z_][A-Za-z0-9_]{0,127}',
    '\\$\\([^\\n]{0,256}',
    '\\{\\{[^\\n]{0,256}\\}\\}',
    '\\{[A-Za-z_][\\w.\\-\\[\\]\'"]{0,127}\\}',
    '#\\{[^{}\\n]{1,256}\\}',
    '%\\([^\\n]{0,128}\\)s',
    '%[A-Za-z_][A-Za-z0-9_]{0,127}%',
    '<[^<>\\n]{1,128}>',
    '\\*+',
    'x+',
    'X+',
    '•+',
    '\\.\\.\\.',
    '…',
    '\\[REDACTED:[^\\n]{0,256}',
  ]
    .map((alternative) => `(?:(?:bearer|basic|token)[ \\t]+)?${alternative}`)
    .join('|')
    .replace(/^/, '^(?:')
    .replace(/$/, ')$'),
  'i',
);

/** Words that fill a value's place in examples: `STRING_VALUE`, `CHANGE_ME`; short values. */
const PLACEHOLDER_WORD = /^[A-Z]+(?:_[A-Z]+)+$/;

/** Version numbers and ranges (`3.972.98`, `^1.2.0`, `>=20`) fill lockfiles and manifests; never secrets. */
const VERSION = /^[\^~>=<v ]*\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/;

/** A reference to a secret or filler, never the secret itself (see {@link REFERENCE}). */
export function isReference(value: string): boolean {
  return value.length <= 600 && REFERENCE.test(value);
}

/** References, filler, and the shapes of values that are not secrets in general: upper-case words, versions. */
export function isPlaceholder(value: string): boolean {
  return value.trim().length < 3 || isReference(value) || PLACEHOLDER_WORD.test(value) || VERSION.test(value);
}

/** Unquoted words that are never secrets: literals and type names. */
const PLAIN_WORDS = /^(?:true|false|null|nil|none|undefined|yes|no|on|off)$/i;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
/** `this.password`, `os.environ`, `req.body.token`, `getToken(`, `secrets[` */
const CODE = /^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)+$|^[A-Za-z_$][\w$.?!]*[([]/;

/** Literals and type names written where a value would go: `authorization: boolean`, `token: true`. */
const KEYWORD_OR_TYPE =
  /^(?:true|false|null|nil|none|undefined|boolean|string|number|any|unknown|object|bytes|str|int)$/i;

export function isKeywordOrType(value: string): boolean {
  return KEYWORD_OR_TYPE.test(value);
}

/**
 * A value that is itself the name of a secret, not one: `"X-Amz-Security-Token"`,
 * `"AWS_CONTAINER_AUTHORIZATION_TOKEN"`, `user:password@host` in docs.
 */
export function isSecretNameText(value: string): boolean {
  return value.length <= 64 && /^[A-Za-z][A-Za-z_.-]*$/.test(value) && isSecretName(value);
}

/** `TEST_CREDENTIALS.secretAccessKey`, `getPassword(`: code, not a value. */
export function isCode(value: string): boolean {
  return CODE.test(value);
}
const LETTERS_ONLY = /^[A-Za-z_]+$/;

/**
 * Whether an unquoted value after a secret-looking name (`password: x`, `token = x`) is a literal secret.
 * Code and prose put identifiers there (`token: string`, `password = getPassword()`, `secret: required`),
 * so a bare word of letters only is left alone; anything with a digit or a symbol is taken as a secret.
 */
export function isUnquotedSecret(value: string): boolean {
  if (isPlaceholder(value)) return false;
  if (PLAIN_WORDS.test(value) || NUMBER.test(value) || CODE.test(value) || LETTERS_ONLY.test(value)) return false;
  const first = value.charCodeAt(0);
  // `{`, `[`, `(`: a structure or expression follows, not a value.
  return first !== 123 && first !== 91 && first !== 40;
}
