import { describe, expect, test } from 'vitest';
import { createRecord } from '@runbook/storage-core';
import { buildTimeline } from '../src/index.js';
import { examplePayloads, recordsFor, stream } from './helpers.js';

const SESSION = '3f6c2b1e-8a47-4d2f-9b3e-5c1d7a9e4f20';

function hook(eventName: string, extra: Record<string, unknown>) {
  return { session_id: 's-1', transcript_path: '/t/s-1.jsonl', cwd: '/srv/app', hook_event_name: eventName, ...extra };
}

describe('buildTimeline', () => {
  test('the example session becomes one event per prompt, tool call and stop, in time order', async () => {
    const records = recordsFor(examplePayloads());
    const shuffled = [...records].reverse();
    const timeline = await buildTimeline(stream(shuffled));
    expect(timeline.sessionId).toBe(SESSION);
    expect(timeline.recordCount).toBe(records.length);
    expect(timeline.cwd).toBe('/home/dana/src/payments-platform');
    const times = timeline.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Every PreToolUse was joined with its result: 13 tool calls from 26 records.
    expect(timeline.events.filter((e) => e.phase === 'tool_call' || e.phase === 'tool_failure')).toHaveLength(13);
    expect(timeline.events.every((e) => records.some((r) => r.observedAt === e.at))).toBe(true);
    expect(timeline.events.map((e) => e.phase)).toEqual([
      'session_start',
      'prompt',
      'tool_call',
      'tool_call',
      'tool_call',
      'tool_call',
      'tool_call',
      'tool_failure',
      'notification',
      'tool_call',
      'tool_call',
      'tool_call',
      'tool_call',
      'tool_call',
      'tool_call',
      'conclusion',
      'prompt',
      'tool_call',
      'conclusion',
      'session_end',
    ]);
  });

  test('descriptions say what happened: the prompt, the command, the file, the error', async () => {
    const { events } = await buildTimeline(stream(recordsFor(examplePayloads())));
    const lines = events.map((e) => e.description);
    expect(lines[1]).toMatch(/^Prompt: "PagerDuty paged me: payments-api 5xx rate is 23%/);
    expect(lines).toContain('Ran `kubectl --context prod-us-east-1 get pods -n payments -l app=payments-api`');
    expect(lines).toContain('Read deploy/k8s/payments-api/configmap.yaml');
    expect(lines).toContain('Edited deploy/k8s/payments-api/configmap.yaml');
    const failed = events.find((e) => e.phase === 'tool_failure')!;
    expect(failed.description).toContain('rollout undo deployment/payments-api');
    expect(failed.description).toContain('failed (exit 1): error: unable to find specified revision 56 in history');
    expect(failed.exitCode).toBe(1);
    expect(events.at(-1)!.description).toBe('Session ended (prompt_input_exit)');
    const logs = events.find((e) => e.command?.includes('kubectl') && e.command.includes(' logs '))!;
    expect(logs.signals?.[0]).toEqual({
      text: 'fatal: invalid configuration: required setting DATABASE_POOL_MAX is not set (DB_POOL_MAX was renamed in v2.14.0)',
      weight: 3,
    });
    expect(logs.startedAt! < logs.at).toBe(true);
  });

  test('a non-zero exit code in a tool result is a failure with the error text', async () => {
    const records = [
      createRecord({
        sessionId: 's-1',
        eventName: 'PreToolUse',
        payload: hook('PreToolUse', {
          tool_name: 'Bash',
          tool_use_id: 't1',
          tool_input: { command: 'systemctl restart nginx' },
        }),
        observedAt: new Date('2026-01-02T10:00:00Z'),
      }),
      createRecord({
        sessionId: 's-1',
        eventName: 'PostToolUse',
        payload: hook('PostToolUse', {
          tool_name: 'Bash',
          tool_use_id: 't1',
          tool_input: { command: 'systemctl restart nginx' },
          tool_response: {
            stdout: '',
            stderr: 'Job for nginx.service failed because the control process exited with error code.\n',
            exit_code: 1,
          },
        }),
        observedAt: new Date('2026-01-02T10:00:03Z'),
      }),
    ];
    const { events } = await buildTimeline(stream(records));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      phase: 'tool_failure',
      exitCode: 1,
      mutating: true,
      startedAt: '2026-01-02T10:00:00.000Z',
      at: '2026-01-02T10:00:03.000Z',
    });
    expect(events[0]!.error).toBe('Job for nginx.service failed because the control process exited with error code.');
  });

  test('a tool call that never reported back is kept and marked unfinished', async () => {
    const records = [
      createRecord({
        sessionId: 's-1',
        eventName: 'PreToolUse',
        payload: hook('PreToolUse', {
          tool_name: 'Bash',
          tool_use_id: 't9',
          tool_input: { command: 'kubectl delete pod web-0 -n shop' },
        }),
        observedAt: new Date('2026-01-02T10:00:00Z'),
      }),
    ];
    const { events } = await buildTimeline(stream(records));
    expect(events[0]).toMatchObject({ phase: 'tool_call', unfinished: true, mutating: true });
    expect(events[0]!.description).toBe('Ran `kubectl delete pod web-0 -n shop` (no result recorded)');
  });

  test('redaction markers stay whole, even where a description is shortened', async () => {
    const marker = '[REDACTED:github-token]';
    const command = `curl -H "Authorization: token ${marker}" https://api.github.com/repos/acme/payments/deployments ${'x'.repeat(150)}`;
    const prompt = `${'The deploy bot failed. '.repeat(9)}It used ${marker} and then stopped.`;
    const records = [
      createRecord({
        sessionId: 's-1',
        eventName: 'UserPromptSubmit',
        payload: hook('UserPromptSubmit', { prompt }),
        observedAt: new Date('2026-01-02T10:00:00Z'),
        redactions: { 'github-token': 2 },
      }),
      createRecord({
        sessionId: 's-1',
        eventName: 'PostToolUse',
        payload: hook('PostToolUse', {
          tool_name: 'Bash',
          tool_use_id: 't2',
          tool_input: { command },
          tool_response: { stdout: '[]', stderr: '' },
        }),
        observedAt: new Date('2026-01-02T10:00:05Z'),
      }),
    ];
    const timeline = await buildTimeline(stream(records));
    const [promptEvent, call] = timeline.events;
    expect(promptEvent!.text).toContain(marker);
    expect(call!.command).toContain(marker);
    for (const event of timeline.events) {
      // Either the whole marker or none of it: never a cut-off `[REDACTED:git…`.
      expect(event.description).not.toMatch(/\[REDACTED:[^\]]*…/);
      expect(event.description.replace(/\[REDACTED:[a-z-]+\]/g, '')).not.toContain('[REDACTED');
    }
    expect(call!.description).toContain(marker);
    expect(timeline.redactions).toEqual({ 'github-token': 2 });
  });

  test('records of another session in the stream are ignored', async () => {
    const records = recordsFor(examplePayloads().slice(0, 3));
    const stray = createRecord({
      sessionId: 'other',
      eventName: 'UserPromptSubmit',
      payload: hook('UserPromptSubmit', { prompt: 'unrelated' }),
    });
    const timeline = await buildTimeline(stream([...records, stray]), { sessionId: SESSION });
    expect(timeline.events.some((e) => e.text === 'unrelated')).toBe(false);
    expect(timeline.recordCount).toBe(3);
  });
});
