import assert from 'node:assert/strict';
import { collect, type SessionBackend } from '../backend/contract.js';
import type { TranscriptChunk } from '../backend/transcript.js';
import { readArchivedTranscript } from '../backend/transcript-read.js';
import { isRunbookError } from '../errors.js';
import type { SuiteCase } from './case.js';
import { createRecord } from '../record/record.js';

let counter = 0;
function uniqueSession(label: string): string {
  counter += 1;
  return `conf-tx-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Transcript lines in Claude Code's shape, `n` of them, numbered from `from`. */
function lines(sessionId: string, from: number, n: number, extra = ''): string {
  let out = '';
  for (let i = from; i < from + n; i++) {
    out += `${JSON.stringify({ parentUuid: i === 0 ? null : `u-${i - 1}`, isSidechain: false, type: i % 2 ? 'assistant' : 'user', uuid: `u-${i}`, sessionId, timestamp: '2026-03-01T10:00:00.000Z', message: { role: i % 2 ? 'assistant' : 'user', content: [{ type: 'text', text: `line ${i} ${extra}` }] } })}\n`;
  }
  return out;
}

function chunkOf(sessionId: string, file: string, generation: number, offset: number, text: string): TranscriptChunk {
  return { sessionId, file, generation, offset, length: Buffer.byteLength(text, 'utf8'), text };
}

async function textOf(backend: SessionBackend, sessionId: string, file?: string): Promise<string> {
  let out = '';
  for await (const chunk of readArchivedTranscript(backend, sessionId, file ? { file } : {})) out += chunk.text;
  return out;
}

/** The transcript group of the conformance suite: runs when the backend has `appendTranscript` and `readTranscript`. */
export function transcriptTests(it: SuiteCase, concurrency: number): void {
  it('transcripts: both transcript methods or neither', async (backend) => {
    assert.equal(
      typeof backend.appendTranscript,
      typeof backend.readTranscript,
      'appendTranscript and readTranscript come together',
    );
  });

  it(
    'transcripts: chunks read back byte for byte, in offset order',
    async (backend) => {
      const sessionId = uniqueSession('roundtrip');
      const a = lines(sessionId, 0, 3, 'Zürich → 東京 🚒 "quoted" \\ \u2028');
      const b = lines(sessionId, 3, 2);
      const c = lines(sessionId, 5, 4);
      const first = chunkOf(sessionId, 'main', 0, 0, a);
      const second = chunkOf(sessionId, 'main', 0, first.length, b);
      const third = chunkOf(sessionId, 'main', 0, first.length + second.length, c);
      assert.equal(await backend.appendTranscript!(third), 'stored');
      assert.equal(await backend.appendTranscript!(first), 'stored');
      assert.equal(await backend.appendTranscript!(second), 'stored');
      const read = await collect(backend.readTranscript!(sessionId));
      assert.deepEqual(read, [first, second, third]);
      assert.equal(await textOf(backend, sessionId), a + b + c);
    },
    'appendTranscript',
  );

  it(
    'transcripts: the same chunk appended again reads back once',
    async (backend) => {
      const sessionId = uniqueSession('again');
      const chunk = chunkOf(sessionId, 'main', 0, 0, lines(sessionId, 0, 2));
      await backend.appendTranscript!(chunk);
      const again = await backend.appendTranscript!(structuredClone(chunk));
      assert.ok(again === 'duplicate' || again === 'stored');
      assert.equal((await collect(backend.readTranscript!(sessionId))).length, 1);
    },
    'appendTranscript',
  );

  it(
    'transcripts: a retried chunk with more lines wins over the shorter one at its offset',
    async (backend) => {
      const sessionId = uniqueSession('retry');
      const short = chunkOf(sessionId, 'main', 0, 0, lines(sessionId, 0, 2));
      const long = chunkOf(sessionId, 'main', 0, 0, lines(sessionId, 0, 5));
      const next = chunkOf(sessionId, 'main', 0, long.length, lines(sessionId, 5, 1));
      await backend.appendTranscript!(short);
      await backend.appendTranscript!(long);
      await backend.appendTranscript!(next);
      assert.equal(await textOf(backend, sessionId), lines(sessionId, 0, 6));
    },
    'appendTranscript',
  );

  it(
    'transcripts: the newest generation replaces older ones on reading',
    async (backend) => {
      const sessionId = uniqueSession('generation');
      const old = lines(sessionId, 0, 4, 'before the rewrite');
      const rewritten = lines(sessionId, 0, 2, 'after the rewrite');
      await backend.appendTranscript!(chunkOf(sessionId, 'main', 0, 0, old));
      await backend.appendTranscript!(chunkOf(sessionId, 'main', 1, 0, rewritten));
      const all = await collect(backend.readTranscript!(sessionId));
      assert.deepEqual(
        all.map((c) => c.generation),
        [1, 0],
        'newest generation first',
      );
      assert.equal(await textOf(backend, sessionId), rewritten);
    },
    'appendTranscript',
  );

  it(
    'transcripts: main and subagent transcripts stay apart',
    async (backend) => {
      const sessionId = uniqueSession('files');
      const main = lines(sessionId, 0, 2, 'main');
      const agentA = lines(sessionId, 0, 3, 'agent a');
      const agentB = lines(sessionId, 0, 1, 'agent b');
      await backend.appendTranscript!(chunkOf(sessionId, 'agent-b7', 0, 0, agentB));
      await backend.appendTranscript!(chunkOf(sessionId, 'main', 0, 0, main));
      await backend.appendTranscript!(chunkOf(sessionId, 'agent-a1f.2', 0, 0, agentA));
      const files = (await collect(backend.readTranscript!(sessionId))).map((c) => c.file);
      assert.deepEqual(files, ['main', 'agent-a1f.2', 'agent-b7']);
      assert.equal(await textOf(backend, sessionId, 'main'), main);
      assert.equal(await textOf(backend, sessionId, 'agent-a1f.2'), agentA);
      assert.equal(await textOf(backend, sessionId, 'agent-b7'), agentB);
      assert.deepEqual(await collect(backend.readTranscript!(sessionId, { file: 'agent-none' })), []);
    },
    'appendTranscript',
  );

  it(
    'transcripts: sessions stay apart, an unknown one reads as empty, and events are untouched',
    async (backend) => {
      const a = uniqueSession('apart-a');
      const b = uniqueSession('apart-b');
      const event = createRecord({
        sessionId: a,
        eventName: 'Stop',
        payload: { session_id: a, hook_event_name: 'Stop' },
      });
      await backend.append(event);
      await backend.appendTranscript!(chunkOf(a, 'main', 0, 0, lines(a, 0, 2)));
      await backend.appendTranscript!(chunkOf(b, 'main', 0, 0, lines(b, 0, 1)));
      assert.equal(await textOf(backend, a), lines(a, 0, 2));
      assert.equal(await textOf(backend, b), lines(b, 0, 1));
      assert.deepEqual(await collect(backend.readTranscript!(uniqueSession('missing'))), []);
      assert.deepEqual(await collect(backend.read(a)), [event], 'the session reads back its events alone');
      if (backend.list && backend.listDetails === true) {
        const listed = (await collect(backend.list())).find((s) => s.sessionId === a);
        assert.equal(listed?.eventCount, 1, 'transcript chunks are not counted as events');
      }
    },
    'appendTranscript',
  );

  it(
    'transcripts: a 2 MB chunk is kept whole',
    async (backend) => {
      const sessionId = uniqueSession('large');
      const text = `${JSON.stringify({ type: 'user', uuid: 'u-big', sessionId, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x'.repeat(2 * 1024 * 1024) }] } })}\n`;
      await backend.appendTranscript!(chunkOf(sessionId, 'main', 0, 0, text));
      assert.equal(await textOf(backend, sessionId), text);
    },
    'appendTranscript',
  );

  it(
    `transcripts: keeps every one of ${concurrency} concurrent chunks`,
    async (backend) => {
      const sessionId = uniqueSession('concurrent');
      const chunks: TranscriptChunk[] = [];
      for (let i = 0; i < concurrency; i++) {
        const chunk = chunkOf(sessionId, i % 5 === 0 ? 'agent-x' : 'main', 0, 0, lines(sessionId, i, 1));
        chunks.push(chunk);
      }
      // Each file's chunks follow one another.
      const next: Record<string, number> = {};
      for (const chunk of chunks) {
        chunk.offset = next[chunk.file] ?? 0;
        next[chunk.file] = chunk.offset + chunk.length;
      }
      await Promise.all(chunks.map((c) => backend.appendTranscript!(c)));
      const expected = (file: string) =>
        chunks
          .filter((c) => c.file === file)
          .map((c) => c.text)
          .join('');
      assert.equal(await textOf(backend, sessionId, 'main'), expected('main'));
      assert.equal(await textOf(backend, sessionId, 'agent-x'), expected('agent-x'));
    },
    'appendTranscript',
  );

  it(
    'transcripts: a malformed chunk is refused with RECORD_INVALID and nothing is stored',
    async (backend) => {
      const sessionId = uniqueSession('invalid');
      const bad: TranscriptChunk[] = [
        chunkOf(sessionId, '../../etc', 0, 0, 'x\n'),
        chunkOf(sessionId, 'main', 0, 0, 'no newline at the end'),
        { ...chunkOf(sessionId, 'main', 0, 0, 'x\n'), offset: -1 },
        { ...chunkOf(sessionId, 'main', 0, 0, 'x\n'), generation: 1.5 },
      ];
      for (const chunk of bad) {
        await assert.rejects(backend.appendTranscript!(chunk), (error: unknown) =>
          isRunbookError(error, 'RECORD_INVALID'),
        );
      }
      assert.deepEqual(await collect(backend.readTranscript!(sessionId)), []);
    },
    'appendTranscript',
  );

  it(
    'transcripts: deleting a session deletes its transcript',
    async (backend) => {
      if (!backend.delete) return; // a backend without delete() has nothing to remove
      const sessionId = uniqueSession('delete');
      await backend.append(createRecord({ sessionId, eventName: 'Stop', payload: { session_id: sessionId } }));
      await backend.appendTranscript!(chunkOf(sessionId, 'main', 0, 0, lines(sessionId, 0, 1)));
      await backend.appendTranscript!(chunkOf(sessionId, 'agent-q', 0, 0, lines(sessionId, 0, 1)));
      await backend.delete!(sessionId);
      assert.deepEqual(await collect(backend.readTranscript!(sessionId)), []);
    },
    'appendTranscript',
  );
}
