import { describe, expect, test } from 'vitest';
import { createRecord } from '@runbook/storage-core';
import { buildTimeline, parseRunbook, synthesizeInvestigation, UNKNOWN, type Resolution } from '../src/index.js';
import { examplePayloads, recordsFor, stream } from './helpers.js';

async function exampleTimeline() {
  return buildTimeline(stream(recordsFor(examplePayloads())));
}

describe('synthesizeInvestigation on the example session', () => {
  test('question, services, symptoms and errors come from the session', async () => {
    const inv = synthesizeInvestigation(await exampleTimeline());
    expect(inv.question).toMatch(/^PagerDuty paged me: payments-api 5xx rate/);
    expect(inv.questionSource).toBe('first-prompt');
    expect(inv.services[0]).toMatchObject({
      name: 'payments-api',
      evidence: expect.arrayContaining(['deployment', 'label', 'pod', 'path']),
    });
    expect(inv.services.find((s) => s.name === 'payments')?.evidence).toEqual(['namespace']);
    expect(inv.symptoms).toEqual(expect.arrayContaining(['5xx errors', 'CrashLoopBackOff']));
    expect(inv.errors[0]!.text).toContain('DATABASE_POOL_MAX is not set');
    expect(inv.duration).toBe('8m');
    expect(inv.startedAt).toBe('2026-11-25T14:20:00.000Z');
  });

  test('the failed attempt, the fix and its verification are the ones in the session', async () => {
    const inv = synthesizeInvestigation(await exampleTimeline());
    expect(inv.failedActions).toHaveLength(1);
    expect(inv.failedActions[0]).toMatchObject({
      command: 'kubectl --context prod-us-east-1 rollout undo deployment/payments-api -n payments --to-revision=56',
      error: 'error: unable to find specified revision 56 in history',
      exitCode: 1,
    });
    expect(inv.resolution).not.toBe(UNKNOWN);
    const resolution = inv.resolution as Resolution;
    expect(resolution.steps.map((s) => s.command ?? s.action)).toEqual([
      'Edited deploy/k8s/payments-api/configmap.yaml',
      'kubectl --context prod-us-east-1 apply -f deploy/k8s/payments-api/configmap.yaml',
      'kubectl --context prod-us-east-1 rollout restart deployment/payments-api -n payments',
    ]);
    expect(resolution.change.command).toBe(
      'kubectl --context prod-us-east-1 rollout restart deployment/payments-api -n payments',
    );
    expect(resolution.verifiedBy.map((s) => s.command)).toEqual([
      'kubectl --context prod-us-east-1 rollout status deployment/payments-api -n payments --timeout=180s',
      'kubectl --context prod-us-east-1 get pods -n payments -l app=payments-api',
      "curl -s -o /dev/null -w '%{http_code}\\n' https://payments-api.internal.example.com/healthz",
    ]);
    expect(inv.rootCauseEvidence).toMatchObject({
      weight: 3,
      text: expect.stringContaining('DB_POOL_MAX was renamed in v2.14.0'),
    });
    expect(inv.confidence.level).toBe('high');
    expect(inv.stats.filesChanged).toEqual(['deploy/k8s/payments-api/configmap.yaml']);
  });

  test('--query replaces the question and runbook frontmatter services are recognised', async () => {
    const runbook = parseRunbook(
      '/p/.runbook/runbooks/payments.md',
      '---\ntitle: Payments API\nservices: [payments-api, ledger]\n---\n# Payments API\n',
    );
    const inv = synthesizeInvestigation(await exampleTimeline(), {
      query: 'Why did payments-api crash after v2.14.0?',
      incidentId: 'INC 2041/a',
      runbooks: [runbook],
    });
    expect(inv.question).toBe('Why did payments-api crash after v2.14.0?');
    expect(inv.questionSource).toBe('query');
    expect(inv.incidentId).toBe('INC-2041-a');
    expect(inv.services[0]).toMatchObject({ name: 'payments-api', runbooks: ['payments.md'] });
    expect(inv.services[0]!.evidence[0]).toBe('runbook');
    expect(inv.services.some((s) => s.name === 'ledger')).toBe(false);
    expect(inv.matchedRunbooks).toEqual(['payments.md']);
  });
});

describe('synthesizeInvestigation with little evidence', () => {
  test('what the session does not show stays unknown and confidence is low', async () => {
    const record = createRecord({
      sessionId: 'quiet',
      eventName: 'UserPromptSubmit',
      payload: { session_id: 'quiet', hook_event_name: 'UserPromptSubmit', prompt: 'What does this repo do?' },
      observedAt: new Date('2026-03-01T09:00:00Z'),
    });
    const inv = synthesizeInvestigation(await buildTimeline(stream([record])));
    expect(inv.question).toBe('What does this repo do?');
    expect(inv.services).toEqual([]);
    expect(inv.symptoms).toEqual([]);
    expect(inv.resolution).toBe(UNKNOWN);
    expect(inv.rootCauseEvidence).toBe(UNKNOWN);
    expect(inv.failedActions).toEqual([]);
    expect(inv.kind).toBe('question');
    expect(inv.confidence.level).toBe('low');
    expect(inv.confidence.reasons).toEqual(
      expect.arrayContaining([
        'only 0 tool call(s) recorded',
        'nothing was read to answer it',
        'the session has no Stop or SessionEnd',
      ]),
    );
  });

  test('a change that failed is not taken as the fix', async () => {
    const base = { session_id: 'f', hook_event_name: 'PostToolUseFailure', tool_name: 'Bash' };
    const records = [
      createRecord({
        sessionId: 'f',
        eventName: 'PostToolUseFailure',
        payload: {
          ...base,
          tool_input: { command: 'kubectl apply -f web.yaml' },
          error: 'Exit code 1\nerror: the server could not find the requested resource',
        },
        observedAt: new Date('2026-03-01T09:00:00Z'),
      }),
      createRecord({
        sessionId: 'f',
        eventName: 'Stop',
        payload: { session_id: 'f', hook_event_name: 'Stop', stop_hook_active: false },
        observedAt: new Date('2026-03-01T09:01:00Z'),
      }),
    ];
    const inv = synthesizeInvestigation(await buildTimeline(stream(records)));
    expect(inv.resolution).toBe(UNKNOWN);
    expect(inv.failedActions[0]!.error).toBe('error: the server could not find the requested resource');
  });
});
