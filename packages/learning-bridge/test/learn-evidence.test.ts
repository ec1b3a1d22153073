import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { HookPayload } from '@runbook/storage-core';
import { markdownProblems } from '../eval/markdown-check.mjs';
import {
  buildTimeline,
  draftOffline,
  fitText,
  learnFromSession,
  learningDraftSchema,
  synthesizeInvestigation,
  UNKNOWN,
} from '../src/index.js';
import { insertLearning, learningEntry } from '../src/runbook-learnings.js';
import { recordsFor, stream } from './helpers.js';

const SID = 's-evidence';
const hook = (name: string, extra: Record<string, unknown>): HookPayload => ({
  session_id: SID,
  transcript_path: '/t.jsonl',
  cwd: '/w',
  hook_event_name: name,
  ...extra,
});
let n = 0;
function bash(command: string, outcome: { stdout?: string; error?: string }): HookPayload[] {
  const id = `toolu_${++n}`;
  const pre = hook('PreToolUse', { tool_name: 'Bash', tool_input: { command }, tool_use_id: id });
  const post =
    outcome.error !== undefined
      ? hook('PostToolUseFailure', {
          tool_name: 'Bash',
          tool_input: { command },
          tool_use_id: id,
          error: outcome.error,
          is_interrupt: false,
        })
      : hook('PostToolUse', {
          tool_name: 'Bash',
          tool_input: { command },
          tool_use_id: id,
          tool_response: { stdout: outcome.stdout ?? '', stderr: '', interrupted: false, isImage: false },
        });
  return [pre, post];
}
const prompt = (text: string) => hook('UserPromptSubmit', { prompt: text });
const stop = (message?: string) =>
  hook('Stop', { stop_hook_active: false, ...(message ? { last_assistant_message: message } : {}) });

async function investigate(payloads: HookPayload[], incidentId?: string) {
  const timeline = await buildTimeline(stream(recordsFor(payloads)));
  return { timeline, inv: synthesizeInvestigation(timeline, incidentId ? { incidentId, kind: 'incident' } : {}) };
}

let project: string;
beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'learn-evidence-'));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('failures, fixes and verification', () => {
  test('a PostToolUseFailure is root-cause evidence, a config command the fix, the retried command the verification', async () => {
    const { inv } = await investigate([
      prompt('commit my changes'),
      ...bash('git commit -m "Fix typo"', {
        error: 'Exit code 128\nAuthor identity unknown\n\nfatal: empty ident name (for <me@box.(none)>) not allowed',
      }),
      ...bash('git config user.email "me@example.com"', { stdout: '' }),
      ...bash('git commit -m "Fix typo"', { stdout: '[main 1a2b3c4] Fix typo\n 1 file changed' }),
      stop(),
    ]);
    expect(inv.rootCauseEvidence).not.toBe(UNKNOWN);
    expect(inv.rootCauseEvidence !== UNKNOWN && inv.rootCauseEvidence.text).toBe(
      'fatal: empty ident name (for <me@box.(none)>) not allowed',
    );
    expect(inv.resolution !== UNKNOWN && inv.resolution.steps.map((s) => s.command)).toEqual([
      'git config user.email "me@example.com"',
    ]);
    expect(inv.resolution !== UNKNOWN && inv.resolution.verifiedBy.map((s) => s.command)).toEqual([
      'git commit -m "Fix typo"',
    ]);
    expect(inv.kind).toBe('debugging');
  });

  test.each([
    'kubectl set env deployment/api DEBUG=1',
    'helm upgrade api ./chart --set replicas=3',
    'npm config set registry https://npm.example.com/',
    'git config --global core.autocrlf input',
  ])('configuration command %s is a change', async (command) => {
    const { timeline } = await investigate([...bash(command, { stdout: 'ok' })]);
    expect(timeline.events[0]!.mutating).toBe(true);
  });

  test('search hits, matches in a minified bundle and lint warnings are not error evidence', async () => {
    const minified = `dist/app.min.js:1:${'function a(b){if(!b)throw new Error("fatal: bad input");return b}'.repeat(30)}`;
    const { timeline, inv } = await investigate([
      prompt('tidy up the error helpers'),
      ...bash('grep -rn "error" src | head -50', {
        stdout: `src/errors.ts:4:throw new Error("fatal: unsupported locale")\n${minified}\n`,
      }),
      ...bash('npx eslint src', {
        stdout:
          'src/a.ts\n  3:1  warning  Unexpected console statement  no-console\n\n✖ 1 problem (0 errors, 1 warning)',
      }),
      ...bash('grep -rn "nothing-like-this" src', { error: 'Exit code 1\n' }),
    ]);
    expect(timeline.events.flatMap((e) => e.signals ?? [])).toEqual([]);
    expect(inv.errors).toEqual([]);
    expect(inv.rootCauseEvidence).toBe(UNKNOWN);
    expect(inv.failedActions).toEqual([]);
  });

  test('logs searched with grep are still evidence', async () => {
    const { inv } = await investigate([
      ...bash('kubectl logs deploy/api | grep -i error', { stdout: 'ERROR db: connection refused\n' }),
    ]);
    expect(inv.errors.map((e) => e.text)).toEqual(['ERROR db: connection refused']);
  });

  test("the Stop hook's last_assistant_message is quoted and attributed, never the root cause on its own", async () => {
    const { inv } = await investigate([
      prompt('why is staging slow?'),
      ...bash('uptime', { stdout: 'load average: 0.1' }),
      stop('The database is slow because of a missing index.'),
    ]);
    expect(inv.statements).toEqual([
      expect.objectContaining({
        source: 'stop-hook',
        speaker: 'the agent',
        text: 'The database is slow because of a missing index.',
      }),
    ]);
    expect(inv.rootCauseEvidence).toBe(UNKNOWN);
    const draft = draftOffline({
      investigation: { ...inv, kind: 'incident' },
      timeline: await buildTimeline(stream([])),
      runbooks: [],
    });
    expect(draft.postmortem.rootCause).toMatch(
      /^unknown: the session recorded no error output that explains the failure\. The agent said at \d\d:\d\d:\d\dZ \(its own account, not verified\): "The database is slow because of a missing index\."$/,
    );
  });
});

describe('the session kind decides the document', () => {
  test('plain coding work gets a work summary: files changed and checks run, no postmortem, severity or owners', async () => {
    const records = recordsFor([
      prompt('Write a function that formats byte counts, with tests'),
      hook('PreToolUse', {
        tool_name: 'Write',
        tool_input: { file_path: '/w/src/bytes.ts', content: 'export const x = 1;\n' },
        tool_use_id: 'w1',
      }),
      hook('PostToolUse', {
        tool_name: 'Write',
        tool_input: { file_path: '/w/src/bytes.ts', content: 'export const x = 1;\n' },
        tool_use_id: 'w1',
        tool_response: {
          type: 'create',
          filePath: '/w/src/bytes.ts',
          content: 'export const x = 1;\n',
          structuredPatch: [],
        },
      }),
      ...bash('pnpm test', { stdout: 'Tests  3 passed (3)' }),
      stop('Added formatBytes.'),
    ]);
    const result = await learnFromSession({ records: stream(records), sessionId: SID, projectDir: project });
    expect(result.headline.kind).toBe('change');
    expect(result.artifacts.postmortem).toBeUndefined();
    const summary = readFileSync(result.artifacts.summary!, 'utf8');
    expect(summary).toContain('- Changed `src/bytes.ts`');
    expect(summary).toContain('- `pnpm test` — passed');
    expect(summary).not.toMatch(/severity|on-call|P[0-3]\b|no error output that explains/i);
    expect(markdownProblems(summary, fromMarkdown)).toEqual([]);
  });

  test('a reported symptom without signs of an incident is debugging, not change work', async () => {
    const { inv } = await investigate([
      prompt('the staging api is slow since this morning'),
      ...bash('kubectl --context staging top pods -n api', { stdout: 'api-7d9f8b6c5-x2k4q  950m  1800Mi' }),
      ...bash('kubectl --context staging rollout restart deployment/api -n api', {
        stdout: 'deployment.apps/api restarted',
      }),
      stop(),
    ]);
    expect(inv.kind).toBe('debugging');
  });

  test('--incident-id forces the incident form', async () => {
    const records = recordsFor([prompt('Write a README section'), ...bash('touch README.md', { stdout: '' }), stop()]);
    const result = await learnFromSession({
      records: stream(records),
      sessionId: SID,
      projectDir: project,
      incidentId: 'INC-7',
    });
    expect(result.headline.kind).toBe('incident');
    expect(path.basename(result.artifacts.postmortem!)).toBe('postmortem-INC-7.md');
  });
});

describe('drafts always validate and markdown stays valid', () => {
  test('an item over its limit is cut at a boundary, never inside inline code, and the draft validates', async () => {
    const long = Array.from(
      { length: 6 },
      (_, i) => `curl -s https://status.example.com/check/${i}/${'x'.repeat(150)}`,
    );
    const { timeline, inv } = await investigate([
      prompt('SEV2 incident: api returns 500 in production'),
      ...bash('kubectl rollout restart deployment/api', {
        error: 'Exit code 1\nerror: deployments.apps "api" not found',
      }),
      ...bash('kubectl rollout restart deployment/api-v2', { stdout: 'restarted' }),
      ...long.flatMap((c) => bash(c, { stdout: '200' })),
      stop(),
    ]);
    const draft = draftOffline({ investigation: inv, timeline, runbooks: [] });
    expect(learningDraftSchema.safeParse(draft).success).toBe(true);
    for (const item of [...draft.postmortem.whatWentWell, ...draft.postmortem.contributingFactors]) {
      expect(item.length).toBeLessThanOrEqual(600);
      expect((item.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });

  test('fitText cuts at a sentence, then a separator, and keeps code spans whole', () => {
    expect(fitText('First sentence here. Second sentence is long enough to cut.', 30)).toBe('First sentence here.…');
    const cut = fitText('Verified with `kubectl get pods -n payments`, `curl -s https://example.com/healthz`', 60);
    expect(cut).toBe('Verified with `kubectl get pods -n payments`…');
  });

  test('a heredoc command shows its first line and an ellipsis in the headline and documents', async () => {
    const heredoc = "cat > deploy.sh <<'EOF'\nset -e\nkubectl apply -f k8s/\nEOF";
    const records = recordsFor([
      prompt('fix the deploy script, it fails'),
      ...bash(heredoc, { error: 'Exit code 1\nerror: open k8s/: no such file or directory' }),
      stop(),
    ]);
    const result = await learnFromSession({ records: stream(records), sessionId: SID, projectDir: project });
    expect(result.headline.failingCommands).toEqual([
      "cat > deploy.sh <<'EOF' … — error: open k8s/: no such file or directory",
    ]);
    const summary = readFileSync(result.artifacts.summary!, 'utf8');
    expect(summary).not.toContain('kubectl apply -f k8s/\n');
    expect(markdownProblems(summary, fromMarkdown)).toEqual([]);
  });
});

describe('runbook updates', () => {
  const inv = (id: string) =>
    ({ id, incidentId: id, startedAt: '2026-11-25T10:00:00.000Z' }) as Parameters<typeof learningEntry>[0];

  test('a new entry never lands inside an earlier one, whatever headings its body holds', () => {
    const first = learningEntry(
      inv('a'),
      'First',
      '## Fix\n\n1. restart\n\n# Verify\n\n```sh\n# a comment, not a heading\n```',
    );
    const doc = insertLearning('# Runbook\n\n## Incident learnings\n', inv('a'), first);
    const second = insertLearning(doc, inv('b'), learningEntry(inv('b'), 'Second', 'body of b'));
    const headings = fromMarkdown(second)
      .children.filter((c) => c.type === 'heading')
      .map((h) => (h as { depth: number }).depth);
    expect(headings).toEqual([1, 2, 3, 3]);
    expect(second.indexOf('body of b')).toBeLessThan(second.indexOf('runbook-learning: a'));
    expect(second).toContain('**Fix**');
    expect(second).toContain('# a comment, not a heading');
  });

  test('no catch-all runbook: without a target the learnings stay a proposal; --runbook names where they go', async () => {
    const payloads = [
      prompt('the nightly export fails, fix it'),
      ...bash('./export.sh', { error: 'Exit code 1\nError: EACCES: permission denied, open /data/out.csv' }),
      ...bash('chmod 664 /data/out.csv', { stdout: '' }),
      ...bash('./export.sh', { stdout: 'done' }),
      stop(),
    ];
    const first = await learnFromSession({
      records: stream(recordsFor(payloads)),
      sessionId: SID,
      projectDir: project,
      applyRunbookUpdates: true,
    });
    expect(first.applied.map((a) => a.action)).toEqual(['not-applied']);
    expect(first.notes.join('\n')).toContain('--runbook <name>');
    expect(first.artifacts.runbookUpdates.map((f) => path.basename(f))).toEqual(['unplaced.md']);
    expect(() => readFileSync(path.join(project, '.runbook', 'runbooks', 'service-recovery.md'))).toThrow();

    mkdirSync(path.join(project, '.runbook', 'runbooks'), { recursive: true });
    writeFileSync(path.join(project, '.runbook', 'runbooks', 'nightly-export.md'), '# Nightly export\n');
    const second = await learnFromSession({
      records: stream(recordsFor(payloads)),
      sessionId: SID,
      projectDir: project,
      applyRunbookUpdates: true,
      runbook: 'nightly-export',
    });
    expect(second.applied.map((a) => [path.basename(a.file), a.action])).toEqual([['nightly-export.md', 'updated']]);
    const runbook = readFileSync(path.join(project, '.runbook', 'runbooks', 'nightly-export.md'), 'utf8');
    expect(runbook).toContain('chmod 664 /data/out.csv');
    expect(markdownProblems(runbook, fromMarkdown)).toEqual([]);
  });
});

describe('redaction of everything learn writes', () => {
  test('a secret stored before redaction existed reaches no artifact and no headline', async () => {
    const secret = 'ghp_9fK2mQ7xLr4Tz8WvB1nC6yH3dJ5pS0aE2uGi';
    const payloads = [
      prompt(`deploy fails, token is ${secret}`),
      ...bash(`GITHUB_TOKEN=${secret} ./deploy.sh`, { error: `Exit code 1\nerror: bad credentials for ${secret}` }),
      stop(),
    ];
    const { createTextRedactor } = await import('@runbook/hook-ingest');
    const redact = createTextRedactor();
    const result = await learnFromSession({
      records: stream(recordsFor(payloads)),
      sessionId: SID,
      projectDir: project,
      redact: (t) => redact(t),
    });
    const written = ['summary', 'investigation', 'knowledgeSuggestions']
      .map((k) => readFileSync(result.artifacts[k as 'summary']!, 'utf8'))
      .join('\n');
    expect(written).not.toContain(secret);
    expect(JSON.stringify(result.headline)).not.toContain(secret);
    expect(written).toContain('[REDACTED:github-token]');
  });
});
