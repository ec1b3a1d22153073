import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect, createRecord, parseNdjsonRecords, type StoredRecord } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { startS3Server } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { CLI_TEST_BUCKET, s3ProjectConfig } from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { CLI, hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

const DAY = 86_400_000;
let project: TempProject;
const now = Date.now();
const written = new Map<string, StoredRecord[]>();

/** Store a session's events directly, with chosen times: `offsets` are minutes after `start`. */
async function seed(sessionId: string, start: number, events: Array<[string, Record<string, unknown>]>): Promise<void> {
  const backend = createLocalBackend({ baseDir: path.join(project.dir, '.runbook/hooks/claude') });
  const records = events.map(([eventName, payload], i) =>
    createRecord({
      sessionId,
      eventName,
      cwd: '/srv/app',
      payload: { session_id: sessionId, hook_event_name: eventName, ...payload },
      observedAt: new Date(start + i * 60_000),
    }),
  );
  for (const record of records) await backend.append(record);
  written.set(sessionId, records);
}

function sessions(args: string[]) {
  return runCli(['integrations', 'claude', 'sessions', ...args], { cwd: project.dir, env: { TZ: 'UTC' } });
}

beforeAll(async () => {
  project = tempProject('runbook-sessions-');
  await seed('old-session', now - 10 * DAY, [
    ['SessionStart', { source: 'startup' }],
    ['UserPromptSubmit', { prompt: 'rotate the TLS cert on the edge proxies' }],
    ['Stop', {}],
  ]);
  await seed('recent-session', now - 2 * 3_600_000, [
    ['SessionStart', { source: 'startup', model: 'claude-sonnet-4-5' }],
    ['UserPromptSubmit', { prompt: 'payments-api 5xx at 23%:\nwhat changed?' }],
    ['PreToolUse', { tool_name: 'Bash', tool_input: { command: 'kubectl get pods -n payments' } }],
    [
      'PostToolUse',
      {
        tool_name: 'Bash',
        tool_input: { command: 'kubectl get pods -n payments' },
        tool_response: { stdout: 'NAME READY STATUS\npayments-api-1 0/1 CrashLoopBackOff', exitCode: 0 },
      },
    ],
    [
      'PreToolUse',
      { tool_name: 'Bash', tool_input: { command: 'kubectl rollout undo deploy/payments-api --to-revision=56' } },
    ],
    ['PostToolUseFailure', { tool_name: 'Bash', error: 'unable to find specified revision 56' }],
    ['UserPromptSubmit', { prompt: 'second prompt' }],
    ['SessionEnd', { reason: 'prompt_input_exit' }],
  ]);
  await seed('middle-session', now - 3 * DAY, [
    ['SessionStart', { source: 'resume' }],
    ['Notification', { message: 'Claude needs your permission to use Bash' }],
  ]);
});
afterAll(() => project.cleanup());

describe('sessions list', () => {
  test('lists sessions newest first with counts, times and the first prompt', async () => {
    const result = await sessions(['list', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.sessionId)).toEqual(['recent-session', 'middle-session', 'old-session']);
    expect(rows[0]).toEqual({
      sessionId: 'recent-session',
      firstSeen: written.get('recent-session')![0]!.observedAt,
      lastSeen: written.get('recent-session')!.at(-1)!.observedAt,
      eventCount: 8,
      firstPrompt: 'payments-api 5xx at 23%:\nwhat changed?',
      transcript: false,
    });
    expect(rows[1]).not.toHaveProperty('firstPrompt');
  });

  test('prints a table a person can read, one session per line', async () => {
    const result = await sessions(['list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SESSION\s+FIRST SEEN\s+LAST SEEN\s+EVENTS\s+TRANSCRIPT\s+FIRST PROMPT$/);
    expect(lines[1]).toMatch(
      /^recent-session\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+8\s+-\s+payments-api 5xx at 23%: what changed\?$/,
    );
    expect(lines[3]).toContain('rotate the TLS cert on the edge proxies');
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  test('--since and --limit narrow the list and say what was left out', async () => {
    const since = JSON.parse((await sessions(['list', '--since', '7d', '--json'])).stdout) as Array<{
      sessionId: string;
    }>;
    expect(since.map((s) => s.sessionId)).toEqual(['recent-session', 'middle-session']);
    const limited = await sessions(['list', '--limit', '1']);
    expect(limited.stdout).toContain('recent-session');
    expect(limited.stdout).not.toContain('middle-session');
    expect(limited.stderr).toContain('showing 1 of 3 sessions');
    const bad = await sessions(['list', '--since', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected an age such as 7d');
  });

  test('an empty store says so', async () => {
    const empty = tempProject('runbook-sessions-empty-');
    try {
      const result = await runCli(['integrations', 'claude', 'sessions', 'list'], { cwd: empty.dir });
      expect(result).toMatchObject({ code: 0, stdout: 'No sessions stored yet.\n' });
      expect(
        JSON.parse((await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], { cwd: empty.dir })).stdout),
      ).toEqual([]);
    } finally {
      empty.cleanup();
    }
  });
});

describe('sessions show', () => {
  test('prints a timeline of what happened', async () => {
    const result = await sessions(['show', 'recent-session']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Session recent-session');
    expect(lines[1]).toMatch(/^8 events, .* \(7m\)$/);
    const body = lines.slice(3).filter(Boolean);
    expect(body).toHaveLength(8);
    expect(body[0]).toMatch(/^\d\d:\d\d:\d\d\s+\+0s\s+SessionStart\s+startup, claude-sonnet-4-5$/);
    expect(body[1]).toMatch(/\+1m\s+UserPromptSubmit\s+payments-api 5xx at 23%: what changed\?$/);
    expect(body[2]).toMatch(/PreToolUse\s+Bash: kubectl get pods -n payments$/);
    expect(body[3]).toMatch(/PostToolUse\s+Bash → NAME READY STATUS$/);
    expect(body[5]).toMatch(/PostToolUseFailure\s+Bash failed: unable to find specified revision 56$/);
    expect(body[7]).toMatch(/SessionEnd\s+prompt_input_exit$/);
  });

  test('--json gives the same timeline as data', async () => {
    const result = await sessions(['show', 'recent-session', '--json']);
    const parsed = JSON.parse(result.stdout) as {
      sessionId: string;
      eventCount: number;
      events: Array<{ eventId: string; eventName: string; summary: string }>;
    };
    expect(parsed.eventCount).toBe(8);
    expect(parsed.events.map((e) => e.eventId)).toEqual(written.get('recent-session')!.map((r) => r.eventId));
    expect(parsed.events[2]).toMatchObject({ eventName: 'PreToolUse', summary: 'Bash: kubectl get pods -n payments' });
  });

  test('an unknown session is an error naming it, exit 1', async () => {
    const result = await sessions(['show', 'no-such-session']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no session "no-such-session"');
  });
});

describe('sessions export', () => {
  test('ndjson is the stored records, one per line, unchanged', async () => {
    const result = await sessions(['export', 'recent-session']);
    expect(result.code).toBe(0);
    const chunks = (async function* () {
      yield result.stdout;
    })();
    const records = await collect(parseNdjsonRecords(chunks, { sessionId: 'recent-session', location: 'stdout' }));
    expect(records).toEqual(written.get('recent-session'));
  });

  test('json is one array of the same records', async () => {
    const result = await sessions(['export', 'old-session', '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual(written.get('old-session'));
  });

  test('streams a large session through a closed pipe without an error', async () => {
    const big = 'x'.repeat(200_000);
    await seed(
      'big-session',
      now - DAY,
      Array.from(
        { length: 60 },
        (_, i) =>
          ['PostToolUse', { tool_name: 'Read', i, tool_response: { content: big } }] as [
            string,
            Record<string, unknown>,
          ],
      ),
    );
    const full = await sessions(['export', 'big-session']);
    expect(full.code).toBe(0);
    expect(full.stdout.split('\n').filter(Boolean)).toHaveLength(60);
    const piped = spawnSync(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${CLI}" integrations claude sessions export big-session | head -c 100 > /dev/null`,
      ],
      { cwd: project.dir, encoding: 'utf8' },
    );
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
  });

  test('an unknown session writes nothing and exits 1', async () => {
    const result = await sessions(['export', 'no-such-session', '--format', 'json']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('no session "no-such-session"');
  });
});

describe('sessions on a backend that lists ids only (s3)', () => {
  test('counts, times and first prompts are read from the sessions themselves', async () => {
    const server = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
    const p = tempProject('runbook-sessions-s3-');
    try {
      // inline: each event is in the bucket when its hook exits.
      p.config(
        s3ProjectConfig({ endpoint: server.endpoint, mirrorLocal: false, upload: 'inline', budgetMs: 10_000 }).yaml,
      );
      const events: Array<[string, string, Record<string, unknown>]> = [
        ['s3-a', 'SessionStart', { source: 'startup' }],
        ['s3-a', 'UserPromptSubmit', { prompt: 'why is the ingest lag growing?' }],
        ['s3-b', 'UserPromptSubmit', { prompt: 'rotate the kafka certs' }],
        ['s3-a', 'Stop', {}],
      ];
      for (const [id, name, extra] of events)
        expect((await runHook(p.dir, hookEvent(id, name, extra), [], server.env())).stderr).toBe('');
      const result = await runCli(['integrations', 'claude', 'sessions', 'list', '--json'], {
        cwd: p.dir,
        env: server.env(),
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject([
        { sessionId: 's3-a', eventCount: 3, firstPrompt: 'why is the ingest lag growing?' },
        { sessionId: 's3-b', eventCount: 1, firstPrompt: 'rotate the kafka certs' },
      ]);
      const pruned = await runCli(['integrations', 'claude', 'prune', '--older-than', '1d', '--json'], {
        cwd: p.dir,
        env: server.env(),
      });
      expect(JSON.parse(pruned.stdout)).toMatchObject({ sessions: [], failed: [] });
    } finally {
      p.cleanup();
      await server.stop();
    }
  });
});
