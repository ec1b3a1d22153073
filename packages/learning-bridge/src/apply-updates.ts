import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { knowledgeDocument } from './artifacts.js';
import type { KnowledgeSuggestion } from './draft-schema.js';
import type { Investigation } from './investigation-types.js';
import { learningEntry, learningMarker, insertLearning, LEARNINGS_HEADING } from './runbook-learnings.js';
import { splitFrontmatter, type RunbookDoc } from './runbooks.js';
import { writeFileAtomic } from './fs-write.js';
import { UNPLACED_TARGET } from './offline-drafter.js';
import { fileSafe, slugify } from './text.js';

export interface AppliedUpdate {
  /** Absolute path of the runbook. */
  file: string;
  action: 'updated' | 'created' | 'unchanged' | 'not-applied';
  suggestion: string;
  /** Why a suggestion was not applied (no runbook matches its target). */
  reason?: string;
}

export interface ApplyUpdatesInput {
  /** `<project>/.runbook/runbooks` */
  runbooksDir: string;
  runbooks: RunbookDoc[];
  suggestions: KnowledgeSuggestion[];
  investigation: Investigation;
  /** Title for the dated entry (the postmortem's). */
  title: string;
  /** A runbook file name (`--runbook <name>`) the learnings go to when no runbook matches; created when missing. */
  runbookTarget?: string;
}

/** `payments` / `payments.md` → `payments.md`: one file name inside the runbooks folder, nothing else. */
export function runbookFileName(name: string): string {
  return `${fileSafe(name.trim().replace(/\.md$/i, ''))}.md`;
}

/** The runbook a suggestion is about: by file name, then title, then shared services. */
export function findRunbook(suggestion: KnowledgeSuggestion, runbooks: RunbookDoc[]): RunbookDoc | undefined {
  const target = suggestion.target.trim().toLowerCase();
  const byName = runbooks.find(
    (r) =>
      r.name.toLowerCase() === target ||
      r.name.toLowerCase() === `${target}.md` ||
      path.basename(target) === r.name.toLowerCase(),
  );
  if (byName) return byName;
  const byTitle = runbooks.find(
    (r) => r.title.toLowerCase() === target || r.title.toLowerCase() === suggestion.title.trim().toLowerCase(),
  );
  if (byTitle) return byTitle;
  const wanted = new Set(suggestion.services.map((s) => s.toLowerCase()));
  return runbooks.find((r) => r.services.some((s) => wanted.has(s.toLowerCase())));
}

/** Put the marker right after the frontmatter so a created runbook is recognised next time. */
function withMarker(document: string, inv: Investigation): string {
  const { raw, body } = splitFrontmatter(document);
  const marker = learningMarker(inv.id);
  return raw ? `${raw.trimEnd()}\n\n${marker}\n\n${body.trimStart()}` : `${marker}\n\n${document}`;
}

/**
 * Apply runbook suggestions to `.runbook/runbooks/`: a matching runbook (file name, title or services)
 * gets a dated entry under "Incident learnings"; a new runbook is created. Each change carries a marker
 * for the investigation, so applying the same learning again changes nothing.
 */
export async function applyRunbookUpdates(input: ApplyUpdatesInput): Promise<AppliedUpdate[]> {
  const { investigation: inv } = input;
  const results: AppliedUpdate[] = [];
  const touched = new Set<string>();
  for (const suggestion of input.suggestions) {
    if (suggestion.type === 'new_known_issue') continue;
    const named =
      input.runbookTarget &&
      suggestion.type === 'update_runbook' &&
      runbookFileName(suggestion.target) === runbookFileName(input.runbookTarget);
    const existing = suggestion.type === 'update_runbook' ? findRunbook(suggestion, input.runbooks) : undefined;
    if (suggestion.type === 'update_runbook' && !existing && !named) {
      // Never a catch-all: learnings without a runbook stay a proposal until someone names one.
      const reason =
        suggestion.target === UNPLACED_TARGET
          ? 'no runbook matches this session; name one with --runbook <name>'
          : `no runbook ${suggestion.target} in ${input.runbooksDir}`;
      results.push({ file: '', action: 'not-applied', suggestion: suggestion.title, reason });
      continue;
    }
    const file =
      existing?.file ??
      path.join(input.runbooksDir, named ? runbookFileName(input.runbookTarget!) : `${slugify(suggestion.target)}.md`);
    if (touched.has(file)) continue;
    touched.add(file);
    const current = await readFile(file, 'utf8').catch(() => undefined);
    let next: string;
    if (current === undefined) {
      next =
        suggestion.type === 'new_runbook'
          ? withMarker(knowledgeDocument(suggestion, inv), inv)
          : `# ${suggestion.title}\n\n${LEARNINGS_HEADING}\n\n${learningEntry(inv, input.title, suggestion.markdown)}`;
    } else {
      const body = suggestion.type === 'new_runbook' ? splitFrontmatter(suggestion.markdown).body : suggestion.markdown;
      next = insertLearning(current, inv, learningEntry(inv, input.title, body));
    }
    const outcome = current === next ? 'unchanged' : await writeFileAtomic(file, next);
    results.push({
      file,
      action: outcome === 'unchanged' ? 'unchanged' : current === undefined ? 'created' : 'updated',
      suggestion: suggestion.title,
    });
  }
  return results;
}
