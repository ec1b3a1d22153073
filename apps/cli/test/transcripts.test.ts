import { readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';
import {
  claudeHome,
  TranscriptWriter,
  writeIncidentSession,
  writeSettings,
  type ClaudeHome,
} from './helpers/transcript-fixture.js';

const SESSION = '7c1e2b9a-4d3f-4e21-9a0b-5f6e7d8c9b01';
let project: TempProject;
let home: ClaudeHome;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  project = tempProject('runbook-transcripts-');
  home = claudeHome(project.dir, project.dir);
  env = { CLAUDE_CONFIG_DIR: home.configDir, RUNBOOK_NO_PROGRESS: '1' };
});
afterEach(() => project.cleanup());

const transcriptOf = (sessionId: string) => path.join(home.folder, `${sessionId}.jsonl`);
const stop = (sessionId: string, eventName = 'Stop', extra: Record<string, unknown> = {}) =>
  runHook(
    project.dir,
    {
      session_id: sessionId,
      transcript_path: transcriptOf(sessionId),
      cwd: project.dir,
      hook_event_name: eventName,
      ...extra,
    },
    [],
    env,
  );
const cli = (...args: string[]) =>
  runCli(['integrations', 'claude', ...args], { cwd: project.dir, env: { ...env, CLAUDE_PROJECT_DIR: project.dir } });
const exportTranscript = (sessionId: string, ...more: string[]) =>
  cli('sessions', 'export', sessionId, '--transcript', ...more);

function chunkFiles(sessionId: string, file = 'main'): string[] {
  const root = path.join(project.dir, '.runbook/hooks/claude/sessions', sessionId, 'transcript', file);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((n) => n.endsWith('.jsonl'))
    .sort();
}

test('Stop archives the transcript and its subagent transcript; after the originals are deleted they read back line for line', async () => {
  const { mainText, agentText } = writeIncidentSession(home, SESSION, project.dir);
  const hook = await stop(SESSION);
  expect(hook.stdout).toBe('');
  expect(hook.stderr).toBe('');
  rmSync(transcriptOf(SESSION));
  rmSync(path.join(home.folder, SESSION), { recursive: true });

  const main = await exportTranscript(SESSION);
  expect(main.stderr).toBe('');
  expect(main.code).toBe(0);
  expect(main.stdout).toBe(mainText);
  const lines = main.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => l.type)).toEqual(
    expect.arrayContaining(['summary', 'file-history-snapshot', 'user', 'assistant', 'system']),
  );
  expect(lines.some((l) => l.isCompactSummary === true)).toBe(true);

  const agent = await cli('sessions', 'show', SESSION, '--transcript', '--subagent', 'a3f9c21');
  expect(agent.code).toBe(0);
  expect(agent.stdout).toBe(agentText);
  expect(JSON.parse(agent.stdout.split('\n')[0]!).isSidechain).toBe(true);
});

test('every line passes the redactor: secrets are replaced, every other line is kept byte for byte', async () => {
  const writer = new TranscriptWriter(SESSION, transcriptOf(SESSION), project.dir);
  const key = ['AKIA', 'IOSFODNN7', 'EXAMPLQ'].join('');
  const before = writer.write(writer.prompt('deploy is failing'));
  writer.write(writer.toolResult('toolu_1', `aws_access_key_id = ${key}\nexport DB_PASSWORD=hunter2-very-secret`));
  const after = writer.write(writer.assistant([writer.text('The credentials file was read; rotate that key.')]));
  await stop(SESSION);
  const out = await exportTranscript(SESSION);
  const [first, secret, last] = out.stdout.split('\n');
  expect(`${first}\n`).toBe(before);
  expect(`${last}\n`).toBe(after);
  expect(secret).not.toContain(key);
  expect(secret).toContain('[REDACTED:');
  expect(JSON.parse(secret!).type).toBe('user');
});

test('later hooks archive only what is new; a partly written last line waits for the next hook', async () => {
  const writer = new TranscriptWriter(SESSION, transcriptOf(SESSION), project.dir);
  let expected = writer.write(writer.prompt('first question'), writer.assistant([writer.text('first answer')]));
  await stop(SESSION);
  expected += writer.write(writer.prompt('second question'));
  const half = JSON.stringify(writer.assistant([writer.text('second answer')]));
  writeFileSync(transcriptOf(SESSION), half.slice(0, 40), { flag: 'a' });
  await stop(SESSION, 'SubagentStop');
  expect(chunkFiles(SESSION)).toHaveLength(2);
  writeFileSync(transcriptOf(SESSION), `${half.slice(40)}\n`, { flag: 'a' });
  expected += `${half}\n`;
  await stop(SESSION, 'SessionEnd', { reason: 'prompt_input_exit' });
  expect(chunkFiles(SESSION)).toHaveLength(3);
  await stop(SESSION); // nothing new: nothing stored
  expect(chunkFiles(SESSION)).toHaveLength(3);
  expect((await exportTranscript(SESSION)).stdout).toBe(expected);
});

test('a shortened or rewritten transcript is archived again in full as a new version, never mixed with the old one', async () => {
  const writer = new TranscriptWriter(SESSION, transcriptOf(SESSION), project.dir);
  writer.write(writer.prompt('one'), writer.assistant([writer.text('two')]), writer.prompt('three'));
  await stop(SESSION);

  // Shortened: only its first line is left.
  const first = readFileSync(transcriptOf(SESSION), 'utf8').split('\n')[0]!;
  truncateSync(transcriptOf(SESSION), Buffer.byteLength(first) + 1);
  await stop(SESSION);
  expect((await exportTranscript(SESSION)).stdout).toBe(`${first}\n`);

  // Rewritten with other content of a greater length.
  const rewritten = new TranscriptWriter(SESSION, transcriptOf(SESSION), project.dir);
  rmSync(transcriptOf(SESSION));
  const text = rewritten.write(
    rewritten.prompt('a different conversation, longer than the first one was'),
    rewritten.assistant([rewritten.text('with other lines entirely, and more of them')]),
    rewritten.prompt('x'.repeat(300)),
  );
  await stop(SESSION);
  expect((await exportTranscript(SESSION)).stdout).toBe(text);
  expect(
    readdirSync(path.join(project.dir, '.runbook/hooks/claude/sessions', SESSION, 'transcript/main')).sort(),
  ).toEqual(['000000', '000001', '000002']);
});

test('200 concurrent hooks of one session, while the transcript grows, archive every line exactly once', async () => {
  const writer = new TranscriptWriter(SESSION, transcriptOf(SESSION), project.dir);
  let expected = '';
  const runs: Promise<unknown>[] = [];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 10; i++)
      expected += writer.write(
        writer.prompt(`round ${round} prompt ${i}`),
        writer.assistant([writer.text(`round ${round} answer ${i} ${'z'.repeat(200)}`)]),
      );
    for (let i = 0; i < 50; i++) runs.push(stop(SESSION, i % 2 ? 'Stop' : 'SubagentStop'));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const results = (await Promise.all(runs)) as Array<{ stdout: string; code: number }>;
  expect(results.every((r) => r.code === 0 && r.stdout === '')).toBe(true);
  await stop(SESSION, 'SessionEnd'); // whatever a busy hook left is taken by the next one
  const out = (await exportTranscript(SESSION)).stdout;
  expect(out).toBe(expected);
  const uuids = out
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as { uuid: string }).uuid);
  expect(new Set(uuids).size).toBe(80);
}, 120_000);

test('transcripts import archives what is on disk once; a second run finds nothing new', async () => {
  const { mainText } = writeIncidentSession(home, SESSION, project.dir);
  const other = new TranscriptWriter(
    '5d4c3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a',
    transcriptOf('5d4c3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a'),
    project.dir,
  );
  other.write(other.prompt('an older session'), other.assistant([other.text('its answer')]));
  const first = await cli('transcripts', 'import', '--json');
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const summary = JSON.parse(first.stdout) as { sessions: number; lines: number; bytes: number; skipped: number };
  expect(summary.sessions).toBe(2);
  expect(summary.lines).toBe(mainText.split('\n').length - 1 + 4 + 2);
  const again = JSON.parse((await cli('transcripts', 'import', '--json')).stdout) as {
    sessions: number;
    skipped: number;
    lines: number;
  };
  expect(again).toMatchObject({ sessions: 0, skipped: 2, lines: 0 });
  const text = await cli('transcripts', 'import');
  expect(text.stdout).toMatch(/^transcripts: archived 0 sessions \(0 lines, 0 B\) to local; 2 skipped/);
  rmSync(transcriptOf(SESSION));
  expect((await exportTranscript(SESSION)).stdout).toBe(mainText);
});

test('a session without an archived transcript says so in one line and exits 1', async () => {
  const out = await exportTranscript('no-such-session');
  expect(out.code).toBe(1);
  expect(out.stderr.trim().split('\n')).toHaveLength(1);
  expect(out.stderr).toMatch(/no transcript archived for session "no-such-session"/);
});

test('status and doctor count transcripts not archived yet and the days before Claude Code deletes the oldest; sessions list marks archived ones', async () => {
  writeSettings(home, { cleanupPeriodDays: 35 });
  const old = '11111111-2222-4333-8444-555555555555';
  const oldWriter = new TranscriptWriter(old, transcriptOf(old), project.dir);
  oldWriter.write(oldWriter.prompt('an old session'), oldWriter.assistant([oldWriter.text('old answer')]));
  const written = (Date.now() - 28 * 86_400_000 + 3_600_000) / 1000;
  utimesSync(transcriptOf(old), written, written);
  writeIncidentSession(home, SESSION, project.dir);

  const before = JSON.parse((await cli('status', '--json')).stdout) as { transcripts: Record<string, unknown> };
  expect(before.transcripts).toMatchObject({
    onDisk: 2,
    notArchived: 2,
    cleanupPeriodDays: 35,
    oldestNotArchived: { sessionId: old, daysLeft: 7 },
  });

  await stop(SESSION);
  const status = await cli('status');
  expect(status.stdout).toMatch(
    /Transcripts: 2 on disk, 1 not archived yet; Claude Code deletes the oldest not archived in 7 days \(cleanupPeriodDays 35\)/,
  );
  const doctor = JSON.parse((await cli('doctor', '--json')).stdout) as {
    checks: Array<{ name: string; status: string; fix?: string }>;
  };
  expect(doctor.checks.find((c) => c.name === 'transcripts')).toMatchObject({
    status: 'warn',
    fix: expect.stringContaining('transcripts import'),
  });
  const listed = JSON.parse((await cli('sessions', 'list', '--json')).stdout) as Array<{
    sessionId: string;
    transcript?: boolean;
  }>;
  expect(listed.find((r) => r.sessionId === SESSION)?.transcript).toBe(true);

  await cli('transcripts', 'import');
  const after = JSON.parse((await cli('doctor', '--json')).stdout) as {
    checks: Array<{ name: string; status: string; detail: string }>;
  };
  expect(after.checks.find((c) => c.name === 'transcripts')).toMatchObject({
    status: 'ok',
    detail: expect.stringMatching(/^2 on disk, all archived; Claude Code deletes the oldest in 7 days/),
  });
});

test('learn quotes the archived transcript: the agent, the user correction and the subagent finding, attributed; never its thinking', async () => {
  writeIncidentSession(home, SESSION, project.dir);
  const event = (name: string, extra: Record<string, unknown> = {}) =>
    runHook(
      project.dir,
      {
        session_id: SESSION,
        transcript_path: transcriptOf(SESSION),
        cwd: project.dir,
        hook_event_name: name,
        ...extra,
      },
      [],
      env,
    );
  await event('UserPromptSubmit', { prompt: 'payments-api is returning 502s since the 09:40 deploy, find out why' });
  await event('PreToolUse', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_01',
    tool_input: { command: 'kubectl -n payments logs deploy/payments-api --tail=50' },
  });
  await event('PostToolUse', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_01',
    tool_input: { command: 'kubectl -n payments logs deploy/payments-api --tail=50' },
    tool_response: { stdout: 'level=error msg="upstream timeout" pool=exhausted', stderr: '' },
  });
  await event('Stop', {
    last_assistant_message:
      'Fix: I reverted max_connections to 50 in deploy/values.yaml and rolled the deployment; 502s stopped at 10:12.',
  });
  rmSync(transcriptOf(SESSION));
  rmSync(path.join(home.folder, SESSION), { recursive: true });

  const learned = await cli('learn', SESSION, '--json');
  expect(learned.stderr).toBe('');
  expect(learned.code).toBe(0);
  const { artifacts } = JSON.parse(learned.stdout) as {
    artifacts: { dir: string; postmortem?: string; summary?: string };
  };
  const document = readFileSync(path.resolve(project.dir, (artifacts.postmortem ?? artifacts.summary)!), 'utf8');
  expect(document).toContain('The agent said at');
  expect(document).toContain('The root cause is the database connection pool');
  expect(document).toMatch(/The user said at [^\n]*No, do not restart the pods/);
  expect(document).toMatch(/Subagent a3f9c21 said at [^\n]*Found it: deploy\/values.yaml sets max_connections: 5/);
  // The closing message is quoted once, from the transcript.
  expect(document.split('Fix: I reverted max_connections').length - 1).toBe(1);
  const everything = readdirSync(path.resolve(project.dir, artifacts.dir), { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(path.resolve(project.dir, artifacts.dir), name))
    .filter((file) => {
      try {
        return readFileSync(file).length >= 0;
      } catch {
        return false;
      }
    })
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  expect(everything).not.toContain('The deploy changed the connection pool; check the logs first.');
  expect(everything).not.toContain('grep the helm values');
});
