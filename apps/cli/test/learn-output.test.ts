import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { createRecord } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { hookEvent, runCli, tempProject, type TempProject } from './helpers/cli.js';

// A RunbookAI-era store (id with dots, secrets stored before redaction existed) from the learn corpus.
const LEGACY_STORE = fileURLToPath(
  new URL('../../../packages/learning-bridge/test/corpus/legacy-store/', import.meta.url),
);
const LEGACY_ID = 'deploy.billing-worker.2026-11-20';
const SECRETS = [
  'S3cr3t-pa55word',
  'ghp_9fK2mQ7xLr4Tz8WvB1nC6yH3dJ5pS0aE2uGi',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiaWxsaW5nIn0',
];
const CLAUDE = ['integrations', 'claude'];

let p: TempProject | undefined;
afterEach(() => p?.cleanup());

function legacyProject(): TempProject {
  p = tempProject('runbook-learn-output-');
  cpSync(LEGACY_STORE, path.join(p.dir, '.runbook', 'hooks', 'claude'), { recursive: true });
  return p;
}

describe('a RunbookAI-era store', () => {
  test('the listed id opens in show, export and learn, with the count it was listed with', async () => {
    const { dir } = legacyProject();
    const list = await runCli([...CLAUDE, 'sessions', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ sessionId: LEGACY_ID, eventCount: 12 })]);
    const show = await runCli([...CLAUDE, 'sessions', 'show', LEGACY_ID, '--json'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).eventCount).toBe(12);
    const exported = await runCli([...CLAUDE, 'sessions', 'export', LEGACY_ID], { cwd: dir });
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(12);
    const learn = await runCli([...CLAUDE, 'learn', LEGACY_ID], { cwd: dir });
    expect(learn).toMatchObject({ code: 0, stderr: '' });
    expect(learn.stdout).toContain('  Kind: incident');
  }, 60_000);

  test('show, export and learn print no secret stored before redaction existed; export --raw gives the owner the stored bytes', async () => {
    const { dir } = legacyProject();
    const outputs = await Promise.all([
      runCli([...CLAUDE, 'sessions', 'show', LEGACY_ID], { cwd: dir }),
      runCli([...CLAUDE, 'sessions', 'show', LEGACY_ID, '--json'], { cwd: dir }),
      runCli([...CLAUDE, 'sessions', 'export', LEGACY_ID], { cwd: dir }),
      runCli([...CLAUDE, 'sessions', 'export', LEGACY_ID, '--format', 'json'], { cwd: dir }),
      runCli([...CLAUDE, 'sessions', 'list'], { cwd: dir }),
      runCli([...CLAUDE, 'learn', LEGACY_ID, '--json'], { cwd: dir }),
    ]);
    for (const out of outputs) {
      expect(out.code).toBe(0);
      for (const secret of SECRETS) expect(out.stdout).not.toContain(secret);
    }
    expect(outputs[2]!.stdout).toContain('[REDACTED:url-password]');
    const learned = path.join(dir, '.runbook', 'learning');
    const files = readdirSync(learned, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'));
    expect(files.length).toBeGreaterThan(2);
    for (const text of files) for (const secret of SECRETS) expect(text).not.toContain(secret);

    const raw = await runCli([...CLAUDE, 'sessions', 'export', LEGACY_ID, '--raw'], { cwd: dir });
    expect(raw.stdout).toContain('S3cr3t-pa55word');
  }, 60_000);
});

describe('sessions show', () => {
  test("a multi-line command shows its first line and an ellipsis; the agent's closing message is shown as said", async () => {
    p = tempProject('runbook-show-');
    const backend = createLocalBackend({ baseDir: path.join(p.dir, '.runbook', 'hooks', 'claude') });
    const command = "cat > notes.md <<'EOF'\n# Notes\nline two\nline three\nEOF";
    const events = [
      hookEvent('s-heredoc', 'PreToolUse', { tool_name: 'Bash', tool_input: { command }, tool_use_id: 't1' }),
      hookEvent('s-heredoc', 'Stop', { stop_hook_active: false, last_assistant_message: 'Wrote notes.md.' }),
    ];
    for (const [i, payload] of events.entries()) {
      await backend.append(
        createRecord({
          sessionId: 's-heredoc',
          eventName: String(payload.hook_event_name),
          cwd: '/srv/app',
          payload,
          observedAt: new Date(Date.UTC(2026, 10, 25, 9, 0, i)),
        }),
      );
    }
    const show = await runCli([...CLAUDE, 'sessions', 'show', 's-heredoc'], { cwd: p.dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Bash: cat > notes.md <<'EOF' …\n");
    expect(show.stdout).not.toContain('line two');
    expect(show.stdout).toContain('agent said: "Wrote notes.md."');
  }, 30_000);
});

describe('--help', () => {
  test.each([['learn'], ['sync']])('%s --help ends with the exit codes', async (command) => {
    const help = await runCli([...CLAUDE, command, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {2}success[^\n]*\n {2}1 {2}the command failed[^\n]*\n {2}2 {2}usage error/,
    );
  });

  test('learn --help names --runbook and says how the session kind is chosen', async () => {
    const help = await runCli([...CLAUDE, 'learn', '--help']);
    expect(help.stdout).toContain('--runbook <name>');
    expect(help.stdout).toContain('Classifies the session from its evidence');
  });
});
