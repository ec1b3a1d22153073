import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import {
  collect,
  createCompositeStore,
  createOutboxStore,
  openOutbox,
  createEventId,
  createRecord,
  parseNdjsonRecords,
  segmentToSessionId,
  serializeRecord,
  sessionIdToSegment,
  type ReadIssue,
  type SessionBackend,
  type StoredRecord,
} from '../src/index.js';
import { parseRecordLine } from '../src/schema.js';

describe('event ids', () => {
  test('sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => createEventId(1_764_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
});

describe('session id segments', () => {
  test.each(['3f2b7c1e-0d4a-4c7e-9b1a-6a2f0e9d8c11', 'abc_DEF-123'])('keeps plain id %s as it is', (id) => {
    expect(sessionIdToSegment(id)).toBe(id);
  });

  test('never yields a path component that can escape, and round-trips', () => {
    for (const id of ['..', '.', '../../etc', '/abs', 'a/b', 'a\\b', 'nul\u0000', 'séance', '~41', 'A']) {
      const segment = sessionIdToSegment(id);
      expect(segment).toMatch(/^[A-Za-z0-9_~-]+$/);
      expect(segmentToSessionId(segment)).toBe(id);
    }
    expect(sessionIdToSegment('~41')).not.toBe(sessionIdToSegment('A'));
  });

  test('shortens very long ids with a hash, keeping them distinct', () => {
    const a = sessionIdToSegment('x'.repeat(5000));
    const b = sessionIdToSegment('x'.repeat(5001));
    expect(a.length).toBeLessThanOrEqual(120);
    expect(a).not.toBe(b);
    expect(segmentToSessionId(a)).toBeUndefined();
  });
});

describe('records', () => {
  test('reads a RunbookAI-era line back with its fields unchanged', () => {
    const legacy = {
      observedAt: '2025-06-01T12:00:00.000Z',
      sessionId: 'old-1',
      eventName: 'PostToolUse',
      cwd: '/repo',
      transcriptPath: null,
      payload: { tool_name: 'Bash' },
    };
    const parsed = parseRecordLine(JSON.stringify(legacy));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.record).toMatchObject(legacy);
      expect(parsed.record.eventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      // the same line always gets the same id, so re-reads de-duplicate
      expect(parseRecordLine(JSON.stringify(legacy))).toEqual(parsed);
    }
  });

  test('rejects foreign lines with the reason', () => {
    expect(parseRecordLine('{"hello":1}')).toMatchObject({ ok: false });
    expect(parseRecordLine('nope')).toEqual({ ok: false, reason: 'not valid JSON' });
  });
});

describe('parseNdjsonRecords', () => {
  const rec = (i: number) => createRecord({ sessionId: 's', eventName: 'E', payload: { i } });

  test('skips corrupt lines and a torn last line, reporting each', async () => {
    const a = rec(1);
    const b = rec(2);
    const text = `${serializeRecord(a)}garbage\n${serializeRecord(b)}${serializeRecord(rec(3)).slice(0, 40)}`;
    const issues: ReadIssue[] = [];
    // feed in awkward chunk sizes to cross line boundaries
    const chunks = text.match(/[\s\S]{1,7}/g)!.map((c) => Buffer.from(c));
    const out = await collect(
      parseNdjsonRecords(Readable.from(chunks), { sessionId: 's', location: 'mem', onIssue: (i) => issues.push(i) }),
    );
    expect(out).toEqual([a, b]);
    expect(issues.map((i) => i.kind)).toEqual(['corrupt-line', 'torn-line']);
    expect(issues[0]?.location).toBe('mem:2');
  });

  test('reads the same event id once', async () => {
    const a = rec(1);
    const out = await collect(
      parseNdjsonRecords(Readable.from([serializeRecord(a) + serializeRecord(a)]), { sessionId: 's', location: 'mem' }),
    );
    expect(out).toHaveLength(1);
  });
});

describe('createCompositeStore', () => {
  function memory(name: string, fail = false): SessionBackend & { records: StoredRecord[] } {
    const records: StoredRecord[] = [];
    return {
      name,
      records,
      async append(r) {
        if (fail) throw new Error(`${name} is down`);
        records.push(r);
        return 'stored';
      },
      async *read(id) {
        yield* records.filter((r) => r.sessionId === id);
      },
      async delete(id) {
        for (let i = records.length - 1; i >= 0; i--) if (records[i]!.sessionId === id) records.splice(i, 1);
      },
    };
  }

  test('a failing mirror is reported and does not fail the append', async () => {
    const primary = memory('p');
    const failures: string[] = [];
    const store = createCompositeStore({
      primary,
      mirrors: [memory('m', true)],
      onMirrorFailure: (f) => failures.push(`${f.backend}:${f.operation}`),
    });
    expect(await store.append(rec())).toBe('stored');
    expect(primary.records).toHaveLength(1);
    expect(failures).toEqual(['m:append']);
  });

  test('a failing primary fails the append after the mirror kept the event', async () => {
    const mirror = memory('m');
    const store = createCompositeStore({ primary: memory('p', true), mirrors: [mirror] });
    await expect(store.append(rec())).rejects.toMatchObject({ code: 'STORAGE_WRITE_FAILED', message: 'p: p is down' });
    expect(mirror.records).toHaveLength(1);
  });

  test('delete reaches the mirrors; a primary without list() gives a store without list()', async () => {
    const primary = memory('p');
    const mirror = memory('m');
    const store = createCompositeStore({ primary, mirrors: [mirror] });
    await store.append(rec());
    await store.delete!('s');
    expect(primary.records).toHaveLength(0);
    expect(mirror.records).toHaveLength(0);
    expect(store.list).toBeUndefined();
  });

  function rec(): StoredRecord {
    return createRecord({ sessionId: 's', eventName: 'Stop', payload: {} });
  }
});

describe('parseNdjsonRecords recovery', () => {
  test('recovers a whole record appended onto a line torn by a crashed writer', async () => {
    const a = createRecord({
      sessionId: 's',
      eventName: 'A',
      payload: { note: 'has {"schemaVersion": inside a string' },
    });
    const torn = serializeRecord(createRecord({ sessionId: 's', eventName: 'T', payload: {} })).slice(0, 50);
    const b = createRecord({ sessionId: 's', eventName: 'B', payload: {} });
    const issues: ReadIssue[] = [];
    const text = serializeRecord(a) + torn + serializeRecord(b);
    const out = await collect(
      parseNdjsonRecords(Readable.from([text]), { sessionId: 's', location: 'mem', onIssue: (i) => issues.push(i) }),
    );
    expect(out).toEqual([a, b]);
    expect(issues.map((i) => `${i.kind}@${i.location}`)).toEqual(['corrupt-line@mem:2']);
  });
});

describe('wrapping stores', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'runbook-wrap-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const outbox = (name: string) => openOutbox({ dir: path.join(scratch, name) });

  test('have list(), listDetails and compact() exactly when the primary has them, and delete() only when it can delete', async () => {
    const calls: string[] = [];
    const primary: SessionBackend = {
      name: 'p',
      listDetails: true,
      append: async () => 'stored',
      async *read() {},
      async *list() {
        yield { sessionId: 'x' };
      },
      compact: async (id) => {
        calls.push(id);
        return { merged: 0 } as never;
      },
    };
    for (const store of [
      createCompositeStore({ primary, mirrors: [] }),
      createOutboxStore({ outbox: outbox('full'), primary }),
    ]) {
      expect(store.listDetails).toBe(true);
      expect(await collect(store.list!())).toEqual([{ sessionId: 'x' }]);
      await store.compact!('s-9');
      expect('delete' in store).toBe(false);
    }
    expect(calls).toEqual(['s-9', 's-9']);
    const { list: _list, compact: _compact, listDetails: _details, ...appendAndReadOnly } = primary;
    for (const plain of [
      createCompositeStore({ primary: appendAndReadOnly, mirrors: [] }),
      createOutboxStore({ outbox: outbox('plain'), primary: appendAndReadOnly }),
    ]) {
      expect(['list', 'compact', 'listDetails', 'delete'].filter((key) => key in plain)).toEqual([]);
    }
  });
});
