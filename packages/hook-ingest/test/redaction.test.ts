import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BUILTIN_LABELS, createRedactor, createTextRedactor, isSecretName, redactText } from '../src/index.js';
import { BASE64, HEX, fake } from './helpers/fake-secrets.js';

const f = fake;
const azureKey = `${f.random(BASE64, 86)}==`;
const vaultToken = ['hv', 's.', f.random(BASE64.replace('+/', '_-'), 90)].join('');
const sasSignature = `${f.random(BASE64.replace('+/', ''), 30)}%3D`;

/** [label, text holding the secret, the secret, text that must survive around it] */
const detected: Array<[string, string, string, string]> = [
  ['aws-access-key', `aws_access_key_id = ${f.awsAccessKeyId}`, f.awsAccessKeyId, 'aws_access_key_id = '],
  [
    'aws-access-key',
    `{"AccessKeyId": "${f.awsSessionKeyId}", "Expiration": "2026-11-25T22:00:00Z"}`,
    f.awsSessionKeyId,
    '"Expiration"',
  ],
  [
    'aws-secret-key',
    `[default]\naws_secret_access_key = ${f.awsSecretKey}\nregion = us-east-1`,
    f.awsSecretKey,
    'region = us-east-1',
  ],
  [
    'aws-secret-key',
    `{"Credentials": {"SecretAccessKey": "${f.awsSecretKey}"}}`,
    f.awsSecretKey,
    '"SecretAccessKey": "',
  ],
  ['aws-secret-key', `export AWS_SECRET_ACCESS_KEY=${f.awsSecretKey}`, f.awsSecretKey, 'export AWS_SECRET_ACCESS_KEY='],
  [
    'aws-secret-key',
    `Access key ID,Secret access key\n${f.awsAccessKeyId},${f.awsSecretKey}\n`,
    f.awsSecretKey,
    'Access key ID',
  ],
  [
    'github-token',
    `git remote set-url origin https://x-access-token:${f.githubClassic}@github.com/acme/api.git`,
    f.githubClassic,
    'github.com/acme/api.git',
  ],
  ['github-token', `export GH_TOKEN=${f.githubFineGrained}`, f.githubFineGrained, 'export GH_TOKEN='],
  [
    'gitlab-token',
    `curl -H "PRIVATE-TOKEN: ${f.gitlab}" https://gitlab.example.com/api/v4/projects`,
    f.gitlab,
    'https://gitlab.example.com',
  ],
  ['anthropic-key', `ANTHROPIC_API_KEY=${f.anthropic} claude -p "hi"`, f.anthropic, 'claude -p "hi"'],
  ['openai-key', `client = OpenAI(api_key="${f.openaiProject}")`, f.openaiProject, 'client = OpenAI(api_key="'],
  ['openai-key', `OPENAI_API_KEY: ${f.openaiLegacy}`, f.openaiLegacy, 'OPENAI_API_KEY: '],
  ['slack-token', `slack.chat.postMessage token=${f.slackBot} channel=C024BE91L`, f.slackBot, 'channel=C024BE91L'],
  [
    'slack-webhook',
    `curl -X POST https://hooks.slack.com/services/${f.slackWebhookPath} -d @msg.json`,
    f.slackWebhookPath,
    'https://hooks.slack.com/services/',
  ],
  ['stripe-key', `stripe.api_key = "${f.stripeLive}"`, f.stripeLive, 'stripe.api_key = "'],
  ['stripe-key', `STRIPE_WEBHOOK_SECRET=${f.stripeWebhook}`, f.stripeWebhook, 'STRIPE_WEBHOOK_SECRET='],
  [
    'google-api-key',
    `https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=${f.googleApiKey}`,
    f.googleApiKey,
    'address=Paris',
  ],
  ['npm-token', `//registry.npmjs.org/:_authToken=${f.npm}`, f.npm, '//registry.npmjs.org/:_authToken='],
  ['jwt', `set-cookie: session=${f.jwt}; Path=/; HttpOnly`, f.jwt, 'Path=/; HttpOnly'],
  ['jwt', `curl -H "Authorization: Bearer ${f.jwt}" https://api.internal/v1/me`, f.jwt, 'Authorization: Bearer '],
  [
    'auth-header',
    `curl -H "Authorization: Bearer ${f.opaqueBearer}" https://api.internal/v1/me`,
    f.opaqueBearer,
    'Authorization: Bearer ',
  ],
  [
    'auth-header',
    `curl -H 'Authorization: Basic ${f.basicCredential}' https://ci.internal`,
    f.basicCredential,
    'Authorization: Basic ',
  ],
  [
    'auth-header',
    `{"headers": {"authorization": "token ${f.opaqueBearer}"}}`,
    f.opaqueBearer,
    '"authorization": "token ',
  ],
  ['private-key', `$ cat id_rsa\n${f.rsaKey}\n$ ls`, f.rsaKey.split('\n')[2]!, '$ ls'],
  ['private-key', `${f.opensshKey}\n`, f.opensshKey.split('\n')[1]!, ''],
  [
    'private-key',
    `{"type": "service_account", "private_key": "${f.pkcs8Key.replaceAll('\n', '\\n')}\\n", "client_email": "ci@proj.iam.gserviceaccount.com"}`,
    f.pkcs8Key.split('\n')[3]!,
    '"client_email"',
  ],
  [
    'private-key',
    `$ head -3 server.key\n${f.rsaKey.split('\n').slice(0, 3).join('\n')}\n`,
    f.rsaKey.split('\n')[1]!,
    '$ head -3 server.key',
  ],
  [
    'url-password',
    `DATABASE_URL=postgres://payments:${f.password}@db.internal:5432/payments`,
    f.password,
    '@db.internal:5432/payments',
  ],
  ['url-password', `mongodb+srv://admin:${f.password}@cluster0.mongodb.net/test`, f.password, 'mongodb+srv://admin:'],
  ['url-password', `curl -u deploy:${f.password} https://ci.internal/job/build`, f.password, 'curl -u deploy:'],
  ['secret-assignment', `database:\n  user: app\n  password: "${f.wordPassword}"\n`, f.wordPassword, 'user: app'],
  ['secret-assignment', `{"client_id": "web", "client_secret": "${f.password}"}`, f.password, '"client_id": "web"'],
  ['secret-assignment', `GET /callback?code=abc&access_token=${f.password}&state=xyz`, f.password, '&state=xyz'],
  [
    'secret-assignment',
    `curl -H "X-Api-Key: ${f.password}" https://api.example.com`,
    f.password,
    'https://api.example.com',
  ],
  ['secret-assignment', `mysql -u root --password ${f.wordPassword} -h db`, f.wordPassword, '-h db'],
  ['secret-assignment', `spring.datasource.password=${f.password}`, f.password, 'spring.datasource.password='],
  ['secret-assignment', `{\\"apiKey\\": \\"${f.password}\\"}`, f.password, '{\\"apiKey\\": \\"'],
  ['env-secret', `DB_HOST=db.internal\nDB_PASSWORD=${f.wordPassword}\nDB_PORT=5432\n`, f.wordPassword, 'DB_PORT=5432'],
  ['env-secret', `export SENTRY_AUTH_TOKEN='${f.wordPassword}'`, f.wordPassword, 'export SENTRY_AUTH_TOKEN='],
  [
    'env-secret',
    `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${f.wordPassword}\n`,
    f.wordPassword,
    'POSTGRES_PASSWORD: ',
  ],
  ['env-secret', `docker run -e REDIS_PASS=${f.wordPassword} redis:7`, f.wordPassword, 'redis:7'],
  ['env-secret', `PGPASSWORD=${f.wordPassword} psql -h db -U app`, f.wordPassword, ' psql -h db -U app'],
  ['env-secret', `MYSQL_PWD=${f.wordPassword} mysql -u root`, f.wordPassword, ' mysql -u root'],
  [
    'env-secret',
    `env:\n  - name: DB_PASSWORD\n    value: "${f.wordPassword}"\n`,
    f.wordPassword,
    '- name: DB_PASSWORD',
  ],
  ['env-secret', `[{"name": "API_TOKEN", "value": "${f.wordPassword}"}]`, f.wordPassword, '"name": "API_TOKEN"'],
  [
    'secret-assignment',
    `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${azureKey};EndpointSuffix=core.windows.net`,
    azureKey,
    ';EndpointSuffix=core.windows.net',
  ],
  [
    'secret-assignment',
    `{"auths": {"registry.acme.io": {"auth": "${f.basicCredential}"}}}`,
    f.basicCredential,
    '"registry.acme.io"',
  ],
  ['secret-assignment', `//npm.acme.io/:_auth=${f.basicCredential}`, f.basicCredential, '//npm.acme.io/:_auth='],
  ['secret-assignment', 'password: 48213377\nuser: app', '48213377', 'user: app'],
  ['env-secret', 'MYSQL_ROOT_PASSWORD=CORRECT_HORSE_BATTERY', 'CORRECT_HORSE_BATTERY', 'MYSQL_ROOT_PASSWORD='],
  ['secret-assignment', 'redis:\n  password: "3.14.159"', '3.14.159', 'redis:'],
  ['cli-password', `mysql -uroot -p${f.wordPassword} orders`, f.wordPassword, ' orders'],
  ['cli-password', `docker login -u deploy -p ${f.wordPassword} registry.acme.io`, f.wordPassword, ' registry.acme.io'],
  ['cli-password', `sshpass -p '${f.wordPassword}' ssh deploy@host`, f.wordPassword, "' ssh deploy@host"],
  ['cli-password', `redis-cli -h cache -a ${f.wordPassword} ping`, f.wordPassword, ' ping'],
  [
    'aws-secret-key',
    `aws configure set aws_secret_access_key ${f.awsSecretKey}`,
    f.awsSecretKey,
    'aws configure set aws_secret_access_key ',
  ],
  [
    'netrc-password',
    `machine api.acme.io login deploy password ${f.wordPassword}`,
    f.wordPassword,
    'login deploy password ',
  ],
  ['vault-token', `vault login ${vaultToken}`, vaultToken, 'vault login '],
  [
    'azure-sas',
    `https://acme.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=${sasSignature}`,
    sasSignature,
    '&sp=r&sig=',
  ],
];

/** [what it is, text] — ordinary content shaped like a secret. */
const lookAlikes: Array<[string, string]> = [
  [
    'git SHAs',
    `commit 9fceb02d0ae598e95dc970b74767f19372d61af8\nMerge: 1a2b3c4 5d6e7f8\n${f.random(HEX, 40)} refs/heads/main`,
  ],
  ['a git SHA next to a key name', `"sha": "${f.random(HEX, 40)}", "tree": {"sha": "${f.random(HEX, 40)}"}`],
  ['UUIDs', `session_id=3f2b7c1e-0d4a-4c7e-9b1a-6a2f0e9d8c11 request_id: 9b1a6a2f-0e9d-4c7e-8c11-3f2b7c1e0d4a`],
  ['a base64 image', `data:image/png;base64,${Buffer.from(f.random(BASE64, 40_000)).toString('base64')}`],
  [
    'npm lockfile integrity hashes',
    `"node_modules/zod": {\n  "version": "4.6.7",\n  "integrity": "sha512-${f.random(BASE64, 86)}=="\n}`,
  ],
  [
    'pnpm lockfile entries',
    `  '@aws-sdk/credential-provider-node@3.972.98':\n    resolution: {integrity: sha512-${f.random(BASE64, 86)}==}\n  '@aws-sdk/token-providers': 3.1175.0\n`,
  ],
  ['Cargo.lock checksums', `[[package]]\nname = "serde"\nversion = "1.0.215"\nchecksum = "${f.random(HEX, 64)}"`],
  ['go.sum hashes', `golang.org/x/crypto v0.31.0 h1:${f.random(BASE64, 43)}=\n`],
  ['token counts', `{"usage": {"input_tokens": 5231, "output_tokens": 812}, "max_tokens": 1024, "token_count": 42}`],
  [
    'code that names secrets',
    `const token = await getToken(req);\nif (password === confirmPassword) return;\nthis.secret = options.secret;\ninterface Login { password: string; token?: Token }`,
  ],
  ['header names in code', `headers: { Authorization: process.env.AUTH_HEADER }\nconst authorization: boolean = true;`],
  [
    'Kubernetes secret references',
    `env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-creds\n        key: password\nsecretName: tls-cert`,
  ],
  [
    'references instead of values',
    'DB_PASSWORD=${DB_PASSWORD}\npassword: "{{ .Values.db.password }}"\ntoken: $GITHUB_TOKEN\nAuthorization: Bearer $TOKEN\nAPI_KEY=$(cat /run/secrets/api_key)',
  ],
  [
    'ordinary env lines',
    'PWD=/home/dev/src/payments\nPATH=/usr/local/bin:/usr/bin\nAWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID_FILE=/run/secrets/aws_key_id\nTOKEN_TTL_SECONDS=3600',
  ],
  [
    'URLs without passwords',
    'https://github.com/acme/api.git git@github.com:acme/api.git http://localhost:8080/health ssh://git@host:22/repo https://user@example.com/',
  ],
  [
    'prose about credentials',
    'Rotate the API key in the console, then store the token in Vault. Basic authentication is disabled; use a Bearer token instead.',
  ],
  ['key-like prefixes inside words', 'risk-assessment task-scheduler ASIAN AKIAB desk-lamp eyJhbGciOiJIUzI1NiJ9'],
  ['text already redacted', 'password: [REDACTED:secret-assignment] token=[REDACTED:github-token]'],
  [
    'a bearer token read from a field in a template literal',
    'const headers = { Authorization: `Bearer ${this.bearerToken}` };',
  ],
  ['a bash substring of a token', 'echo "${TOKEN:0:15}..." && echo "${#PASSWORD}" && : "${API_KEY:?missing}"'],
  [
    'placeholders in docs',
    'curl -H "Authorization: Bearer {your_token}" https://api.acme.io\nheaders = {"Authorization": f"Bearer {self.token}"}',
  ],
  ['GitHub Actions secrets', 'env:\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}'],
  [
    'minified code',
    'function Xe(e,t){return e.password=t.password,e.token=t.token,{headers:{Authorization:"Bearer "+e.accessToken},secret:r,key:i1}}',
  ],
  ['types in code', 'interface Key { apiKey: Uint8Array; token?: string | null }'],
  [
    'commands that prompt or read from stdin',
    'mysql -u root -p orders\necho "$PAT" | docker login ghcr.io -u me --password-stdin\nsshpass -e ssh host\nredis-cli -a "$REDIS_PASSWORD" ping',
  ],
  ['version ranges', '"@aws-sdk/credential-providers": "^3.972.0", "passport": "0.7.0", "secret-handshake": "1.1.20"'],
];

describe('built-in detectors', () => {
  test.each(detected)('%s: removed from %j', (label, text, secret, kept) => {
    const { text: out, redactions } = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${label}]`);
    expect(redactions[label]).toBeGreaterThanOrEqual(1);
    expect(out).toContain(kept);
  });

  test.each(lookAlikes)('leaves %s alone', (_name, text) => {
    expect(redactText(text)).toEqual({ text, redactions: {} });
  });

  test('every detector label in the table is a built-in one, and every built-in one is tested', () => {
    const tested = new Set(detected.map(([label]) => label));
    for (const label of tested) expect(BUILTIN_LABELS).toContain(label);
    const untested = BUILTIN_LABELS.filter((l) => !tested.has(l) && l !== 'secret-field' && l !== 'email');
    expect(untested).toEqual([]);
  });

  test('the example on-call session stores with nothing redacted', () => {
    const redact = createRedactor();
    const lines = readFileSync(new URL('../../../apps/cli/examples/oncall-session.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const payload = JSON.parse(line) as Record<string, unknown>;
      expect(redact(payload)).toEqual({ payload, redactions: {} });
    }
  });
});

describe('createRedactor', () => {
  const base = { session_id: 's-1', hook_event_name: 'PostToolUse', cwd: '/srv/app' };

  test('walks nested objects and arrays in tool_input and tool_response alike', () => {
    const payload = {
      ...base,
      tool_input: {
        command: `gh auth login --with-token <<< ${f.githubClassic}`,
        args: ['--env', `NPM_TOKEN=${f.npm}`],
      },
      tool_response: { stdout: `export AWS_ACCESS_KEY_ID=${f.awsAccessKeyId}`, files: [{ content: f.rsaKey }] },
    };
    const { payload: out, redactions } = createRedactor()(payload);
    const text = JSON.stringify(out);
    for (const secret of [f.githubClassic, f.npm, f.awsAccessKeyId, f.rsaKey.split('\n')[1]!])
      expect(text).not.toContain(secret);
    expect(redactions).toEqual({ 'github-token': 1, 'npm-token': 1, 'aws-access-key': 1, 'private-key': 1 });
    expect(out).toMatchObject({ ...base, tool_input: { args: ['--env', 'NPM_TOKEN=[REDACTED:npm-token]'] } });
  });

  test('replaces whole values under keys that name secrets, at any depth', () => {
    const payload = {
      ...base,
      tool_input: {
        db: { user: 'app', password: f.wordPassword },
        apiKey: 'plain',
        headers: { Authorization: `Bearer ${f.opaqueBearer}` },
      },
      tool_response: { credentials: { username: 'ops', pin: '4821' }, max_tokens: 'unlimited', secretName: 'db-creds' },
    };
    const { payload: out, redactions } = createRedactor()(payload);
    expect(out).toEqual({
      ...base,
      tool_input: {
        db: { user: 'app', password: '[REDACTED:secret-field]' },
        apiKey: '[REDACTED:secret-field]',
        headers: { Authorization: '[REDACTED:secret-field]' },
      },
      tool_response: {
        credentials: { username: '[REDACTED:secret-field]', pin: '[REDACTED:secret-field]' },
        max_tokens: 'unlimited',
        secretName: 'db-creds',
      },
    });
    expect(redactions).toEqual({ 'secret-field': 5 });
  });

  test('removes secrets used as keys', () => {
    const { payload } = createRedactor()({ ...base, tool_response: { [f.githubClassic]: 'valid' } });
    expect(JSON.stringify(payload)).not.toContain(f.githubClassic);
    expect(payload.tool_response).toEqual({ '[REDACTED:github-token]': 'valid' });
  });

  test('does not modify its input and keeps __proto__ as a plain key', () => {
    const input = JSON.parse(
      `{"session_id":"s","hook_event_name":"E","__proto__":{"token":"${f.password}"},"list":[1,true,null]}`,
    ) as Record<string, unknown>;
    const before = JSON.stringify(input);
    const { payload } = createRedactor()(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(payload))).toEqual(
      JSON.parse(
        '{"session_id":"s","hook_event_name":"E","__proto__":{"token":"[REDACTED:secret-field]"},"list":[1,true,null]}',
      ),
    );
  });

  test('survives nesting far deeper than the stack and cyclic objects', () => {
    let deep: Record<string, unknown> = { token: f.password };
    for (let i = 0; i < 200_000; i++) deep = { d: deep };
    const cyclic: Record<string, unknown> = { note: `key ${f.stripeLive}` };
    cyclic.self = cyclic;
    const { payload, redactions } = createRedactor()({ ...base, deep, cyclic });
    expect(redactions).toEqual({ 'secret-field': 1, 'stripe-key': 1 });
    const copy = payload.cyclic as Record<string, unknown>;
    expect(copy.self).toBe(copy);
  });

  test('extra patterns, allowed values, switched-off detectors and e-mails', () => {
    const redact = createRedactor({
      patterns: [
        { regex: /ACME-[0-9]{8}/, label: 'acme-license' },
        { regex: 'ticket_key=(?<secret>\\w+)', label: 'ticket', ignoreCase: true },
      ],
      allow: [f.stripeLive, /^AKIA/],
      disable: ['jwt'],
      emails: true,
    });
    const { payload, redactions } = redact({
      ...base,
      prompt: `license ACME-20261125, TICKET_KEY=abc123, keys ${f.stripeLive} ${f.awsAccessKeyId}, jwt ${f.jwt}, mail dana.ops@payments.example.com`,
    });
    expect(payload.prompt).toBe(
      `license [REDACTED:acme-license], TICKET_KEY=[REDACTED:ticket], keys ${f.stripeLive} ${f.awsAccessKeyId}, jwt ${f.jwt}, mail [REDACTED:email]`,
    );
    expect(redactions).toEqual({ 'acme-license': 1, ticket: 1, email: 1 });
  });

  test('e-mail addresses are kept unless switched on', () => {
    expect(redactText('paged dana.ops@payments.example.com at 14:02').redactions).toEqual({});
    expect(createTextRedactor({ emails: true })('paged dana.ops@payments.example.com at 14:02')).toBe(
      'paged [REDACTED:email] at 14:02',
    );
  });
});

describe('isSecretName', () => {
  test.each([
    'password',
    'DB_PASSWORD',
    'apiKey',
    'x-api-key',
    'client_secret',
    'id_token',
    'AWS_SECRET_ACCESS_KEY',
    'SessionToken',
    'privateKey',
    'GITHUB_TOKEN',
    'Authorization',
    'REDIS_PASS',
  ])('%s names a secret', (name) => expect(isSecretName(name)).toBe(true));
  test.each([
    'max_tokens',
    'token_count',
    'tokenizer',
    'passport',
    'bypass',
    'secretName',
    'secretKeyRef',
    'password_file',
    'access_key_id',
    'tokenUrl',
    'PWD',
    'keyboard',
    'monkey',
  ])('%s does not', (name) => expect(isSecretName(name)).toBe(false));
});
