import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRecord, SEGMENT_COLUMNS, type StoredRecord } from '@runbook/storage-core';
import { createS3Backend } from '../../../packages/storage-s3/src/index.js';
import { rawClient } from '../../../packages/storage-s3/test/helpers/backend.js';
import { CLI_TEST_BUCKET, s3ProjectConfig } from '../../../packages/storage-s3/test/helpers/s3-project.js';
import {
  startS3Server,
  TEST_CREDENTIALS,
  TEST_REGION,
  type S3TestServer,
} from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { CLI, hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

let server: S3TestServer;
let raw: Awaited<ReturnType<typeof rawClient>>;
let local: TempProject;

function cli(args: string[], dir: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(['integrations', 'claude', ...args], { cwd: dir, env: { CLAUDE_PROJECT_DIR: dir, ...env } });
}

/** A debugging session as Claude Code reports it: a prompt, a failing command, a fix, the retried command. */
async function debuggingSession(project: string, sessionId: string): Promise<void> {
  const events = [
    hookEvent(sessionId, 'UserPromptSubmit', { prompt: 'commit the fix' }),
    hookEvent(sessionId, 'PreToolUse', {
      tool_name: 'Bash',
      tool_use_id: `${sessionId}-1`,
      tool_input: { command: 'git commit -m fix' },
    }),
    hookEvent(sessionId, 'PostToolUseFailure', {
      tool_name: 'Bash',
      tool_use_id: `${sessionId}-1`,
      tool_input: { command: 'git commit -m fix' },
      error: 'Exit code 128\nfatal: empty ident name (for <>) not allowed',
    }),
    hookEvent(sessionId, 'PostToolUse', {
      tool_name: 'Bash',
      tool_use_id: `${sessionId}-2`,
      tool_input: { command: 'git config user.email dev@example.com' },
      tool_response: { stdout: '', stderr: '', interrupted: false },
    }),
    hookEvent(sessionId, 'PostToolUse', {
      tool_name: 'Bash',
      tool_use_id: `${sessionId}-3`,
      tool_input: { command: 'git commit -m fix' },
      tool_response: { stdout: '[main 1a2b3c4] fix', stderr: '', interrupted: false },
    }),
  ];
  for (const event of events) expect((await runHook(project, event)).code).toBe(0);
}

beforeAll(async () => {
  server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
  raw = await rawClient(server, CLI_TEST_BUCKET);
  local = tempProject('runbook-query-');
  await debuggingSession(local.dir, 'sess-a');
  await debuggingSession(local.dir, 'sess-b');
});
afterAll(async () => {
  local?.cleanup();
  raw?.close();
  await server?.stop();
});

test('query runs SQL over the local store: failures by tool, and the sessions view', async () => {
  const failures = await cli(
    [
      'query',
      "select tool_name, count(*) as failures from events where outcome = 'failure' group by tool_name",
      '--json',
    ],
    local.dir,
  );
  expect(failures.stderr).toBe('');
  expect(JSON.parse(failures.stdout)).toEqual([{ tool_name: 'Bash', failures: 2 }]);

  const sessions = await cli(
    ['query', 'select session_id, events, prompts, tool_results, failures from sessions order by session_id', '--csv'],
    local.dir,
  );
  expect(sessions.stdout).toBe('session_id,events,prompts,tool_results,failures\nsess-a,5,1,3,1\nsess-b,5,1,3,1\n');

  const table = await cli(['query', "select error_text from events where outcome = 'failure' limit 1"], local.dir);
  expect(table.stdout).toMatch(/^error_text\nExit code 128 fatal: empty ident name/);
});

test('each query sees events stored since the last one (the export is incremental)', async () => {
  await runHook(
    local.dir,
    hookEvent('sess-a', 'Stop', {
      stop_hook_active: false,
      last_assistant_message: 'Committed after setting the git identity.',
    }),
  );
  await runHook(local.dir, hookEvent('sess-c', 'UserPromptSubmit', { prompt: 'hello' }));
  const result = await cli(
    ['query', 'select session_id, events from sessions order by session_id', '--json'],
    local.dir,
  );
  expect(JSON.parse(result.stdout)).toEqual([
    { session_id: 'sess-a', events: 6 },
    { session_id: 'sess-b', events: 5 },
    { session_id: 'sess-c', events: 1 },
  ]);
});

test('bad SQL is one line naming the problem, exit 1; --json with --csv is a usage error', async () => {
  const bad = await cli(['query', 'select nope from events'], local.dir);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toMatch(/^runbook: query failed: .*nope.*\n$/);
  expect((await cli(['query', 'select 1', '--json', '--csv'], local.dir)).code).toBe(2);
});

test('compacted segments from the bucket, synced down, are queried with the local store; each event once', async () => {
  const project = tempProject('runbook-query-s3-');
  try {
    const config = s3ProjectConfig({ endpoint: server.endpoint });
    const backend = createS3Backend({
      bucket: CLI_TEST_BUCKET,
      prefix: config.prefix,
      endpoint: server.endpoint,
      region: TEST_REGION,
      forcePathStyle: true,
      credentials: TEST_CREDENTIALS,
    });
    const day = Date.parse('2026-10-05T10:00:00Z');
    const records: StoredRecord[] = Array.from({ length: 40 }, (_, i) =>
      createRecord({
        sessionId: `team-${i % 4}`,
        eventName: i % 5 === 0 ? 'PostToolUseFailure' : 'PostToolUse',
        cwd: '/srv/billing',
        payload: {
          tool_name: i % 2 ? 'Bash' : 'Edit',
          tool_use_id: `t${i}`,
          ...(i % 5 === 0 ? { error: 'Exit code 1\nECONNREFUSED' } : {}),
        },
        observedAt: new Date(day + Math.floor(i / 20) * 86_400_000 + i * 1000),
      }),
    );
    await Promise.all(records.map((r) => backend.append(r)));
    for (let s = 0; s < 4; s++) await backend.compact(`team-${s}`);
    await backend.close();

    // What `aws s3 sync s3://<bucket>/<prefix>/segments ./org-segments` would bring down.
    const synced = mkdtempSync(path.join(tmpdir(), 'runbook-org-segments-'));
    const keys = await raw.keys(`${config.prefix}/segments/`);
    expect(keys.length).toBe(8);
    for (const key of keys) {
      const file = path.join(synced, key.slice(`${config.prefix}/segments/`.length));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await raw.bytes(key));
    }
    // The same segments twice (synced again elsewhere) must not count twice.
    const again = mkdtempSync(path.join(tmpdir(), 'runbook-org-segments-'));
    cpSync(synced, again, { recursive: true });

    const result = await cli(
      [
        'query',
        "select dt, count(*) as events, count(*) filter (where outcome = 'failure') as failures from events group by dt order by dt",
        '--json',
        '--segments',
        synced,
        '--segments',
        again,
      ],
      project.dir,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      { dt: '2026-10-05T00:00:00.000Z', events: 20, failures: 4 },
      { dt: '2026-10-06T00:00:00.000Z', events: 20, failures: 4 },
    ]);
    rmSync(synced, { recursive: true, force: true });
    rmSync(again, { recursive: true, force: true });
  } finally {
    project.cleanup();
  }
});

test('the Athena DDL names exactly the columns compaction writes, with types DuckDB reads them by', async () => {
  const project = tempProject('runbook-schema-');
  try {
    const config = s3ProjectConfig({ endpoint: server.endpoint });
    project.config(config.yaml);
    const ddl = (await cli(['schema', '--athena'], project.dir)).stdout;
    expect(ddl).toContain(`LOCATION 's3://${CLI_TEST_BUCKET}/${config.prefix}/segments/'`);
    expect(ddl).toContain(
      `'storage.location.template' = 's3://${CLI_TEST_BUCKET}/${config.prefix}/segments/dt=\${dt}/'`,
    );
    const declared = [...ddl.matchAll(/^ {2}`(\w+)` (int|string),?$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    expect(declared.map((c) => c.name)).toEqual(SEGMENT_COLUMNS.map((c) => c.name));

    const backend = createS3Backend({
      bucket: CLI_TEST_BUCKET,
      prefix: config.prefix,
      endpoint: server.endpoint,
      region: TEST_REGION,
      forcePathStyle: true,
      credentials: TEST_CREDENTIALS,
    });
    const record = createRecord({
      sessionId: 'ddl',
      eventName: 'PostToolUseFailure',
      cwd: '/srv',
      payload: { tool_name: 'Bash', tool_use_id: 'x', error: 'boom' },
      redactions: { 'aws-key': 1 },
    });
    await backend.append(record);
    await backend.append(createRecord({ sessionId: 'ddl', eventName: 'Stop', payload: {} }));
    await backend.compact('ddl');
    await backend.close();
    const [key] = await raw.keys(`${config.prefix}/segments/`);
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-ddl-'));
    const file = path.join(dir, 'rows.ndjson.gz');
    writeFileSync(file, await raw.bytes(key!));

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const columns = `{${declared.map((c) => `${c.name}: '${c.type === 'int' ? 'INTEGER' : 'VARCHAR'}'`).join(', ')}}`;
    const typed = (
      await connection.runAndReadAll(`select * from read_ndjson('${file}', columns = ${columns}) order by event_name`)
    ).getRowObjectsJS();
    expect(typed[0]).toMatchObject({
      event_id: record.eventId,
      session_id: 'ddl',
      outcome: 'failure',
      error_text: 'boom',
      redaction_count: 1,
      tool_name: 'Bash',
    });
    expect(JSON.parse(typed[0]!.payload as string)).toEqual(record.payload);
    // Nothing in the data that the DDL leaves out.
    const inferred = (
      await connection.runAndReadAll(`select * from read_ndjson_auto('${file}') limit 0`)
    ).columnNames();
    expect(inferred).toEqual(declared.map((c) => c.name));
    connection.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });

    for (const engine of ['--trino', '--spark']) {
      const other = await cli(['schema', engine], project.dir);
      expect(other.code).toBe(0);
      for (const column of SEGMENT_COLUMNS) expect(other.stdout).toContain(column.name);
    }
  } finally {
    project.cleanup();
  }
});

test('without DuckDB installed, query says how to add it and every other command still works', async () => {
  const install = mkdtempSync(path.join(tmpdir(), 'runbook-no-duckdb-'));
  try {
    // The bundle alone, where no node_modules holds the optional dependency.
    cpSync(path.dirname(CLI), path.join(install, 'dist'), { recursive: true });
    const bin = path.join(install, 'dist', path.basename(CLI));
    const run = (args: string[]) =>
      runCli(['integrations', 'claude', ...args], { cli: bin, cwd: local.dir, env: { CLAUDE_PROJECT_DIR: local.dir } });
    const query = await run(['query', 'select 1']);
    expect(query.code).toBe(1);
    expect(query.stderr).toMatch(
      /^runbook: query needs DuckDB, an optional dependency that is not installed .*npm i -g @duckdb\/node-api\n$/,
    );
    const list = await run(['sessions', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).length).toBeGreaterThan(0);
  } finally {
    rmSync(install, { recursive: true, force: true });
  }
});
