import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { createRecord, serializeRecord, type HookPayload, type StoredRecord } from '@runbook/storage-core';
import { knowledgeSuggestionSchema } from '../../../packages/learning-bridge/src/index.js';
import {
  startMessagesServer,
  toolUseReply,
  type MessagesServer,
} from '../../../packages/learning-bridge/test/messages-server.js';
import { createS3Backend } from '../../../packages/storage-s3/src/index.js';
import { CLI_TEST_BUCKET, s3ProjectConfig } from '../../../packages/storage-s3/test/helpers/s3-project.js';
import { startS3Server, TEST_CREDENTIALS, TEST_REGION } from '../../../packages/storage-s3/test/helpers/s3-server.js';
import { runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../examples/oncall-session.jsonl', import.meta.url));
const SESSION = '3f6c2b1e-8a47-4d2f-9b3e-5c1d7a9e4f20';
const LEARN = ['integrations', 'claude', 'learn'];

const projects: TempProject[] = [];
function project(): TempProject {
  const p = tempProject('runbook-learn-');
  projects.push(p);
  return p;
}
let server: MessagesServer | undefined;
afterEach(async () => {
  while (projects.length) projects.pop()!.cleanup();
  await server?.close();
  server = undefined;
});

function exampleLines(): string[] {
  return readFileSync(EXAMPLE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** The example stored as the local backend keeps it, observed 15 s apart from 14:20 UTC. */
function storeExample(dir: string): StoredRecord[] {
  const records = exampleLines().map((line, i) => {
    const payload = JSON.parse(line) as HookPayload;
    return createRecord({
      sessionId: SESSION,
      eventName: String(payload.hook_event_name),
      cwd: String(payload.cwd),
      transcriptPath: String(payload.transcript_path),
      payload,
      observedAt: new Date(Date.parse('2026-11-25T14:20:00Z') + i * 15_000),
    });
  });
  const file = path.join(dir, '.runbook/hooks/claude/sessions', SESSION, 'events.ndjson');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, records.map(serializeRecord).join(''));
  return records;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (statSync(full).isFile()) out[path.relative(dir, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

describe('runbook integrations claude learn', () => {
  test('the bundled example, stored through the hook, becomes a postmortem with its real times, failing command and fix', async () => {
    const p = project();
    for (const line of exampleLines()) {
      const stored = await runHook(p.dir, line);
      expect(stored).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    const stored = readFileSync(path.join(p.dir, '.runbook/hooks/claude/sessions', SESSION, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as StoredRecord);
    expect(stored).toHaveLength(33);

    const result = await runCli([...LEARN, SESSION], { cwd: p.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const date = stored[0]!.observedAt.slice(0, 10);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Postmortem: .runbook/learning/${date}-${SESSION}/postmortem-session-3f6c2b1e.md`);
    expect(lines).toContain(
      '  Kind: incident (a prompt reports an incident ("PagerDuty"); prompts report symptoms: 5xx errors, CrashLoopBackOff, restarts)',
    );
    expect(lines).toContain(
      '  Root cause: fatal: invalid configuration: required setting DATABASE_POOL_MAX is not set (DB_POOL_MAX was renamed in v2.14.0) (from `kubectl --context prod-us-east-1 logs payments-api-7d9f8b6c5-x2k4q -n payments --previous --tail=40`)',
    );
    expect(lines).toContain(
      '    - kubectl --context prod-us-east-1 rollout undo deployment/payments-api -n payments --to-revision=56 — error: unable to find specified revision 56 in history',
    );
    expect(lines).toContain(
      '  Fix: Edited deploy/k8s/payments-api/configmap.yaml → `kubectl --context prod-us-east-1 apply -f deploy/k8s/payments-api/configmap.yaml` → `kubectl --context prod-us-east-1 rollout restart deployment/payments-api -n payments`',
    );

    const postmortem = readFileSync(path.join(p.dir, lines[0]!.slice('Postmortem: '.length)), 'utf8');
    expect(postmortem).toContain(`started_at: ${stored[0]!.observedAt}`);
    expect(postmortem).toContain(`ended_at: ${stored.at(-1)!.observedAt}`);
    const failure = stored.find((r) => r.eventName === 'PostToolUseFailure')!;
    const edit = stored.find((r) => r.eventName === 'PostToolUse' && r.payload.tool_name === 'Edit')!;
    expect(postmortem).toContain(
      `- **${failure.observedAt.slice(0, 10)} ${failure.observedAt.slice(11, 19)}Z** — Ran \`kubectl --context prod-us-east-1 rollout undo`,
    );
    expect(postmortem).toContain(
      `- **${edit.observedAt.slice(0, 10)} ${edit.observedAt.slice(11, 19)}Z** — Edited deploy/k8s/payments-api/configmap.yaml`,
    );
  }, 120_000);

  test('--json, --out and --incident-id: machine output naming every artifact; the suggestions validate', async () => {
    const p = project();
    storeExample(p.dir);
    const result = await runCli([...LEARN, SESSION, '--json', '--out', 'reports', '--incident-id', 'INC-2041'], {
      cwd: p.dir,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(result.stdout) as {
      drafter: string;
      incidentId: string;
      artifacts: { dir: string; postmortem: string; knowledgeSuggestions: string; knowledge: string[] };
      headline: { failingCommands: string[] };
    };
    expect(out.drafter).toBe('offline');
    expect(out.incidentId).toBe('INC-2041');
    expect(out.artifacts.dir).toBe(path.join(p.dir, 'reports', `2026-11-25-${SESSION}`));
    expect(out.artifacts.postmortem).toBe(path.join(out.artifacts.dir, 'postmortem-INC-2041.md'));
    expect(out.headline.failingCommands).toHaveLength(1);
    const suggestions = JSON.parse(readFileSync(out.artifacts.knowledgeSuggestions, 'utf8')) as unknown[];
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) expect(knowledgeSuggestionSchema.safeParse(s).success).toBe(true);
    expect(out.artifacts.knowledge.every((f) => statSync(f).isFile())).toBe(true);
  });

  test('--apply-runbook-updates adds a dated entry to the matching runbook; running it again changes nothing', async () => {
    const p = project();
    storeExample(p.dir);
    const runbook = path.join(p.dir, '.runbook/runbooks/payments-api.md');
    mkdirSync(path.dirname(runbook), { recursive: true });
    writeFileSync(
      runbook,
      '---\ntitle: Payments API\nservices: [payments-api]\n---\n\n# Payments API\n\nPage the payments team.\n',
    );

    const first = await runCli([...LEARN, SESSION, '--apply-runbook-updates'], { cwd: p.dir });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Runbook updated: .runbook/runbooks/payments-api.md');
    expect(readFileSync(runbook, 'utf8')).toContain(
      '## Incident learnings\n\n### 2026-11-25 — session-3f6c2b1e: payments-api: 5xx errors and CrashLoopBackOff',
    );

    const before = tree(path.join(p.dir, '.runbook'));
    const second = await runCli([...LEARN, SESSION, '--apply-runbook-updates'], { cwd: p.dir });
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain('Runbook unchanged: .runbook/runbooks/payments-api.md');
    expect(tree(path.join(p.dir, '.runbook'))).toEqual(before);
  });

  test('an unknown session exits 1 with one line naming the session and where it looked', async () => {
    const p = project();
    storeExample(p.dir);
    const result = await runCli([...LEARN, 'no-such-session'], { cwd: p.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'runbook: session no-such-session not found in .runbook/hooks/claude (backend: local)\n',
    );
  });

  test('a bad llm setting is a config error naming the key', async () => {
    const p = project();
    storeExample(p.dir);
    p.config('llm:\n  provider: anthropic\n');
    const result = await runCli([...LEARN, SESSION], { cwd: p.dir, env: { ANTHROPIC_API_KEY: 'k' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `runbook: ${path.join(p.dir, '.runbook/config.yaml')}: llm.model: is required when llm.provider is anthropic`,
    ]);
  });

  test('with llm.provider anthropic the bundled SDK drafts against the configured endpoint', async () => {
    const p = project();
    storeExample(p.dir);
    // The model's answer: the offline draft of the same session with a sharper title, as a model might return.
    const offline = await runCli([...LEARN, SESSION, '--json', '--out', 'offline'], { cwd: p.dir });
    const offlineSuggestions = JSON.parse(
      readFileSync(JSON.parse(offline.stdout).artifacts.knowledgeSuggestions, 'utf8'),
    ) as unknown[];
    const answer = {
      postmortem: {
        title: 'payments-api crash-looped: v2.14.0 renamed DB_POOL_MAX',
        severity: 'SEV2',
        summary:
          'payments-api v2.14.0 expects DATABASE_POOL_MAX; the ConfigMap still set DB_POOL_MAX, so pods crash-looped until the ConfigMap was fixed.',
        impact: 'payments-api 5xx rate at 23% in prod.',
        detection: 'PagerDuty page on 5xx rate.',
        rootCause: 'Setting renamed in v2.14.0 without updating the ConfigMap.',
        contributingFactors: ['Rollback to revision 56 failed: revision not in history.'],
        timeline: [{ at: '2026-11-25T14:21:45.000Z', event: 'Logs show DATABASE_POOL_MAX is not set' }],
        whatWentWell: ['The fatal log line was found within two minutes.'],
        whatWentPoorly: ['The rollback attempt named a revision that no longer existed.'],
        actionItems: [
          {
            title: 'Validate required settings before rollout',
            ownerRole: 'payments-api owner',
            priority: 'P1',
            category: 'prevention',
          },
        ],
      },
      knowledgeSuggestions: offlineSuggestions,
    };
    server = await startMessagesServer([toolUseReply(answer, 'claude-test')]);
    p.config('llm:\n  provider: anthropic\n  model: claude-test\n');
    // The endpoint is the user's choice (~/.runbook/config.yaml), never the project's.
    const home = path.join(p.dir, 'home');
    mkdirSync(path.join(home, '.runbook'), { recursive: true });
    writeFileSync(path.join(home, '.runbook', 'config.yaml'), `llm:\n  baseUrl: ${server.baseURL}\n`);
    const result = await runCli([...LEARN, SESSION, '--incident-id', 'INC-7'], {
      cwd: p.dir,
      env: { ANTHROPIC_API_KEY: 'sk-ant-loopback', HOME: home },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Drafter: anthropic:claude-test');
    expect(result.stdout).toContain('  payments-api crash-looped: v2.14.0 renamed DB_POOL_MAX');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.model).toBe('claude-test');
    const postmortem = readFileSync(
      path.join(p.dir, `.runbook/learning/2026-11-25-${SESSION}/postmortem-INC-7.md`),
      'utf8',
    );
    expect(postmortem).toContain('drafter: anthropic:claude-test');
    expect(postmortem).toContain('Setting renamed in v2.14.0 without updating the ConfigMap.');
  });

  test('with llm.provider anthropic but no key it still writes the offline result and says why', async () => {
    const p = project();
    storeExample(p.dir);
    p.config('llm:\n  provider: anthropic\n  model: claude-test\n');
    const result = await runCli([...LEARN, SESSION], { cwd: p.dir, env: { ANTHROPIC_API_KEY: '' } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Drafter: offline');
    expect(result.stdout).toContain(
      'Note: llm.provider is anthropic but ANTHROPIC_API_KEY is not set; used the offline drafter',
    );
  });
});

describe('runbook integrations claude learn with backend: s3', () => {
  test('reads the session from the bucket (no local copy) and learns the same things', async () => {
    const s3 = await startS3Server({ buckets: [CLI_TEST_BUCKET] });
    try {
      const p = project();
      const { yaml, prefix } = s3ProjectConfig({ endpoint: s3.endpoint, mirrorLocal: false });
      p.config(yaml);
      const local = project();
      const records = storeExample(local.dir);
      const backend = createS3Backend({
        bucket: CLI_TEST_BUCKET,
        prefix,
        endpoint: s3.endpoint,
        region: TEST_REGION,
        forcePathStyle: true,
        credentials: TEST_CREDENTIALS,
      });
      try {
        for (const record of records) await backend.append(record);
      } finally {
        await backend.close();
      }

      const result = await runCli([...LEARN, SESSION, '--json'], { cwd: p.dir, env: s3.env() });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const out = JSON.parse(result.stdout) as {
        headline: { failingCommands: string[]; fix: string };
        artifacts: { postmortem: string };
      };
      expect(out.headline.failingCommands).toEqual([
        'kubectl --context prod-us-east-1 rollout undo deployment/payments-api -n payments --to-revision=56 — error: unable to find specified revision 56 in history',
      ]);
      expect(out.headline.fix).toContain('rollout restart deployment/payments-api');
      expect(readFileSync(out.artifacts.postmortem, 'utf8')).toContain(`started_at: ${records[0]!.observedAt}`);
      expect(() => statSync(path.join(p.dir, '.runbook/hooks/claude/sessions'))).toThrow();

      const missing = await runCli([...LEARN, 'absent-session'], { cwd: p.dir, env: s3.env() });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(
        `runbook: session absent-session not found in s3://${CLI_TEST_BUCKET}/${prefix} at ${s3.endpoint} (backend: s3)\n`,
      );
    } finally {
      await s3.stop();
    }
  });
});
