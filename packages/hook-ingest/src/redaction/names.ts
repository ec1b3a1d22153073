/**
 * Which names (object keys, YAML/JSON keys, env variables, headers, flags) hold secrets.
 * A name is split into words (`AWS_SECRET_ACCESS_KEY` → aws secret access key, `apiKey` → api key,
 * `X-Api-Key` → x api key) and judged on whole words, so `max_tokens`, `tokenizer` and `passport` are
 * left alone while `id_token`, `DB_PASSWORD` and `client_secret` are not.
 */

/** Words that on their own make a name secret. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pass',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'authorization',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
  'authtoken',
]);

/** Words that make a name secret when followed by `key`: `api_key`, `private-key`, `signingKey`. */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'client',
  'account',
  'storage',
  'shared',
]);

/**
 * Last words that say the value is about a secret rather than the secret itself:
 * `secretName`, `token_count`, `password_file`, `tokenUrl`, `access_key_id`, `secretKeyRef`.
 */
const NOT_A_VALUE = new Set([
  'name',
  'names',
  'id',
  'ids',
  'count',
  'counts',
  'type',
  'types',
  'ref',
  'refs',
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'url',
  'uri',
  'endpoint',
  'length',
  'len',
  'limit',
  'limits',
  'size',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'at',
  'provider',
  'kind',
  'field',
  'fields',
  'env',
  'var',
  'header',
  'policy',
  'mode',
  'rotation',
  'hint',
  'prompt',
  'label',
  'version',
  'format',
  'arn',
  'enabled',
  'required',
  'min',
  'max',
  'store',
  'manager',
  'source',
  'location',
  'strength',
  'reset',
  'changed',
  'updated',
  'created',
  'valid',
  'validity',
  'usage',
  'scope',
  'scopes',
  'ms',
  'seconds',
  'secs',
  'interval',
  'timeout',
  'param',
  'params',
  'parameter',
  'attribute',
  'property',
]);

/** Split a name into lower-case words at `_`, `-`, `.`, spaces and camelCase humps. */
export function nameWords(name: string): string[] {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Words naming a password: `password`, `DB_PASS`, `PGPASSWORD`, `MYSQL_PWD` (not `PWD`, the working directory). */
function isPasswordWord(word: string, index: number, count: number): boolean {
  if (word === 'password' || word === 'passwd' || word === 'pass' || word === 'passphrase') return true;
  // `pgpassword`, `rootpasswd`: a prefix run into the word.
  if (word.length > 8 && (word.endsWith('password') || word.endsWith('passwd'))) return true;
  return word === 'pwd' && count > 1 && index === count - 1;
}

/** Whether `name` names a secret, and whether a password. */
export function judgeName(name: string): { secret: boolean; password: boolean } {
  const no = { secret: false, password: false };
  if (name.length < 3 || name.length > 128) return no;
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined || NOT_A_VALUE.has(last)) return no;
  let secret = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (isPasswordWord(word, i, words.length)) return { secret: true, password: true };
    if (SECRET_WORDS.has(word)) secret = true;
    else if (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) secret = true;
  }
  return { secret, password: false };
}

/** True when a value stored under `name` should be treated as a secret. */
export function isSecretName(name: string): boolean {
  return judgeName(name).secret;
}

/**
 * True when `name` names a password. Any value under it is one, whatever it looks like: digits only,
 * `UPPER_SNAKE`, a version number (references such as `${DB_PASSWORD}` aside).
 */
export function isPasswordName(name: string): boolean {
  return judgeName(name).password;
}
