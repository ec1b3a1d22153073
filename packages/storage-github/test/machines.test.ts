import { execFileSync } from 'node:child_process';
import { collect, createRecord, type StoredRecord } from '@runbook/storage-core';
import { describe, expect, test } from 'vitest';
import { useGitServer } from './helpers/backend.js';

const git = useGitServer();

function events(sessionId: string, count: number, machine: string): StoredRecord[] {
  return Array.from({ length: count }, (_, i) =>
    createRecord({
      sessionId,
      eventName: i === 0 ? 'SessionStart' : 'PostToolUse',
      payload: { session_id: sessionId, machine, seq: i },
    }),
  );
}

describe('several machines on one repository', () => {
  test('three machines append 100 events each at once: all 300 read back once, from any machine', async () => {
    const url = git.newRepo();
    const machines = ['laptop', 'ci', 'desktop'].map((name) => ({ name, backend: git.backend(url) }));
    const shared = 'incident-4711';
    const written = machines.map(({ name }) => [...events(`${name}-session`, 50, name), ...events(shared, 50, name)]);
    await Promise.all(machines.map(({ backend }, m) => Promise.all(written[m]!.map((r) => backend.append(r)))));

    const reader = git.backend(url);
    const all = written.flat();
    const back = [
      ...(await collect(reader.read(shared))),
      ...(await Promise.all(machines.map(({ name }) => collect(reader.read(`${name}-session`))))).flat(),
    ];
    expect(back).toHaveLength(300);
    expect(new Set(back.map((r) => r.eventId))).toEqual(new Set(all.map((r) => r.eventId)));
    const ids = (await collect(reader.list())).map((s) => s.sessionId).sort();
    expect(ids).toEqual(['ci-session', 'desktop-session', 'incident-4711', 'laptop-session']);
    // Appends made while a push was under way rode in the same commit: far fewer pushes than events.
    const pushes = machines.reduce((sum, { backend }) => sum + backend.requests.pushes, 0);
    expect(pushes).toBeLessThan(60);
    for (const { backend } of [...machines, { backend: reader }]) await backend.close();
  }, 180_000);

  test('one batch of many sessions is one commit; a machine that pushed first is merged, not overwritten', async () => {
    const url = git.newRepo();
    const a = git.backend(url);
    const b = git.backend(url);
    await a.append(createRecord({ sessionId: 'shared', eventName: 'SessionStart', payload: { from: 'a' } }));
    await b.read('shared')[Symbol.asyncIterator]().next(); // b has fetched the tip...
    await a.appendBatch(events('shared', 3, 'a')); // ...and a moves it on
    const batch = [...events('shared', 2, 'b'), ...events('other-1', 2, 'b'), ...events('other-2', 2, 'b')];
    const outcomes = await b.appendBatch(batch);
    expect(outcomes).toEqual(batch.map(() => 'stored'));
    expect(b.requests.rejectedPushes).toBe(1); // b built on the old tip, was refused, fetched, merged, pushed
    expect(await b.appendBatch(batch.slice(0, 2))).toEqual(['duplicate', 'duplicate']);
    expect(await collect(git.backend(url).read('shared'))).toHaveLength(1 + 3 + 2);

    const log = execFileSync(
      'git',
      [
        '--git-dir',
        git.server.repoPath(
          url
            .split('/')
            .pop()!
            .replace(/\.git$/, ''),
        ),
        'log',
        '--format=%s',
        'runbook-sessions',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(log).toEqual([
      'runbook: 6 events in 3 sessions',
      'runbook: 3 events in 1 session',
      'runbook: 1 event in 1 session',
    ]);
    const files = execFileSync(
      'git',
      [
        '--git-dir',
        git.server.repoPath(
          url
            .split('/')
            .pop()!
            .replace(/\.git$/, ''),
        ),
        'ls-tree',
        '-r',
        '--name-only',
        'runbook-sessions',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    const month = new Date().toISOString().slice(0, 7).replace('-', '/');
    expect(files.sort()).toEqual([
      `sessions/${month}/other-1/events.ndjson`,
      `sessions/${month}/other-2/events.ndjson`,
      `sessions/${month}/shared/events.ndjson`,
    ]);
    await Promise.all([a.close(), b.close()]);
  }, 60_000);
});
