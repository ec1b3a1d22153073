import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalBackend } from '@runbook/storage-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSessionIndex,
  recurringProblems,
  listRunbooks,
  scanSearch,
  similarSessions,
  type SessionIndex,
} from '../src/index.js';
import { incidentSession, INCIDENTS, noiseSessions, tempProject } from './helpers/corpus.js';

const project = tempProject();
const backend = createLocalBackend({ baseDir: path.join(project.dir, '.runbook/hooks/claude') });
let index: SessionIndex;

beforeAll(async () => {
  for (const incident of INCIDENTS) await incidentSession(incident.id, incident.start, incident.variant).store(backend);
  for (const session of noiseSessions()) await session.store(backend);
  mkdirSync(path.join(project.dir, '.runbook/runbooks'), { recursive: true });
  writeFileSync(
    path.join(project.dir, '.runbook/runbooks/billing-stripe.md'),
    '---\ntitle: billing-stripe cannot reach its database\nservices: [billing-stripe]\n---\n# billing-stripe database connection\n\nSymptom: pods fail with "Error: connect ECONNREFUSED" to the ledger database on port 5432.\nFix: point db.host in values-staging.yaml at ledger-db.payments.svc and helm upgrade.\n',
  );
  index = openSessionIndex({
    dir: path.join(project.dir, '.runbook/hooks/claude/index'),
    backend,
    projectDir: project.dir,
  });
  await index.update();
});
afterAll(() => {
  index.close();
  project.remove();
});

const incidentIds = INCIDENTS.map((i) => i.id);

describe('search ranking on a corpus with known answers', () => {
  it('finds the failure of each of the three incidents, and nothing else, for ECONNREFUSED', () => {
    const { hits } = index.search('ECONNREFUSED', { kinds: ['event'] });
    expect(hits.map((h) => h.sessionId).sort()).toEqual(incidentIds);
    expect(hits.every((h) => h.eventName === 'PostToolUseFailure' && h.tool === 'Bash')).toBe(true);
    expect(hits[0]!.snippet.text).toContain('ECONNREFUSED');
    const [start, end] = hits[0]!.snippet.highlights[0]!;
    expect(hits[0]!.snippet.text.slice(start, end)).toBe('ECONNREFUSED');
  });

  it('matches identifiers as typed, case-insensitively', () => {
    const bySessions = (q: string) =>
      [...new Set(index.search(q, { kinds: ['event'], limit: 100 }).hits.map((h) => h.sessionId))].sort();
    expect(bySessions('billing-stripe')).toEqual(incidentIds);
    expect(bySessions('values-staging.yaml')).toEqual(incidentIds);
    expect(bySessions('econnrefused')).toEqual(incidentIds);
    // "stripe billing" in the other order is not the identifier.
    expect(bySessions('"stripe billing"')).toEqual([]);
    expect(bySessions('10.0.7.201:5432')).toEqual(['incident-b']);
  });

  it('needs every word, and phrases in order', () => {
    const sessions = (q: string) =>
      [...new Set(index.search(q, { limit: 100, kinds: ['event'] }).hits.map((h) => h.sessionId))].sort();
    expect(sessions('refused connections')).toEqual(['noise-connection']);
    expect(sessions('"refused connections"')).toEqual(['noise-connection']);
    expect(sessions('"connections refused"')).toEqual([]);
    expect(sessions('"connect ECONNREFUSED"')).toEqual(incidentIds);
    expect(sessions('"successfully rolled out"')).toEqual(incidentIds);
  });

  it('ranks documents where the words are rarer and denser first', () => {
    const { hits } = index.search('billing-stripe', { kinds: ['event'], limit: 100 });
    // The prompt (short, says it once) and the helm upgrade (says it three times) outrank long outputs.
    expect(hits[0]!.score).toBeGreaterThan(hits[hits.length - 1]!.score);
    const scores = hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('supports prefix queries', () => {
    const { hits } = index.search('crashloop*', { kinds: ['event'] });
    expect(new Set(hits.map((h) => h.sessionId))).toEqual(new Set(incidentIds));
  });

  it('filters by time, session, event and tool', () => {
    const since = index.search('billing-stripe', {
      since: Date.parse('2026-11-08T00:00:00Z'),
      limit: 100,
      kinds: ['event'],
    });
    expect(new Set(since.hits.map((h) => h.sessionId))).toEqual(new Set(['incident-b', 'incident-c']));
    const until = index.search('billing-stripe', {
      until: Date.parse('2026-11-02T00:00:00Z'),
      limit: 100,
      kinds: ['event'],
    });
    expect(new Set(until.hits.map((h) => h.sessionId))).toEqual(new Set(['incident-a']));
    expect(
      index
        .search('billing-stripe', { sessionId: 'incident-c', limit: 100 })
        .hits.every((h) => h.sessionId === 'incident-c'),
    ).toBe(true);
    const edits = index.search('values-staging.yaml', { tool: 'edit', limit: 100 });
    expect(edits.hits).toHaveLength(3);
    expect(edits.hits.every((h) => h.tool === 'Edit')).toBe(true);
    const prompts = index.search('billing-stripe', { eventName: 'userpromptsubmit', limit: 100 });
    expect(prompts.hits.map((h) => h.eventName)).toEqual(['UserPromptSubmit', 'UserPromptSubmit', 'UserPromptSubmit']);
  });

  it('caps the events shown from one session, keeping its best-ranked ones', () => {
    const all = index.search('billing-stripe', { kinds: ['event'], limit: 100 }).hits;
    const capped = index.search('billing-stripe', { kinds: ['event'], limit: 100, perSession: 2 }).hits;
    expect(capped).toHaveLength(6);
    for (const id of incidentIds) {
      const best = all.filter((h) => h.sessionId === id).slice(0, 2);
      expect(capped.filter((h) => h.sessionId === id)).toEqual(best);
    }
  });

  it('searches runbooks too, and says where they are', () => {
    const { hits } = index.search('ledger-db.payments.svc', { kinds: ['runbook'] });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.ref).toBe('.runbook/runbooks/billing-stripe.md');
  });

  it('gives the same results by scanning the backend without an index', async () => {
    for (const q of ['ECONNREFUSED', 'billing-stripe', '"successfully rolled out"', 'crashloop*', 'terraform']) {
      const indexed = index.search(q, { limit: 50 });
      const scanned = await scanSearch({ backend, projectDir: project.dir }, q, { limit: 50 });
      expect(scanned.hits.map((h) => [h.sessionId, h.ref, h.score])).toEqual(
        indexed.hits.map((h) => [h.sessionId, h.ref, h.score]),
      );
    }
  });
});

describe('similar sessions', () => {
  it('finds the other two occurrences of the incident from each of the three, with the shared evidence', () => {
    const profiles = index.profiles();
    for (const incident of INCIDENTS) {
      const target = profiles.find((p) => p.sessionId === incident.id)!;
      const similar = similarSessions(target, profiles, 5);
      expect(
        similar
          .slice(0, 2)
          .map((s) => s.sessionId)
          .sort(),
      ).toEqual(incidentIds.filter((id) => id !== incident.id));
      const top = similar[0]!;
      expect(top.shared.find((e) => e.kind === 'fingerprint')?.value).toContain('ECONNREFUSED <ip>:<n>');
      expect(top.shared.some((e) => e.kind === 'service' && e.value === 'billing-stripe')).toBe(true);
      expect(top.shared.some((e) => e.kind === 'file' && e.value === 'values-staging.yaml')).toBe(true);
      expect(top.fixes[0]).toContain('helm upgrade billing-stripe');
      // Whatever else is listed scores lower than every occurrence of the incident.
      for (const other of similar.slice(2)) expect(other.score).toBeLessThan(similar[1]!.score);
    }
  });
});

describe('recurring problems', () => {
  it('reports the incident once, with its sessions, first and last time, fix and runbook', () => {
    const problems = recurringProblems(index.profiles(), { runbooks: listRunbooks(project.dir) });
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem!.sessions.sort()).toEqual(incidentIds);
    expect(problem!.count).toBe(3);
    expect(problem!.firstSeen.startsWith('2026-11-01')).toBe(true);
    expect(problem!.lastSeen.startsWith('2026-11-20')).toBe(true);
    expect(problem!.fixes).toHaveLength(1);
    expect(problem!.fixes[0]!.fix).toBe(
      'Edit: /srv/shop/deploy/values-staging.yaml then Bash: helm upgrade billing-stripe ./charts/billing-stripe -f deploy/values-staging.yaml',
    );
    expect(problem!.fixes[0]!.sessions.sort()).toEqual(incidentIds);
    expect(problem!.runbooks).toEqual(['.runbook/runbooks/billing-stripe.md']);
  });

  it('says when no runbook covers a problem, and honours --since and --min-sessions', () => {
    expect(recurringProblems(index.profiles())[0]!.runbooks).toEqual([]);
    expect(recurringProblems(index.profiles(), { since: Date.parse('2026-11-21T00:00:00Z') })).toEqual([]);
    expect(recurringProblems(index.profiles(), { minSessions: 4 })).toEqual([]);
    expect(recurringProblems(index.profiles(), { minSessions: 1 }).length).toBeGreaterThan(1);
  });
});
