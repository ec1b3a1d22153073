// Fake credentials for tests, assembled at run time from pieces so the repository never holds a string
// that a secret scanner would flag. Each is the shape of the real thing, filled from a seeded generator.

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}-_`;
export const HEX = '0123456789abcdef';

/** A small deterministic generator (mulberry32), so failures reproduce. */
export function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  };
}

const g = generator(20261125);
const join = (...parts: string[]) => parts.join('');

/** 40 base64 characters with upper, lower, digits and a slash, like every AWS secret access key. */
function awsSecret(): string {
  return join(g.pick(UPPER, 4), g.pick(LOWER, 4), g.pick(DIGITS, 4), '/', g.pick(ALNUM, 27));
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function pemBody(lines: number): string {
  return Array.from({ length: lines }, () => g.pick(BASE64, 64)).join('\n');
}

export const fake = {
  awsAccessKeyId: join('AK', 'IA', g.pick(`${UPPER}234567`, 16)),
  awsSessionKeyId: join('AS', 'IA', g.pick(`${UPPER}234567`, 16)),
  awsSecretKey: awsSecret(),
  githubClassic: join('gh', 'p_', g.pick(ALNUM, 36)),
  githubFineGrained: join('github', '_pat_', g.pick(ALNUM, 22), '_', g.pick(ALNUM, 59)),
  gitlab: join('gl', 'pat-', g.pick(ALNUM, 20)),
  anthropic: join('sk', '-ant-', 'api03-', g.pick(BASE64URL, 93), 'AA'),
  openaiProject: join('sk', '-proj-', g.pick(BASE64URL, 64)),
  openaiLegacy: join('sk', '-', g.pick(ALNUM, 20), 'T3Blbk', 'FJ', g.pick(ALNUM, 20)),
  slackBot: join('xo', 'xb-', g.pick(DIGITS, 12), '-', g.pick(DIGITS, 13), '-', g.pick(ALNUM, 24)),
  slackWebhookPath: join('T', g.pick(UPPER + DIGITS, 8), '/B', g.pick(UPPER + DIGITS, 10), '/', g.pick(ALNUM, 24)),
  stripeLive: join('sk', '_live_', g.pick(ALNUM, 24)),
  stripeWebhook: join('wh', 'sec_', g.pick(ALNUM, 32)),
  googleApiKey: join('AI', 'za', g.pick(BASE64URL, 35)),
  npm: join('np', 'm_', g.pick(ALNUM, 36)),
  jwt: join(
    base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
    '.',
    base64url(JSON.stringify({ sub: 'user-4821', role: 'admin', iat: 1764100000 })),
    '.',
    g.pick(BASE64URL, 43),
  ),
  opaqueBearer: join(g.pick(ALNUM, 8), '.', g.pick(ALNUM, 30), g.pick(DIGITS, 2)),
  basicCredential: Buffer.from(join('deploy', ':', g.pick(ALNUM, 14))).toString('base64'),
  password: join('Tr0ub4', 'dor&', g.pick(ALNUM, 6)),
  wordPassword: 'correcthorsebatterystaple',
  rsaKey: join(
    '-----BEGIN RSA ',
    'PRIVATE KEY-----\n',
    'MIIEpAIBAAKCAQEA',
    pemBody(6),
    '\n-----END RSA ',
    'PRIVATE KEY-----',
  ),
  opensshKey: join(
    '-----BEGIN OPENSSH ',
    'PRIVATE KEY-----\n',
    'b3BlbnNzaC1rZXktdjEAAAAA',
    pemBody(4),
    '\n-----END OPENSSH ',
    'PRIVATE KEY-----',
  ),
  pkcs8Key: join(
    '-----BEGIN ',
    'PRIVATE KEY-----\n',
    'MIIEvgIBADANBgkqhkiG9w0BAQEFAASC',
    pemBody(5),
    '\n-----END ',
    'PRIVATE KEY-----',
  ),
  random: (alphabet: string, length: number) => g.pick(alphabet, length),
};
