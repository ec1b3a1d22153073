import { isSecretName } from './names.js';

/** Judging a candidate value: is it a real secret, or a placeholder, a reference or code that names one? */

export const MARKER_PREFIX = '[REDACTED:';

/** The text left in place of a removed secret. */
export function marker(label: string): string {
  return `${MARKER_PREFIX}${label}]`;
}

/**
 * References and placeholders, not values: `$TOKEN`, `${DB_PASSWORD}`, `{{ .Values.token }}`,
 * `%(password)s`, `<your-token>`, `***`, `xxxx`, `STRING_VALUE`, and text already redacted.
 */
const PLACEHOLDER = /^(?:[A-Z]+(?:_[A-Z]+)+|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\(.*|\{\{.*\}\}|%\(.*\)s|<[^<>]*>|\*+|x+|X+|•+|\.\.\.|…|\[REDACTED:.*)$/s;

/** Version numbers and ranges (`3.972.98`, `^1.2.0`, `>=20`) fill lockfiles and manifests; never secrets. */
const VERSION = /^[\^~>=<v ]*\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/;

export function isPlaceholder(value: string): boolean {
  return value.trim().length < 3 || PLACEHOLDER.test(value) || VERSION.test(value);
}

/** Unquoted words that are never secrets: literals and type names. */
const PLAIN_WORDS = /^(?:true|false|null|nil|none|undefined|yes|no|on|off)$/i;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
/** `this.password`, `os.environ`, `req.body.token`, `getToken(`, `secrets[` */
const CODE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|^[A-Za-z_$][\w$.]*[([]/;

/** Literals and type names written where a value would go: `authorization: boolean`, `token: true`. */
const KEYWORD_OR_TYPE = /^(?:true|false|null|nil|none|undefined|boolean|string|number|any|unknown|object|bytes|str|int)$/i;

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
