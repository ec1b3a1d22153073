import { COMMAND_DETECTORS, TOKEN_DETECTORS } from './commands.js';
import { jwtDetector } from './jwt.js';
import { nameValueDetector } from './name-value.js';
import { patternDetector } from './pattern.js';
import { privateKeyDetector } from './private-key.js';
import type { Detector } from './types.js';
import { isCode, isKeywordOrType, isSecretNameText } from './values.js';

const AWS_KEY_ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'];
const AWS_KEY_ID = `(?:${AWS_KEY_ID_PREFIXES.join('|')})[A-Z0-9]{16}`;
/** 40 characters of base64 not inside a longer run: the shape of an AWS secret access key. */
const AWS_SECRET = '(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])';

const hasDigit = (s: string) => /[0-9]/.test(s);
const hasLetterAndDigit = (s: string) => /[0-9]/.test(s) && /[A-Za-z]/.test(s);

/** `Basic <base64>` whose content decodes to `user:password`. */
function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return /^[^\s:]{1,256}:[^\n]{1,256}$/.test(decoded) && !decoded.includes('\uFFFD');
}

/**
 * Detectors that recognise a secret by its own shape, most specific first. Key-name detectors
 * (`password: ...`, `TOKEN=...`) run after these, so `Authorization: Bearer <jwt>` is reported as a JWT.
 */
export const SHAPE_DETECTORS: readonly Detector[] = [
  // A key pair on one line (`AKIA... wJalr...`, CSV exports): the secret half, before the id is replaced.
  patternDetector({
    label: 'aws-secret-key',
    regex: () => new RegExp(`\\b${AWS_KEY_ID}[\\s,;:|"'=]{1,5}${AWS_SECRET}`, 'g'),
    hints: AWS_KEY_ID_PREFIXES,
    accept: hasLetterAndDigit,
  }),
  // `aws_secret_access_key = ...`, `"SecretAccessKey": "..."`, `AWS Secret Access Key [None]: ...`.
  patternDetector({
    label: 'aws-secret-key',
    regex: () =>
      new RegExp(
        `secret[ _-]?(?:access[ _-]?)?key(?:[ \\t]{0,16}\\[[^\\]\\n]{0,24}\\])?\\\\?["']?[ \\t]{0,16}[:=][ \\t]{0,16}\\\\?["']?${AWS_SECRET}`,
        'gi',
      ),
    hints: ['secret', 'Secret', 'SECRET'],
  }),
  patternDetector({
    label: 'aws-access-key',
    regex: () => new RegExp(`\\b${AWS_KEY_ID}\\b`, 'g'),
    hints: AWS_KEY_ID_PREFIXES,
  }),
  patternDetector({
    label: 'github-token',
    regex: () => /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22,96}_[A-Za-z0-9]{30,160})\b/g,
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  }),
  patternDetector({ label: 'gitlab-token', regex: () => /\bglpat-[A-Za-z0-9_-]{20,4096}/g, hints: ['glpat-'] }),
  patternDetector({ label: 'anthropic-key', regex: () => /\bsk-ant-[A-Za-z0-9_-]{20,4096}/g, hints: ['sk-ant-'] }),
  patternDetector({
    label: 'openai-key',
    regex: () =>
      /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,4096}|[A-Za-z0-9]{16,4096}T3BlbkFJ[A-Za-z0-9]{16,4096}|[A-Za-z0-9]{48}(?![A-Za-z0-9_-]))/g,
    hints: ['sk-'],
  }),
  patternDetector({
    label: 'slack-token',
    regex: () => /\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,4096}/g,
    hints: ['xox', 'xapp-'],
  }),
  patternDetector({
    label: 'slack-webhook',
    regex: () => /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9/_-]{20,4096})/g,
    hints: ['hooks.slack.com'],
  }),
  patternDetector({
    label: 'stripe-key',
    regex: () => /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,4096}|whsec_[A-Za-z0-9]{24,4096})/g,
    hints: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'],
  }),
  patternDetector({
    label: 'google-api-key',
    regex: () => /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    hints: ['AIza'],
  }),
  patternDetector({ label: 'npm-token', regex: () => /\bnpm_[A-Za-z0-9]{36}\b/g, hints: ['npm_'] }),
  ...TOKEN_DETECTORS,
  privateKeyDetector,
  jwtDetector,
  // `Authorization: Bearer x`, `"authorization": "Basic x"`, `-H 'Authorization: token x'`: the scheme stays.
  patternDetector({
    label: 'auth-header',
    regex: () =>
      /authorization\\?["']?[ \t]{0,64}[:=][ \t]{0,256}(?:\\?["'`][ \t]{0,16})?(?:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256)[ \t]{1,16}(?<secret>[^\s"'`\\,;]{4,4096})/gi,
    hints: ['authorization', 'Authorization', 'AUTHORIZATION'],
  }),
  // `Authorization: <credential>` with no scheme; code (`authorization: boolean`, `process.env[...]`) is left.
  patternDetector({
    label: 'auth-header',
    regex: () =>
      /authorization\\?["']?[ \t]{0,64}[:=][ \t]{0,256}(?:\\?["'`][ \t]{0,16})?(?<secret>[^\s"'`\\,;]{4,4096})/gi,
    hints: ['authorization', 'Authorization', 'AUTHORIZATION'],
    accept: (s) =>
      !/^(?:bearer|basic|token|digest|negotiate|ntlm|required|optional|header)$/i.test(s) &&
      !isKeywordOrType(s) &&
      !isCode(s),
  }),
  // A bearer token outside a header line (`--header Bearer x`, logs).
  patternDetector({
    label: 'auth-header',
    regex: () => /\b[Bb]earer[ \t]{1,16}(?<secret>[A-Za-z0-9._~+/-]{16,4096}={0,2})/g,
    hints: ['Bearer', 'bearer'],
    accept: hasDigit,
  }),
  patternDetector({
    label: 'auth-header',
    regex: () => /\bBasic[ \t]{1,16}(?<secret>[A-Za-z0-9+/]{8,4096}={0,2})(?![A-Za-z0-9+/=])/g,
    hints: ['Basic'],
    accept: isBasicCredential,
  }),
  // `postgres://app:pw@db`, `https://user:token@github.com/...`: only the password goes.
  patternDetector({
    label: 'url-password',
    regex: () => /:\/\/[^\s:@/?#"'<>\\]{1,256}:(?<secret>[^\s@/?#"'<>\\]{1,256})@/g,
    hints: ['://'],
    accept: (s) => !isSecretNameText(s),
  }),
  // `curl -u user:pw`, `--user user:pw`, `--proxy-user user:pw`.
  patternDetector({
    label: 'url-password',
    regex: () =>
      /(?<=^|[\s"'])(?:-u|--user|--proxy-user)(?:[ \t]{1,16}|=)["']?[^\s:"']{1,256}:(?<secret>[^\s"']{1,256})/g,
    hints: ['-u', '--user', '--proxy-user'],
  }),
  ...COMMAND_DETECTORS,
  nameValueDetector,
];

/** Every built-in label, for docs and for validating `disable`. */
export const BUILTIN_LABELS: readonly string[] = [
  ...new Set([...SHAPE_DETECTORS.flatMap((d) => d.labels), 'secret-assignment', 'env-secret', 'secret-field', 'email']),
];
