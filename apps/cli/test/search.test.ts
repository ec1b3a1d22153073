import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalBackend } from '@runbook/storage-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentSession, INCIDENTS, noiseSessions } from '../../../packages/session-index/test/helpers/corpus.js';
import { hookEvent, runCli, runHook, tempProject, type TempProject } from './helpers/cli.js';

let project: TempProject;
const claude = (args: string[]) =>
  runCli(['integrations', 'claude', ...args, '--project-dir', project.dir], { cwd: project.dir });
const indexDir = () => path.join(project.dir, '.runbook/hooks/claude/index');

beforeAll(async () => {
  project = tempProject();
  const backend = createLocalBackend({ baseDir: path.join(project.dir, '.runbook/hooks/claude') });
  for (const incident of INCIDENTS) await incidentSession(incident.id, incident.start, incident.variant).store(backend);
  for (const session of noiseSessions()) await session.store(backend);
  mkdirSync(path.join(project.dir, '.runbook/runbooks'), { recursive: true });
  writeFileSync(
    path.join(project.dir, '.runbook/runbooks/billing-stripe.md'),
    '# billing-stripe database\n\nSymptom: Error: connect ECONNREFUSED to the ledger on port 5432.\nFix: set db.host in values-staging.yaml, helm upgrade.\n',
  );
});
afterAll(() => project.cleanup());

describe('search', () => {
  it('builds the index on first use and prints ranked, highlighted results', async () => {
    const result = await claude(['search', 'ECONNREFUSED', '--event', 'PostToolUseFailure']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^runbook: index built: \d+ document\(s\) from 8 session\(s\)$/m);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => /^\d+\. /.test(l))).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^1\. 2026-11-\d\d \d\d:\d\d {2}session incident-[abc] {2}PostToolUseFailure Bash {2}score \d/,
    );
    expect(lines[1]).toContain('«ECONNREFUSED»');
    expect(existsSync(path.join(indexDir(), 'manifest.json'))).toBe(true);

    const again = await claude(['search', 'ECONNREFUSED', '--event', 'PostToolUseFailure']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(result.stdout);
  });

  it('prints JSON with session, time, event and snippet; filters and limit apply', async () => {
    const result = await claude([
      'search',
      'billing-stripe',
      '--since',
      '2026-11-08',
      '--tool',
      'Bash',
      '--limit',
      '2',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { engine: string; more: boolean; hits: Array<Record<string, unknown>> };
    expect(out.engine).toBe('index');
    expect(out.more).toBe(true);
    expect(out.hits).toHaveLength(2);
    for (const hit of out.hits) {
      expect(hit).toMatchObject({ kind: 'event', tool: 'Bash' });
      expect(['incident-b', 'incident-c']).toContain(hit.sessionId);
      expect(Date.parse(hit.time as string)).toBeGreaterThanOrEqual(Date.parse('2026-11-08'));
      expect((hit.snippet as { text: string }).text.toLowerCase()).toContain('billing-stripe');
    }
  });

  it('rebuilds a deleted index, and scans with --no-index to the same results', async () => {
    const indexed = await claude(['search', '"successfully rolled out"', '--json']);
    rmSync(indexDir(), { recursive: true, force: true });
    const scanned = await claude(['search', '"successfully rolled out"', '--json', '--no-index']);
    expect(scanned.stderr).toContain('scanning stored sessions (--no-index)');
    expect(existsSync(indexDir())).toBe(false);
    const rebuilt = await claude(['search', '"successfully rolled out"', '--json']);
    const hits = (r: { stdout: string }) => (JSON.parse(r.stdout) as { hits: unknown[] }).hits;
    expect(hits(scanned)).toEqual(hits(indexed));
    expect(hits(rebuilt)).toEqual(hits(indexed));
    expect(hits(indexed)).toHaveLength(3);
  });

  it('falls back to scanning when the index cannot be written', async () => {
    rmSync(indexDir(), { recursive: true, force: true });
    writeFileSync(indexDir(), 'not a directory');
    try {
      const result = await claude(['search', 'terraform', '--json']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/cannot write the index in .*index \(EEXIST\); scanning stored sessions instead/);
      expect(
        (JSON.parse(result.stdout) as { engine: string; hits: Array<{ sessionId: string }> }).hits[0]!.sessionId,
      ).toBe('noise-terraform');
    } finally {
      rmSync(indexDir(), { force: true });
    }
  });

  it('says so when nothing matches', async () => {
    const result = await claude(['search', 'kafka', 'rebalance']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No match for "kafka rebalance".\n');
  });
});

describe('similar and recurring', () => {
  it('finds the other occurrences of the incident from each one, with shared evidence and the fix', async () => {
    for (const incident of INCIDENTS) {
      const result = await claude(['similar', incident.id, '--limit', '3']);
      expect(result.code).toBe(0);
      const numbered = result.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
      expect(
        numbered
          .slice(0, 2)
          .map((l) => l.split(' ')[1])
          .sort(),
      ).toEqual(INCIDENTS.map((i) => i.id).filter((id) => id !== incident.id));
      expect(result.stdout).toContain(
        'shared error: error: pod billing-stripe-<pod> failed: Error: connect ECONNREFUSED <ip>:<n> (request <id>)',
      );
      expect(result.stdout).toContain(
        'fix then: Edit: /srv/shop/deploy/values-staging.yaml then Bash: helm upgrade billing-stripe',
      );
    }
  });

  it('fails with one line for an unknown session', async () => {
    const result = await claude(['similar', 'no-such-session']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'runbook: session no-such-session not found in the configured storage (backend: local)\n',
    );
  });

  it('lists the recurring incident with its sessions, fix and covering runbook', async () => {
    const result = await claude(['recurring', '--json']);
    expect(result.code).toBe(0);
    const { problems } = JSON.parse(result.stdout) as {
      problems: Array<{ sessions: string[]; fixes: Array<{ fix: string }>; runbooks: string[]; count: number }>;
    };
    expect(problems).toHaveLength(1);
    expect(problems[0]!.sessions.sort()).toEqual(['incident-a', 'incident-b', 'incident-c']);
    expect(problems[0]!.runbooks).toEqual(['.runbook/runbooks/billing-stripe.md']);
    const text = await claude(['recurring']);
    expect(text.stdout).toMatch(/^fp-[0-9a-f]{10} {2}seen 3 time\(s\) in 3 sessions/);
    expect(text.stdout).toContain('runbook: .runbook/runbooks/billing-stripe.md');
    const none = await claude(['recurring', '--min-sessions', '4']);
    expect(none.stdout).toBe('No problem seen in 4 or more sessions.\n');
  });
});

describe('recall in the hook', () => {
  const prompt = (text: string) => hookEvent('new-session', 'UserPromptSubmit', { prompt: text });

  it('prints nothing while recall is off (the default)', async () => {
    await claude(['search', 'anything']);
    const result = await runHook(project.dir, prompt('billing-stripe rollout fails with ECONNREFUSED'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
  });

  it('with enable --recall, adds quoted past fixes for a matching prompt and nothing for other events', async () => {
    project.config(
      '# team settings\nintegrations:\n  claude:\n    sessionStorage:\n      backend: local # keep it on disk\n',
    );
    const enabled = await runCli(
      ['integrations', 'claude', 'enable', '--recall', '--scope', 'local', '--project-dir', project.dir],
      { cwd: project.dir },
    );
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain('Recall enabled in .runbook/config.yaml');
    const config = readFileSync(path.join(project.dir, '.runbook/config.yaml'), 'utf8');
    expect(config).toContain('# team settings');
    expect(config).toContain('backend: local # keep it on disk');
    expect(config).toMatch(/recall:\n {6}enabled: true/);
    await claude(['search', 'anything']);

    const result = await runHook(project.dir, prompt('billing-stripe rollout fails with ECONNREFUSED again'));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as {
      hookSpecificOutput: { hookEventName: string; additionalContext: string };
    };
    expect(out.hookSpecificOutput.hookEventName).toBe('UserPromptSubmit');
    const context = out.hookSpecificOutput.additionalContext;
    expect(context.length).toBeLessThanOrEqual(2000);
    expect(context).toContain('not instructions');
    expect(context).toMatch(/\[session incident-[abc] \(2026-11-\d\d\)\]/);
    expect(context).toContain('fixed by: Edit: /srv/shop/deploy/values-staging.yaml');

    const tool = await runHook(
      project.dir,
      hookEvent('new-session', 'PreToolUse', {
        tool_name: 'Bash',
        tool_input: { command: 'kubectl rollout status deploy/billing-stripe ECONNREFUSED' },
      }),
    );
    expect(tool.stdout).toBe('');
    const unrelated = await runHook(project.dir, prompt('write release notes for the storefront'));
    expect(unrelated.stdout).toBe('');
    const start = await runHook(project.dir, hookEvent('new-session', 'SessionStart', { source: 'startup' }));
    expect(
      (JSON.parse(start.stdout) as { hookSpecificOutput: { hookEventName: string } }).hookSpecificOutput.hookEventName,
    ).toBe('SessionStart');
  });

  it('prints nothing when the index is missing, and never builds it', async () => {
    rmSync(indexDir(), { recursive: true, force: true });
    const result = await runHook(project.dir, prompt('billing-stripe rollout fails with ECONNREFUSED'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(existsSync(indexDir())).toBe(false);
  });
});

describe('learn: Seen before', () => {
  it('lists earlier sessions with the same failures, their fix and their write-up, once the index exists', async () => {
    await claude(['recurring']);
    const first = await claude(['learn', 'incident-a']);
    expect(first.code).toBe(0);
    const third = await claude(['learn', 'incident-c', '--json']);
    expect(third.code).toBe(0);
    const { artifacts } = JSON.parse(third.stdout) as { artifacts: { postmortem?: string; summary?: string } };
    const written = readFileSync((artifacts.postmortem ?? artifacts.summary)!, 'utf8');
    const section = written.slice(written.indexOf('## Seen before'));
    expect(written).toContain('## Seen before');
    expect(section.indexOf('Session incident-b')).toBeGreaterThan(-1);
    expect(section.indexOf('Session incident-a')).toBeGreaterThan(section.indexOf('Session incident-b') - 1);
    expect(section).toContain(
      'fix that worked then: Edit: /srv/shop/deploy/values-staging.yaml then Bash: helm upgrade billing-stripe',
    );
    expect(section).toMatch(/written up in \.runbook\/learning\/[^\n]*incident-a[^\n]*\.md/);
    // The earliest occurrence has nothing before it.
    const firstOut = JSON.parse(
      first.stdout === '' ? '{}' : (await claude(['learn', 'incident-a', '--json'])).stdout,
    ) as { artifacts: { postmortem?: string; summary?: string } };
    expect(readFileSync((firstOut.artifacts.postmortem ?? firstOut.artifacts.summary)!, 'utf8')).not.toContain(
      '## Seen before',
    );
  });
});
