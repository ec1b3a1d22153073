// Scores learn against the corpus of sessions in test/corpus: each session is stored through a real
// local backend, learned, and its result compared with the expectations in test/corpus/expectations.json.
// Used by `pnpm eval:learn` (built packages) and by the test suite (sources), which asserts that all hold.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownProblems } from './markdown-check.mjs';

export const CORPUS_DIR = fileURLToPath(new URL('../test/corpus/', import.meta.url));
const START = Date.parse('2026-11-26T09:00:00.000Z');
const STEP_MS = 20_000;

function payloadsOf(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

function checkText(label, actual, rule, results) {
  const text = String(actual ?? '');
  if (typeof rule === 'string') {
    results.push({ label, ok: text === rule, detail: `expected "${rule}", got "${text.slice(0, 160)}"` });
    return;
  }
  for (const part of rule.includes ?? [])
    results.push({
      label: `${label} includes "${part}"`,
      ok: text.includes(part),
      detail: `got "${text.slice(0, 200)}"`,
    });
  for (const part of rule.excludes ?? [])
    results.push({
      label: `${label} excludes "${part}"`,
      ok: !text.includes(part),
      detail: `got "${text.slice(0, 200)}"`,
    });
}

/** Store one corpus entry in a fresh project and learn it; returns the project and the result. */
async function learnEntry(entry, deps) {
  const project = mkdtempSync(path.join(tmpdir(), 'runbook-eval-'));
  const baseDir = path.join(project, '.runbook', 'hooks', 'claude');
  let sessionId = entry.sessionId;
  if (entry.store) {
    cpSync(path.join(CORPUS_DIR, entry.store), baseDir, { recursive: true });
  } else {
    const backend = deps.createLocalBackend({ baseDir });
    const payloads = payloadsOf(path.join(CORPUS_DIR, 'sessions', entry.session));
    sessionId = String(payloads[0].session_id);
    for (const [i, payload] of payloads.entries()) {
      await backend.append(
        deps.createRecord({
          sessionId: String(payload.session_id),
          eventName: String(payload.hook_event_name),
          cwd: String(payload.cwd ?? ''),
          transcriptPath: payload.transcript_path ?? null,
          payload,
          observedAt: new Date(START + i * STEP_MS),
        }),
      );
    }
  }
  const backend = deps.createLocalBackend({ baseDir });
  const listed = [];
  for await (const s of backend.list()) listed.push(s);
  const result = await deps.learnFromSession({
    records: backend.read(sessionId),
    sessionId,
    projectDir: project,
    redact: deps.redact,
    ...(entry.incidentId ? { incidentId: entry.incidentId } : {}),
    ...(entry.applyRunbookUpdates ? { applyRunbookUpdates: true } : {}),
  });
  return { project, result, listed, sessionId };
}

/**
 * Learn every corpus entry and check its expectations. `deps`: `learnFromSession`, `createLocalBackend`,
 * `createRecord`, `redact` (the hook's text redactor) and `fromMarkdown`. Returns one row per expectation.
 */
export async function scoreCorpus(deps) {
  const entries = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'expectations.json'), 'utf8'));
  const rows = [];
  for (const entry of entries) {
    const name = entry.session ?? `${entry.store}/${entry.sessionId}`;
    const results = [];
    let project;
    try {
      const learned = await learnEntry(entry, deps);
      project = learned.project;
      const { result } = learned;
      const e = entry.expect;
      const h = result.headline;
      if (e.kind)
        results.push({
          label: `kind is ${e.kind}`,
          ok: h.kind === e.kind,
          detail: `got ${h.kind} (${result.investigation.kindReasons.join('; ')})`,
        });
      if (e.title) checkText('title', h.title, e.title, results);
      if (e.rootCause) checkText('root cause', h.rootCause, e.rootCause, results);
      if (e.fix) checkText('fix', h.fix, e.fix, results);
      if (e.verification) checkText('verification', h.verification, e.verification, results);
      if (e.failingCommands !== undefined)
        results.push({
          label: `${e.failingCommands} failing command(s)`,
          ok: h.failingCommands.length === e.failingCommands,
          detail: `got ${JSON.stringify(h.failingCommands)}`,
        });
      const document = readFileSync(result.artifacts.postmortem ?? result.artifacts.summary, 'utf8');
      if (e.document) {
        results.push({
          label: `writes a ${e.document.form}`,
          ok:
            e.document.form === 'postmortem'
              ? Boolean(result.artifacts.postmortem)
              : Boolean(result.artifacts.summary) && !result.artifacts.postmortem,
          detail: `artifacts: ${Object.keys(result.artifacts).join(', ')}`,
        });
        checkText('document', document, e.document, results);
      }
      if (e.severity)
        results.push({
          label: `severity ${e.severity}`,
          ok: result.draft?.postmortem.severity === e.severity,
          detail: `got ${result.draft?.postmortem.severity ?? 'no postmortem'}`,
        });
      if (e.listedCount !== undefined) {
        const listed = learned.listed.find((s) => s.sessionId === learned.sessionId);
        results.push({
          label: `listed with ${e.listedCount} events, as many as learn read`,
          ok: listed?.eventCount === e.listedCount && result.timeline.recordCount === e.listedCount,
          detail: `listed ${listed?.eventCount}, read ${result.timeline.recordCount}`,
        });
      }
      if (e.secretsAbsent) {
        const written =
          filesUnder(project)
            .filter((f) => !f.includes(`${path.sep}hooks${path.sep}`))
            .map((f) => readFileSync(f, 'utf8'))
            .join('\n') + JSON.stringify(result.headline);
        for (const secret of e.secretsAbsent)
          results.push({
            label: `secret ${secret.slice(0, 6)}… absent from every output`,
            ok: !written.includes(secret),
            detail: 'found in the output',
          });
      }
      const docs = [
        result.artifacts.postmortem,
        result.artifacts.summary,
        ...result.artifacts.runbookUpdates,
        ...result.artifacts.knowledge,
      ].filter(Boolean);
      const problems = docs.flatMap((f) =>
        markdownProblems(readFileSync(f, 'utf8'), deps.fromMarkdown).map((p) => `${path.basename(f)}: ${p}`),
      );
      results.push({ label: 'generated markdown is valid', ok: problems.length === 0, detail: problems.join('; ') });
    } catch (error) {
      results.push({
        label: 'learns without error',
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      });
    } finally {
      if (project) rmSync(project, { recursive: true, force: true });
    }
    for (const r of results) rows.push({ session: name, ...r });
  }
  return rows;
}

/** The score as lines a person reads: failures first with what was found, then the count. */
export function formatScore(rows) {
  const failed = rows.filter((r) => !r.ok);
  const lines = failed.map((r) => `✗ ${r.session}: ${r.label} — ${r.detail}`);
  const sessions = new Set(rows.map((r) => r.session)).size;
  lines.push(`${rows.length - failed.length}/${rows.length} expectations hold over ${sessions} sessions`);
  return lines.join('\n');
}
