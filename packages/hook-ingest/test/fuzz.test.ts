import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parseRecordLine } from '@runbook/storage-core/schema';
import { createLocalBackend, sessionFile } from '@runbook/storage-local';
import { ingestHookEvent, type IngestLimits } from '../src/index.js';
import { fake } from './helpers/fake-secrets.js';

// Random and adversarial hook input through ingest into the local backend. Properties: ingest never
// throws, nothing is written outside the base directory, every stored line parses as a record, and a
// known secret placed anywhere in a payload never reaches the file.

const root = mkdtempSync(path.join(tmpdir(), 'runbook-fuzz-'));
const baseDir = path.join(root, 'base');
mkdirSync(baseDir);
const backend = createLocalBackend({ baseDir });
const limits: Partial<IngestLimits> = { maxInputBytes: 256 * 1024, maxEventBytes: 16 * 1024, maxDepth: 12 };

afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((entry) =>
    path.join(entry.parentPath, entry.name),
  );
}

function storedLines(): string[] {
  return filesUnder(baseDir)
    .filter((file) => file.endsWith('.ndjson'))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
}

/** Session ids meant to escape or break the storage layout. */
const hostileSessionId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    '..',
    '../..',
    '../../etc/passwd',
    '/etc/passwd',
    '.',
    'a/../../b',
    'C:\\Windows',
    '\u0000',
    'con',
    'nul.txt',
    '~',
    '~2F',
    '%2e%2e%2f',
    ' ',
    '\n',
  ),
  fc.string({ minLength: 200, maxLength: 1200 }),
);

const eventName = fc.oneof(
  fc.constantFrom('PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'Stop', 'SessionStart'),
  fc.string({ minLength: 1, maxLength: 30 }),
);

/** Nesting built directly, deeper than the cap. */
const deepValue = fc.integer({ min: 10, max: 3000 }).map((n) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < n; i++) value = i % 2 ? [value] : { d: value };
  return value;
});

const payloadValue = fc.oneof(fc.jsonValue({ maxDepth: 6 }), deepValue, fc.string({ maxLength: 30_000 }));

const validEvent = fc.record({
  session_id: hostileSessionId,
  hook_event_name: eventName,
  cwd: fc.oneof(fc.string(), fc.constant('/srv/app')),
  tool_input: payloadValue,
  tool_response: payloadValue,
  extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
});

/** Anything on stdin: valid events, broken JSON, raw bytes, huge or deep text. */
const stdin = fc.oneof(
  { weight: 5, arbitrary: validEvent.map((e) => JSON.stringify(e)) },
  {
    weight: 2,
    arbitrary: validEvent
      .map((e) => JSON.stringify(e))
      .chain((s) => fc.integer({ min: 0, max: s.length }).map((n) => s.slice(0, n))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 2000 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 100_000 })
      .map((n) => `{"session_id":"deep","hook_event_name":"E","x":${'['.repeat(n)}${']'.repeat(n)}}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => '{'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant(`{"session_id":"big","hook_event_name":"E","x":"${'z'.repeat(300 * 1024)}"}`) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
);

const SECRETS = [
  fake.awsAccessKeyId,
  fake.githubClassic,
  fake.githubFineGrained,
  fake.anthropic,
  fake.openaiProject,
  fake.slackBot,
  fake.stripeLive,
  fake.googleApiKey,
  fake.npm,
  fake.jwt,
  fake.rsaKey,
];

/** Text holding one known secret, set apart by a separator from random text on both sides. */
const textWithSecret = fc.record({
  before: fc.string({ maxLength: 200 }),
  open: fc.constantFrom(' ', '\n', '"', '=', ': ', '(', '\t', ' token=', 'Authorization: Bearer '),
  secret: fc.constantFrom(...SECRETS),
  close: fc.constantFrom(' ', '\n', '"', ',', ';', ')', '\t'),
  after: fc.string({ maxLength: 200 }),
});

/** A payload with secrets at random places: in values, arrays, nested objects and keys. */
const eventWithSecrets = fc
  .record({
    sessionId: fc.string({ minLength: 1, maxLength: 20 }),
    values: fc.array(textWithSecret, { minLength: 1, maxLength: 4 }),
    shape: fc.jsonValue({ maxDepth: 4 }),
    asKey: fc.boolean(),
  })
  .map(({ sessionId, values, shape, asKey }) => {
    const texts = values.map((v) => `${v.before}${v.open}${v.secret}${v.close}${v.after}`);
    const payload = {
      session_id: sessionId,
      hook_event_name: 'PostToolUse',
      tool_input: { command: texts[0], shape },
      tool_response: {
        stdout: texts.slice(1).join('\n'),
        list: [shape, ...texts],
        nested: { deeper: { value: texts } },
      },
      ...(asKey ? { [texts[0]!]: shape } : {}),
    };
    return { sessionId, input: JSON.stringify(payload), secrets: values.map((v) => v.secret) };
  });

describe('ingest + storage-local under random and hostile input', () => {
  test('never throws, never writes outside the base directory, every stored line parses', async () => {
    await fc.assert(
      fc.asyncProperty(stdin, async (input) => {
        const result = await ingestHookEvent(input, backend, { limits });
        expect(['stored', 'duplicate', 'rejected']).toContain(result.status);
        if (result.status === 'rejected') expect(result.message).not.toContain('\n');
      }),
      { numRuns: 300, seed: 20261125 },
    );
    const outside = filesUnder(root).filter((file) => file !== baseDir && !file.startsWith(`${baseDir}${path.sep}`));
    expect(outside).toEqual([]);
    const lines = storedLines();
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) expect(parseRecordLine(line)).toMatchObject({ ok: true });
  }, 60_000);

  test('a known secret anywhere in a payload never reaches the file', async () => {
    await fc.assert(
      fc.asyncProperty(eventWithSecrets, async ({ sessionId, input, secrets }) => {
        const result = await ingestHookEvent(input, backend, { limits: { ...limits, maxEventBytes: 1024 * 1024 } });
        expect(result.status).toBe('stored');
        const stored = readFileSync(sessionFile(baseDir, sessionId), 'utf8').trimEnd().split('\n').pop()!;
        expect(JSON.parse(stored).eventId).toBe(result.status === 'stored' ? result.record.eventId : undefined);
        for (const secret of secrets) {
          for (const piece of secret.split('\n').filter((p) => p.length >= 16)) expect(stored).not.toContain(piece);
        }
      }),
      { numRuns: 150, seed: 1125 },
    );
  }, 60_000);
});
