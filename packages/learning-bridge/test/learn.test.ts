import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isRunbookError } from '@runbook/storage-core';
import { createLocalBackend } from '@runbook/storage-local';
import { knowledgeSuggestionSchema, learnFromSession, splitFrontmatter } from '../src/index.js';
import { examplePayloads, recordsFor } from './helpers.js';

const SESSION = '3f6c2b1e-8a47-4d2f-9b3e-5c1d7a9e4f20';
let project: string;

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'learning-bridge-'));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

async function storeExample() {
  const backend = createLocalBackend({ baseDir: path.join(project, '.runbook', 'hooks', 'claude') });
  const records = recordsFor(examplePayloads());
  for (const record of records) await backend.append(record);
  return { backend, records };
}

/** Every file under a folder with its content, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('learnFromSession with a local backend', () => {
  test("writes the postmortem, suggestions, investigation and documents with the session's real times", async () => {
    const { backend, records } = await storeExample();
    const result = await learnFromSession({
      records: backend.read(SESSION),
      sessionId: SESSION,
      projectDir: project,
      incidentId: 'INC-2041',
    });
    const dir = path.join(project, '.runbook', 'learning', `2026-11-25-${SESSION}`);
    expect(result.artifacts.dir).toBe(dir);
    expect(result.artifacts.postmortem).toBe(path.join(dir, 'postmortem-INC-2041.md'));

    const postmortem = readFileSync(result.artifacts.postmortem!, 'utf8');
    const { frontmatter, body } = splitFrontmatter(postmortem);
    expect(frontmatter).toMatchObject({
      incident_id: 'INC-2041',
      session_id: SESSION,
      severity: 'SEV2',
      started_at: records[0]!.observedAt,
      ended_at: records.at(-1)!.observedAt,
      drafter: 'offline',
    });
    for (const heading of [
      '## Summary',
      '## Impact',
      '## Detection',
      '## Root cause',
      '## Contributing factors',
      '## Timeline (UTC)',
      '## What went well',
      '## What went poorly',
      '## Action items',
    ]) {
      expect(body).toContain(heading);
    }
    // Timeline lines carry the stored observation times.
    const failed = records.find((r) => r.eventName === 'PostToolUseFailure')!;
    expect(body).toContain(
      `**${failed.observedAt.slice(0, 10)} ${failed.observedAt.slice(11, 19)}Z** — Ran \`kubectl --context prod-us-east-1 rollout undo`,
    );

    const suggestions = JSON.parse(readFileSync(result.artifacts.knowledgeSuggestions, 'utf8')) as unknown[];
    expect(suggestions.length).toBe(2);
    for (const s of suggestions) expect(knowledgeSuggestionSchema.safeParse(s).success).toBe(true);
    const investigation = JSON.parse(readFileSync(result.artifacts.investigation, 'utf8')) as {
      sessionId: string;
      failedActions: unknown[];
    };
    expect(investigation.sessionId).toBe(SESSION);
    expect(investigation.failedActions).toHaveLength(1);
    expect(result.artifacts.knowledge.map((f) => path.basename(f))).toEqual([
      'payments-api-5xx-errors-and-crashloopbackoff.md',
      'payments-api-fatal-invalid-configuration-required-setting-da.md',
    ]);
    expect(result.headline.failingCommands).toEqual([
      'kubectl --context prod-us-east-1 rollout undo deployment/payments-api -n payments --to-revision=56 — error: unable to find specified revision 56 in history',
    ]);
    expect(result.headline.fix).toContain('rollout restart deployment/payments-api');
  });

  test('learning the same session twice writes identical files', async () => {
    const { backend } = await storeExample();
    await learnFromSession({ records: backend.read(SESSION), sessionId: SESSION, projectDir: project });
    const first = snapshot(path.join(project, '.runbook', 'learning'));
    await learnFromSession({ records: backend.read(SESSION), sessionId: SESSION, projectDir: project });
    expect(snapshot(path.join(project, '.runbook', 'learning'))).toEqual(first);
  });

  test('an existing runbook for the service gets a dated "Incident learnings" entry, once', async () => {
    const { backend } = await storeExample();
    const runbooks = path.join(project, '.runbook', 'runbooks');
    mkdirSync(runbooks, { recursive: true });
    const original =
      '---\ntitle: Payments API\nservices:\n  - payments-api\n---\n\n# Payments API\n\n## Rollback\n\nUse `kubectl rollout undo`.\n';
    writeFileSync(path.join(runbooks, 'payments-api.md'), original);
    writeFileSync(path.join(runbooks, 'ledger.md'), '---\ntitle: Ledger\nservices: [ledger]\n---\n# Ledger\n');

    const first = await learnFromSession({
      records: backend.read(SESSION),
      sessionId: SESSION,
      projectDir: project,
      applyRunbookUpdates: true,
      incidentId: 'INC-2041',
    });
    expect(first.applied).toEqual([
      { file: path.join(runbooks, 'payments-api.md'), action: 'updated', suggestion: 'Payments API' },
    ]);
    const updated = readFileSync(path.join(runbooks, 'payments-api.md'), 'utf8');
    expect(updated.startsWith(original.trimEnd())).toBe(true);
    expect(updated).toContain(
      '## Incident learnings\n\n### 2026-11-25 — INC-2041: payments-api: 5xx errors and CrashLoopBackOff',
    );
    expect(updated).toContain('kubectl --context prod-us-east-1 apply -f deploy/k8s/payments-api/configmap.yaml');
    expect(readFileSync(path.join(runbooks, 'ledger.md'), 'utf8')).toBe(
      '---\ntitle: Ledger\nservices: [ledger]\n---\n# Ledger\n',
    );
    expect(first.artifacts.runbookUpdates.map((f) => path.basename(f))).toEqual(['payments-api.md']);

    const before = snapshot(project);
    const second = await learnFromSession({
      records: backend.read(SESSION),
      sessionId: SESSION,
      projectDir: project,
      applyRunbookUpdates: true,
      incidentId: 'INC-2041',
    });
    expect(second.applied.map((a) => a.action)).toEqual(['unchanged']);
    expect(snapshot(project)).toEqual(before);
  });

  test('with no matching runbook a new one is created, and a second run changes nothing', async () => {
    const { backend } = await storeExample();
    const first = await learnFromSession({
      records: backend.read(SESSION),
      sessionId: SESSION,
      projectDir: project,
      applyRunbookUpdates: true,
    });
    const created = path.join(project, '.runbook', 'runbooks', 'payments-api-5xx-errors-and-crashloopbackoff.md');
    expect(first.applied).toEqual([
      { file: created, action: 'created', suggestion: 'payments-api: 5xx errors and CrashLoopBackOff' },
    ]);
    const { frontmatter, body } = splitFrontmatter(readFileSync(created, 'utf8'));
    expect(frontmatter).toMatchObject({
      title: 'payments-api: 5xx errors and CrashLoopBackOff',
      services: ['payments-api'],
    });
    expect(body).toContain('## Fix');

    const before = snapshot(project);
    const second = await learnFromSession({
      records: backend.read(SESSION),
      sessionId: SESSION,
      projectDir: project,
      applyRunbookUpdates: true,
    });
    expect(second.applied.map((a) => a.action)).toEqual(['unchanged']);
    expect(snapshot(project)).toEqual(before);
  });

  test('--out and a custom drafter that returns garbage: offline draft with a note', async () => {
    const { backend } = await storeExample();
    const out = path.join(project, 'elsewhere');
    const result = await learnFromSession({
      records: backend.read(SESSION),
      sessionId: SESSION,
      projectDir: project,
      outDir: out,
      drafter: {
        name: 'broken',
        draft: async () => ({ draft: { postmortem: {} } as never, drafter: 'broken', notes: [] }),
      },
    });
    expect(result.artifacts.dir.startsWith(out)).toBe(true);
    expect(result.drafter).toBe('offline');
    expect(result.notes[0]).toMatch(
      /^broken returned an invalid draft \(postmortem\.title: .+\); used the offline draft instead$/,
    );
    expect(readFileSync(result.artifacts.postmortem!, 'utf8')).toContain('broken returned an invalid draft');
  });

  test('a session with no stored events is SESSION_NOT_FOUND', async () => {
    const { backend } = await storeExample();
    const error = await learnFromSession({
      records: backend.read('no-such-session'),
      sessionId: 'no-such-session',
      projectDir: project,
    }).catch((e: unknown) => e);
    expect(isRunbookError(error, 'SESSION_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe('session no-such-session has no stored events');
  });
});
