import { afterEach, describe, expect, test } from 'vitest';
import {
  buildTimeline,
  createAnthropicDrafter,
  createOfflineDrafter,
  draftOffline,
  learningDraftSchema,
  synthesizeInvestigation,
  validateDraft,
  type DraftInput,
  type LearningDraft,
} from '../src/index.js';
import { examplePayloads, recordsFor, stream } from './helpers.js';
import { errorReply, startMessagesServer, toolUseReply, type MessagesServer } from './messages-server.js';

async function exampleInput(): Promise<DraftInput> {
  const timeline = await buildTimeline(stream(recordsFor(examplePayloads())));
  return { timeline, investigation: synthesizeInvestigation(timeline), runbooks: [] };
}

function times(input: DraftInput): Set<string> {
  return new Set(input.timeline.events.map((e) => e.at));
}

describe('offline drafter', () => {
  test("fills every field from the evidence, with the session's own timestamps", async () => {
    const input = await exampleInput();
    const { draft, drafter, notes } = await createOfflineDrafter().draft(input);
    expect(drafter).toBe('offline');
    expect(notes).toEqual([]);
    expect(validateDraft(draft, times(input))).toEqual({ ok: true, draft });
    const pm = draft.postmortem;
    expect(pm.title).toBe('payments-api: 5xx errors and CrashLoopBackOff');
    expect(pm.severity).toBe('SEV2');
    expect(pm.rootCause).toContain('required setting DATABASE_POOL_MAX is not set');
    expect(pm.timeline[0]!.at).toBe('2026-11-25T14:20:00.000Z');
    expect(
      pm.timeline.some(
        (t) => t.event.includes('rollout undo') && t.event.includes('unable to find specified revision 56'),
      ),
    ).toBe(true);
    expect(pm.contributingFactors[0]).toContain('unable to find specified revision 56 in history');
    expect(pm.actionItems.length).toBeGreaterThan(0);
    expect(pm.actionItems.every((a) => a.ownerRole && a.priority && a.category)).toBe(true);
    expect(draft.knowledgeSuggestions.map((s) => s.type)).toEqual(['new_runbook', 'new_known_issue']);
    expect(draft.knowledgeSuggestions[0]!.markdown).toContain(
      'kubectl --context prod-us-east-1 apply -f deploy/k8s/payments-api/configmap.yaml',
    );
  });

  test('is deterministic', async () => {
    const input = await exampleInput();
    expect(JSON.stringify(draftOffline(input))).toBe(JSON.stringify(draftOffline(await exampleInput())));
  });

  test('a huge session still yields a bounded postmortem timeline that keeps the failures and the fix', async () => {
    const payloads = examplePayloads();
    const filler = Array.from({ length: 400 }, (_, i) => ({
      ...payloads[2]!,
      hook_event_name: 'PostToolUse',
      tool_use_id: `toolu_fill${i}`,
      tool_input: { command: `kubectl get pods -n payments # ${i}` },
      tool_response: { stdout: 'ok', stderr: '' },
    }));
    const all = [...payloads.slice(0, 4), ...filler, ...payloads.slice(4)];
    const timeline = await buildTimeline(stream(recordsFor(all, Date.parse('2026-11-25T14:20:00Z'), 1000)));
    const input = { timeline, investigation: synthesizeInvestigation(timeline), runbooks: [] };
    const draft = draftOffline(input);
    expect(learningDraftSchema.safeParse(draft).success).toBe(true);
    expect(draft.postmortem.timeline.length).toBeLessThanOrEqual(40);
    const text = draft.postmortem.timeline.map((t) => t.event).join('\n');
    expect(text).toContain('rollout undo');
    expect(text).toContain('Edited deploy/k8s/payments-api/configmap.yaml');
    expect(text).toContain('DATABASE_POOL_MAX');
  });
});

describe('Anthropic drafter against a loopback Messages API', () => {
  let server: MessagesServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function modelDraft(input: DraftInput, title: string): LearningDraft {
    const offline = draftOffline(input);
    return {
      ...offline,
      postmortem: {
        ...offline.postmortem,
        title,
        rootCause: 'DB_POOL_MAX was renamed to DATABASE_POOL_MAX in v2.14.0; the ConfigMap still set the old name.',
      },
    };
  }

  test('a valid answer is used as it is, and the request carries model, key, tool and evidence', async () => {
    const input = await exampleInput();
    const answer = modelDraft(input, 'payments-api crash-looped after v2.14.0 renamed a setting');
    server = await startMessagesServer([toolUseReply(answer)]);
    const drafter = createAnthropicDrafter({
      model: 'claude-test',
      apiKey: 'sk-ant-test-key',
      baseURL: server.baseURL,
      maxRetries: 0,
    });
    const result = await drafter.draft(input);
    expect(result.drafter).toBe('anthropic:claude-test');
    expect(result.notes).toEqual([]);
    expect(result.draft).toEqual(answer);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.url).toBe('/v1/messages');
    // The key from the options is what authenticates the request (header name depends on the SDK version).
    expect([request!.headers['x-api-key'], request!.headers.authorization]).toContainEqual(
      expect.stringContaining('sk-ant-test-key'),
    );
    expect(request!.body).toMatchObject({
      model: 'claude-test',
      tool_choice: { type: 'tool', name: 'submit_learning' },
    });
    const evidence = JSON.stringify(request!.body.messages);
    expect(evidence).toContain('unable to find specified revision 56 in history');
    expect(evidence).toContain('2026-11-25T14:21:45.000Z');
  });

  test('an invalid answer gets one repair round trip that names the problem', async () => {
    const input = await exampleInput();
    const bad = modelDraft(input, 'first try');
    bad.postmortem.timeline = [{ at: '2026-11-25T13:00:00.000Z', event: 'An invented alert fired' }];
    const good = modelDraft(input, 'second try');
    server = await startMessagesServer([toolUseReply(bad), toolUseReply(good)]);
    const result = await createAnthropicDrafter({
      model: 'claude-test',
      apiKey: 'k',
      baseURL: server.baseURL,
      maxRetries: 0,
    }).draft(input);
    expect(result.draft.postmortem.title).toBe('second try');
    expect(result.drafter).toBe('anthropic:claude-test');
    expect(result.notes[0]).toContain('repaired draft passed');
    expect(server.requests).toHaveLength(2);
    const repair = server.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
    expect(repair).toHaveLength(3);
    expect(repair[1]!.role).toBe('assistant');
    expect(JSON.stringify(repair[2]!.content)).toContain(
      '2026-11-25T13:00:00.000Z is not a timestamp of any event in the session',
    );
    expect(JSON.stringify(repair[2]!.content)).toContain('"is_error":true');
  });

  test('invalid twice falls back to the offline draft with a note saying so', async () => {
    const input = await exampleInput();
    server = await startMessagesServer([toolUseReply({ postmortem: { title: '' }, knowledgeSuggestions: 'none' })]);
    const result = await createAnthropicDrafter({
      model: 'claude-test',
      apiKey: 'k',
      baseURL: server.baseURL,
      maxRetries: 0,
    }).draft(input);
    expect(server.requests).toHaveLength(2);
    expect(result.drafter).toBe('offline');
    expect(result.draft).toEqual(draftOffline(input));
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(
      /^anthropic:claude-test output failed validation twice \(.+\); used the offline draft instead$/,
    );
  });

  test('an API error falls back to the offline draft with the reason', async () => {
    const input = await exampleInput();
    server = await startMessagesServer([errorReply(401, 'authentication_error', 'invalid x-api-key')]);
    const result = await createAnthropicDrafter({
      model: 'claude-test',
      apiKey: 'wrong',
      baseURL: server.baseURL,
      maxRetries: 0,
    }).draft(input);
    expect(result.drafter).toBe('offline');
    expect(result.notes[0]).toMatch(/^Anthropic request failed \(.*401.*\); used the offline draft instead$/);
    expect(server.requests).toHaveLength(1);
  });
});
