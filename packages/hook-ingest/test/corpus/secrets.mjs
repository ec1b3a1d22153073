// A labelled corpus for redaction: text (and JSON values) holding secrets that must go, and look-alikes and
// references that must stay exactly as written. Every value is fake, drawn from a seeded generator and
// assembled at run time, so the repository holds no string a secret scanner would flag.

/** mulberry32: the same corpus on every run. */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (alphabet, length) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

const pick = generator(20261129);
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const B64 = `${ALNUM}+/`;
const j = (...parts) => parts.join('');

/** A password the way people make them: a word, digits, a symbol, more letters. */
const password = () => j(pick(UPPER, 1), pick(LOWER, 5), pick(DIGITS, 3), pick('!#%*-_', 1), pick(ALNUM, 4));
const awsSecret = () => j(pick(UPPER, 3), pick(LOWER, 3), pick(DIGITS, 3), '/', pick(ALNUM, 30));
const base64Of = (text) => Buffer.from(text).toString('base64');
const b64 = (n) => j(pick(B64, n - 2), '==');
const hex = (n) => pick('0123456789abcdef', n);

const s = {
  pg: password(),
  mysqlPwd: password(),
  mysqlInline: password(),
  mysqlQuoted: password(),
  awsConfigure: awsSecret(),
  awsSession: j('IQoJb3JpZ2luX2Vj', pick(B64, 180)),
  azureKey: b64(88),
  sasSig: j(pick(ALNUM, 20), '%2B', pick(ALNUM, 16), '%3D'),
  dockerAuth: base64Of(j('deploy:', password())),
  npmAuth: base64Of(j('ci-bot:', password())),
  netrc: hex(40),
  netrcMulti: password(),
  k8sValue: password(),
  k8sUnquoted: j(pick(ALNUM, 24)),
  ecsText: password(),
  ecsObject: password(),
  dockerObject: base64Of(j('ci:', password())),
  ssmObject: password(),
  dockerLogin: password(),
  sshpass: password(),
  redis: password(),
  vaultLogin: j('hv', 's.', pick(`${ALNUM}_-`, 90)),
  vaultHeader: j('hv', 's.', pick(`${ALNUM}_-`, 24)),
  vaultJson: j('hv', 's.', pick(`${ALNUM}_-`, 90)),
  numeric: pick(DIGITS, 8),
  numericJson: pick(DIGITS, 6),
  upperSnake: 'WINTER_IS_COMING_2024',
  upperSnakeEnv: 'CORRECT_HORSE_BATTERY',
  versionShaped: '2024.06.11',
  versionYaml: '3.14.159',
  bearerLiteral: j(pick(ALNUM, 12), '.', pick(ALNUM, 28), pick(DIGITS, 2)),
  dbUrl: password(),
  envPassword: password(),
  jsonSecret: j(pick(ALNUM, 32)),
  flagPassword: password(),
  curlUser: password(),
  awsPairSecret: awsSecret(),
  awsPairId: j('AK', 'IA', pick(`${UPPER}234567`, 16)),
  github: j('gh', 'p_', pick(ALNUM, 36)),
  pem: j(
    '-----BEGIN RSA ',
    'PRIVATE KEY-----\nMIIEpAIBAAKCAQEA',
    pick(B64, 48),
    '\n',
    pick(B64, 64),
    '\n-----END RSA ',
    'PRIVATE KEY-----',
  ),
};

/**
 * Text that holds secrets: each listed secret must be gone from the redacted text. `kind` groups the
 * figures; `name` says what the case is.
 */
export const mustGo = [
  // Database clients and their environment.
  {
    kind: 'database',
    name: 'PGPASSWORD before psql',
    text: `PGPASSWORD=${s.pg} psql -h db.internal -U app -d orders -c 'select 1'`,
    secrets: [s.pg],
  },
  {
    kind: 'database',
    name: 'MYSQL_PWD exported',
    text: `export MYSQL_PWD='${s.mysqlPwd}'\nmysql -h 10.0.3.4 -u root orders`,
    secrets: [s.mysqlPwd],
  },
  {
    kind: 'database',
    name: 'mysql -p<password>',
    text: `mysql -uroot -p${s.mysqlInline} -h db.internal orders < dump.sql`,
    secrets: [s.mysqlInline],
  },
  {
    kind: 'database',
    name: "mysqldump -p'<password>'",
    text: `mysqldump -u admin -p'${s.mysqlQuoted}' --all-databases > all.sql`,
    secrets: [s.mysqlQuoted],
  },
  {
    kind: 'database',
    name: 'redis-cli -a',
    text: `redis-cli -h cache.internal -p 6379 -a ${s.redis} ping`,
    secrets: [s.redis],
  },
  {
    kind: 'database',
    name: 'password in a database URL',
    text: `DATABASE_URL=postgres://app:${s.dbUrl}@db.internal:5432/orders`,
    secrets: [s.dbUrl],
  },
  // Cloud credentials.
  {
    kind: 'cloud',
    name: 'aws configure set aws_secret_access_key',
    text: `aws configure set aws_secret_access_key ${s.awsConfigure} --profile prod`,
    secrets: [s.awsConfigure],
  },
  {
    kind: 'cloud',
    name: 'aws configure set aws_session_token',
    text: `aws configure set aws_session_token ${s.awsSession}`,
    secrets: [s.awsSession],
  },
  {
    kind: 'cloud',
    name: 'AWS key pair in a credentials file',
    text: `[default]\naws_access_key_id = ${s.awsPairId}\naws_secret_access_key = ${s.awsPairSecret}\n`,
    secrets: [s.awsPairId, s.awsPairSecret],
  },
  {
    kind: 'cloud',
    name: 'Azure storage connection string',
    text: `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${s.azureKey};EndpointSuffix=core.windows.net"`,
    secrets: [s.azureKey],
  },
  {
    kind: 'cloud',
    name: 'Azure SAS URL',
    text: `az storage blob download --blob-url "https://acmeprod.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&spr=https&sig=${s.sasSig}"`,
    secrets: [s.sasSig],
  },
  {
    kind: 'cloud',
    name: 'Vault login with an hvs. token',
    text: `$ vault login ${s.vaultLogin}\nSuccess! You are now authenticated.`,
    secrets: [s.vaultLogin],
  },
  {
    kind: 'cloud',
    name: 'Vault token header',
    text: `curl -s -H "X-Vault-Token: ${s.vaultHeader}" https://vault.internal:8200/v1/secret/data/app`,
    secrets: [s.vaultHeader],
  },
  {
    kind: 'cloud',
    name: 'Vault token in JSON output',
    text: `{"auth":{"client_token":"${s.vaultJson}","accessor":"8f3c","policies":["default"]}}`,
    secrets: [s.vaultJson],
  },
  // Registries and logins.
  {
    kind: 'registry',
    name: 'docker config.json auth',
    text: `{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "${s.dockerAuth}"\n    }\n  }\n}`,
    secrets: [s.dockerAuth],
  },
  {
    kind: 'registry',
    name: 'npmrc _auth',
    text: `registry=https://npm.acme.io/\n//npm.acme.io/:_auth=${s.npmAuth}\nalways-auth=true`,
    secrets: [s.npmAuth],
  },
  {
    kind: 'registry',
    name: 'docker login -p',
    text: `docker login -u deploy -p ${s.dockerLogin} registry.acme.io`,
    secrets: [s.dockerLogin],
  },
  {
    kind: 'registry',
    name: 'sshpass -p',
    text: `sshpass -p '${s.sshpass}' ssh -o StrictHostKeyChecking=no deploy@10.0.0.5 uptime`,
    secrets: [s.sshpass],
  },
  {
    kind: 'registry',
    name: '.netrc on one line',
    text: `machine api.heroku.com login dev@acme.io password ${s.netrc}`,
    secrets: [s.netrc],
  },
  {
    kind: 'registry',
    name: '.netrc over lines',
    text: `machine git.acme.io\n  login deploy\n  password ${s.netrcMulti}\n`,
    secrets: [s.netrcMulti],
  },
  // A name and its value in separate fields.
  {
    kind: 'name-value',
    name: 'Kubernetes env list, quoted',
    text: `env:\n  - name: LOG_LEVEL\n    value: info\n  - name: DB_PASSWORD\n    value: "${s.k8sValue}"\n`,
    secrets: [s.k8sValue],
  },
  {
    kind: 'name-value',
    name: 'Kubernetes env list, bare',
    text: `        - name: STRIPE_API_KEY\n          value: ${s.k8sUnquoted}\n`,
    secrets: [s.k8sUnquoted],
  },
  {
    kind: 'name-value',
    name: 'ECS task definition in text',
    text: `"environment": [{"name": "REGION", "value": "eu-west-1"}, {"name": "DB_PASSWORD", "value": "${s.ecsText}"}]`,
    secrets: [s.ecsText],
  },
  // Values that look like something else, under a password key.
  {
    kind: 'password-shapes',
    name: 'numeric password in YAML',
    text: `database:\n  user: app\n  password: ${s.numeric}\n`,
    secrets: [s.numeric],
  },
  {
    kind: 'password-shapes',
    name: 'numeric password in JSON text',
    text: `{"username": "admin", "password": ${s.numericJson}}`,
    secrets: [s.numericJson],
  },
  {
    kind: 'password-shapes',
    name: 'UPPER_SNAKE password',
    text: `admin_password = "${s.upperSnake}"`,
    secrets: [s.upperSnake],
  },
  {
    kind: 'password-shapes',
    name: 'UPPER_SNAKE password in env',
    text: `MYSQL_ROOT_PASSWORD=${s.upperSnakeEnv}`,
    secrets: [s.upperSnakeEnv],
  },
  {
    kind: 'password-shapes',
    name: 'version-shaped password in env',
    text: `DB_PASS=${s.versionShaped}`,
    secrets: [s.versionShaped],
  },
  {
    kind: 'password-shapes',
    name: 'version-shaped password in YAML',
    text: `redis:\n  password: "${s.versionYaml}"\n`,
    secrets: [s.versionYaml],
  },
  // Classes found before; kept here so the figures cover them.
  {
    kind: 'known',
    name: 'literal bearer token in a template position',
    text: `headers: { Authorization: \`Bearer ${s.bearerLiteral}\` }`,
    secrets: [s.bearerLiteral],
  },
  {
    kind: 'known',
    name: 'env file password',
    text: `APP_ENV=production\nDB_PASSWORD=${s.envPassword}\n`,
    secrets: [s.envPassword],
  },
  {
    kind: 'known',
    name: 'client_secret in JSON',
    text: `{"client_id": "web", "client_secret": "${s.jsonSecret}"}`,
    secrets: [s.jsonSecret],
  },
  {
    kind: 'known',
    name: '--password flag',
    text: `psql-admin --host db --password ${s.flagPassword}`,
    secrets: [s.flagPassword],
  },
  {
    kind: 'known',
    name: 'curl -u',
    text: `curl -u admin:${s.curlUser} https://jenkins.internal/api/json`,
    secrets: [s.curlUser],
  },
  {
    kind: 'known',
    name: 'GitHub token in a remote URL',
    text: `git remote set-url origin https://x-access-token:${s.github}@github.com/acme/api.git`,
    secrets: [s.github],
  },
  {
    kind: 'known',
    name: 'private key',
    text: `cat deploy.pem\n${s.pem}\n`,
    secrets: [s.pem.split('\n')[1], s.pem.split('\n')[2]],
  },
];

/** JSON values (tool inputs and outputs as the hook receives them) holding secrets. */
export const mustGoValues = [
  {
    kind: 'name-value',
    name: 'ECS environment list',
    value: {
      containerDefinitions: [
        {
          name: 'api',
          environment: [
            { name: 'PORT', value: '8080' },
            { name: 'DB_PASSWORD', value: s.ecsObject },
          ],
        },
      ],
    },
    secrets: [s.ecsObject],
  },
  {
    kind: 'registry',
    name: 'docker config.json read as JSON',
    value: { auths: { 'registry.acme.io': { auth: s.dockerObject } }, credsStore: 'desktop' },
    secrets: [s.dockerObject],
  },
  {
    kind: 'name-value',
    name: 'SSM parameter',
    value: { Parameter: { Name: 'STRIPE_SECRET_KEY', Type: 'SecureString', Value: s.ssmObject, Version: 3 } },
    secrets: [s.ssmObject],
  },
];

/** Text that must come out exactly as it went in: references to secrets, and things shaped like them. */
export const mustStay = [
  // References, in code and config: the code must stay readable and correct.
  {
    kind: 'reference',
    name: 'template literal with a bearer token field',
    text: 'const headers = { Authorization: `Bearer ${this.bearerToken}` };',
  },
  { kind: 'reference', name: 'bash substring of a token', text: 'echo "token starts with ${TOKEN:0:15}..."' },
  {
    kind: 'reference',
    name: 'bash default and required',
    text: 'API_KEY="${API_KEY:-}"\n: "${DB_PASSWORD:?DB_PASSWORD must be set}"',
  },
  {
    kind: 'reference',
    name: 'shell variable in a header',
    text: 'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
  },
  {
    kind: 'reference',
    name: 'process.env',
    text: 'const apiKey = process.env.OPENAI_API_KEY;\nconst token = process.env["SLACK_BOT_TOKEN"];',
  },
  {
    kind: 'reference',
    name: 'os.environ and getenv',
    text: 'password = os.environ["DB_PASSWORD"]\ntoken = os.getenv("SLACK_TOKEN")',
  },
  {
    kind: 'reference',
    name: 'Go os.Getenv',
    text: '\tPassword: os.Getenv("DB_PASSWORD"),\n\tToken:    os.Getenv("API_TOKEN"),',
  },
  { kind: 'reference', name: 'Ruby ENV', text: "password: ENV['DB_PASSWORD'],\napi_key: ENV.fetch('API_KEY')" },
  {
    kind: 'reference',
    name: 'docs placeholder in braces',
    text: 'curl -H "Authorization: Bearer {your_token}" https://api.acme.io/v1/me',
  },
  {
    kind: 'reference',
    name: 'docs placeholder in angle brackets',
    text: 'Authorization: Bearer <token>\nX-Api-Key: <your-api-key>',
  },
  { kind: 'reference', name: 'Helm template', text: 'password: {{ .Values.postgresql.auth.password | quote }}' },
  {
    kind: 'reference',
    name: 'GitHub Actions secret',
    text: 'env:\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
  },
  { kind: 'reference', name: 'Python f-string header', text: 'headers = {"Authorization": f"Bearer {self.token}"}' },
  {
    kind: 'reference',
    name: 'Python format placeholder',
    text: 'DSN = "postgresql://%(user)s:%(password)s@%(host)s/app"',
  },
  {
    kind: 'reference',
    name: 'compose variable',
    text: 'environment:\n  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  REDIS_PASSWORD: "$REDIS_PASSWORD"',
  },
  {
    kind: 'reference',
    name: 'Windows and PowerShell variables',
    text: 'set PGPASSWORD=%DB_PASSWORD%\n$env:API_KEY = $secretValue',
  },
  {
    kind: 'reference',
    name: 'command substitution',
    text: 'export GITHUB_TOKEN=$(gh auth token)\nVAULT_TOKEN=$(cat ~/.vault-token) vault status',
  },
  { kind: 'reference', name: 'PGPASSWORD from a variable', text: 'PGPASSWORD="$DB_PASS" psql -h "$DB_HOST" -U app' },
  {
    kind: 'reference',
    name: 'redis-cli and sshpass with variables',
    text: 'redis-cli -a "$REDIS_PASSWORD" ping\nsshpass -p "$SSHPASS" ssh deploy@host\nsshpass -e ssh deploy@host',
  },
  {
    kind: 'reference',
    name: 'npmrc with a variable',
    text: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n_auth=${NPM_AUTH}',
  },
  {
    kind: 'reference',
    name: 'Kubernetes secretKeyRef',
    text: '- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db-credentials\n      key: password',
  },
  { kind: 'reference', name: 'Kubernetes env from a variable', text: '- name: API_TOKEN\n  value: "$(API_TOKEN)"' },
  // Code that names a secret without holding one.
  { kind: 'code', name: 'reading a header', text: 'const token = req.headers.authorization?.split(" ")[1];' },
  { kind: 'code', name: 'a check and its message', text: 'if (!password) throw new Error("password is required");' },
  {
    kind: 'code',
    name: 'keyword arguments passed on',
    text: 'client = Client(api_key=api_key, token=token, password=getpass.getpass())',
  },
  { kind: 'code', name: 'destructuring', text: 'const { token, password, apiKey } = credentials;' },
  {
    kind: 'code',
    name: 'types',
    text: 'interface Login {\n  password: string;\n  token?: string | null;\n  apiKey: Uint8Array;\n}',
  },
  {
    kind: 'code',
    name: 'minified bundle',
    text: 'function Xe(e,t){return e.password=t.password,e.token=t.token,e.apiKey=n.apiKey,{headers:{Authorization:"Bearer "+e.accessToken},secret:r,key:i}}var a={password:n,token:r,secret:o,apiKey:s};',
  },
  {
    kind: 'code',
    name: 'minified auth switch',
    text: 'case"password":return n.password;case"token":return n.token;default:return null',
  },
  // Configuration and output that only look like secrets.
  { kind: 'look-alike', name: 'working directory variables', text: 'PWD=/home/dev/src/api\nOLDPWD=/home/dev' },
  {
    kind: 'look-alike',
    name: 'mysql prompting for its password',
    text: 'mysql -u root -p orders\nmysql -h db.internal -u app -p',
  },
  {
    kind: 'look-alike',
    name: 'docker login from stdin',
    text: 'echo "$CR_PAT" | docker login ghcr.io -u octocat --password-stdin',
  },
  {
    kind: 'look-alike',
    name: 'aws configure set of settings',
    text: 'aws configure set region eu-west-1\naws configure set output json --profile prod',
  },
  {
    kind: 'look-alike',
    name: 'env list without secrets',
    text: 'env:\n  - name: LOG_LEVEL\n    value: debug\n  - name: PASSWORD_MIN_LENGTH\n    value: "12"',
  },
  {
    kind: 'look-alike',
    name: 'limits and counts',
    text: 'max_tokens: 4096\ntoken_count=1234\nTOKEN_TTL=3600\npassword_min_length: 12',
  },
  { kind: 'look-alike', name: 'versions', text: 'version: 1.2.3\n"@aws-sdk/credential-provider-node": "^3.972.0"' },
  {
    kind: 'look-alike',
    name: 'git and checksums',
    text: `commit 3f9c2a1b7e5d4c8a9f0e1d2c3b4a5f6e7d8c9b0a\nsha256:${'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}\nintegrity sha512-LaG0ZcJlVZF2WRwSmSzN5tC7Sn6HGLXFXUGtFvPGlW2zTRbCrA3fdvJpKc9WBQvwBFsqVKuaDVA1z1rbMMLAoA==`,
  },
  {
    kind: 'look-alike',
    name: 'UUIDs and ids',
    text: 'request_id=4f1c2b9e-8a3d-4e7f-9c1b-2d3e4f5a6b7c session=01JD7Y3K5Q8W2E4R6T8Y0U2I4O',
  },
  {
    kind: 'look-alike',
    name: 'prose about credentials',
    text: 'Set the Authorization header to your token, then rotate the password in the vault UI.',
  },
  {
    kind: 'look-alike',
    name: 'netrc documentation',
    text: 'Each line of .netrc has the form: machine <host> login <user> password <password>',
  },
  { kind: 'look-alike', name: 'a SAS URL template', text: 'url = f"{base}?{sas_params}&sig={signature}"' },
];

/** JSON values that must come out unchanged. */
export const mustStayValues = [
  {
    kind: 'look-alike',
    name: 'auth settings',
    value: { auth: 'oauth2', server: { auth: { type: 'basic', realm: 'internal' } } },
  },
  {
    kind: 'name-value',
    name: 'ECS environment without secrets',
    value: {
      environment: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'PORT', value: '8080' },
      ],
    },
  },
  {
    kind: 'name-value',
    name: 'ECS secret from SSM',
    value: {
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db-password' }],
    },
  },
  {
    kind: 'reference',
    name: 'env list with a reference',
    value: { env: [{ name: 'API_TOKEN', value: '${API_TOKEN}' }] },
  },
];
