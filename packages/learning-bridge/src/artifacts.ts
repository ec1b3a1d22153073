import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { KnowledgeSuggestion, LearningDraft } from './draft-schema.js';
import { splitFrontmatter } from './runbooks.js';
import type { Investigation } from './investigation-types.js';
import { frontmatterBlock, renderPostmortem } from './postmortem-markdown.js';
import { learningEntry, LEARNINGS_HEADING } from './runbook-learnings.js';
import { writeFileAtomic } from './fs-write.js';
import { summaryTitle } from './work-summary.js';
import { fileSafe, slugify } from './text.js';
import { UNPLACED_TARGET } from './offline-drafter.js';
import { inertMarkdown } from './statement-text.js';

export interface ArtifactPaths {
  /** `<out>/<investigation-id>/` */
  dir: string;
  /** `postmortem-<incident>.md`, written for incidents. */
  postmortem?: string;
  /** `summary-<id>.md`, written for every other kind of session. */
  summary?: string;
  knowledgeSuggestions: string;
  investigation: string;
  /** `runbook-updates/*.md`: proposed additions to existing runbooks. */
  runbookUpdates: string[];
  /** `knowledge/*.md`: new runbooks and known issues. */
  knowledge: string[];
}

export interface WriteArtifactsInput {
  /** Parent folder, e.g. `<project>/.runbook/learning`. */
  outDir: string;
  investigation: Investigation;
  /** The incident draft (postmortem and suggestions); for other sessions, `summary` and `suggestions`. */
  draft?: LearningDraft;
  /** The rendered work summary of a session that was not an incident. */
  summary?: string;
  suggestions: KnowledgeSuggestion[];
  drafter: string;
  notes: string[];
  /** A rendered "Seen before" section, appended to the postmortem or summary. */
  seenBefore?: string;
}

/** A file name for a suggestion's document, unique within its folder. */
function documentName(suggestion: KnowledgeSuggestion, taken: Set<string>): string {
  const base =
    suggestion.type === 'update_runbook'
      ? slugify(suggestion.target.replace(/\.md$/i, ''))
      : slugify(suggestion.target);
  let name = `${base}.md`;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}.md`;
  taken.add(name);
  return name;
}

/** A new document with frontmatter: the suggestion's own when it has one, else one built from its fields. */
export function knowledgeDocument(suggestion: KnowledgeSuggestion, inv: Investigation): string {
  const { raw, frontmatter, body } = splitFrontmatter(suggestion.markdown);
  if (raw)
    return `${frontmatterBlock({ ...frontmatter, source_session: frontmatter.source_session ?? inv.sessionId })}${body.trim()}\n`;
  const fields = {
    type: suggestion.type === 'new_runbook' ? 'runbook' : 'known_issue',
    title: suggestion.title,
    services: suggestion.services,
    confidence: suggestion.confidence,
    source_session: inv.sessionId,
    incident_id: inv.incidentId,
  };
  return `${frontmatterBlock(fields)}${suggestion.markdown.trimEnd()}\n`;
}

function updateProposal(suggestion: KnowledgeSuggestion, inv: Investigation, postmortemTitle: string): string {
  const head = frontmatterBlock({
    type: 'update_runbook',
    target: suggestion.target,
    title: suggestion.title,
    services: suggestion.services,
    confidence: suggestion.confidence,
    source_session: inv.sessionId,
    incident_id: inv.incidentId,
  });
  const where =
    suggestion.target === UNPLACED_TARGET
      ? 'No runbook matches this session. Proposed learnings, for the runbook you choose (`--runbook <name> --apply-runbook-updates` adds them)'
      : `Proposed addition to ${suggestion.target}`;
  return `${head}> ${inertMarkdown(suggestion.reasoning.replace(/\n/g, ' '))}\n\n${where}:\n\n${LEARNINGS_HEADING}\n\n${learningEntry(inv, postmortemTitle, suggestion.markdown)}`;
}

/** Postmortems and summaries of an earlier learning of this session (its kind or incident id may differ now). */
async function clearOwnDocuments(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => /^(postmortem|summary)-.*\.md$/.test(n)).map((n) => rm(path.join(dir, n), { force: true })),
  );
}

async function clearMarkdown(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.md')).map((n) => rm(path.join(dir, n), { force: true })));
}

/**
 * Write everything under `<outDir>/<investigation-id>/`: the postmortem, `knowledge-suggestions.json`,
 * `investigation.json`, `runbook-updates/*.md` and `knowledge/*.md`. Content depends only on the session,
 * so writing the same session again produces the same files.
 */
export async function writeLearningArtifacts(input: WriteArtifactsInput): Promise<ArtifactPaths> {
  const { investigation: inv, draft } = input;
  const dir = path.join(input.outDir, inv.id);
  const postmortem = draft ? path.join(dir, `postmortem-${fileSafe(inv.incidentId)}.md`) : undefined;
  const summary = input.summary !== undefined ? path.join(dir, `summary-${fileSafe(inv.incidentId)}.md`) : undefined;
  const suggestionsFile = path.join(dir, 'knowledge-suggestions.json');
  const investigationFile = path.join(dir, 'investigation.json');
  await clearOwnDocuments(dir);
  const seenBefore = input.seenBefore ? `\n${input.seenBefore}` : '';
  if (draft && postmortem)
    await writeFileAtomic(postmortem, `${renderPostmortem(draft, inv, input.drafter, input.notes)}${seenBefore}`);
  if (input.summary !== undefined && summary) await writeFileAtomic(summary, `${input.summary}${seenBefore}`);
  await writeFileAtomic(suggestionsFile, `${JSON.stringify(input.suggestions, null, 2)}\n`);
  await writeFileAtomic(
    investigationFile,
    `${JSON.stringify({ ...inv, drafter: input.drafter, notes: input.notes }, null, 2)}\n`,
  );

  const updatesDir = path.join(dir, 'runbook-updates');
  const knowledgeDir = path.join(dir, 'knowledge');
  await clearMarkdown(updatesDir);
  await clearMarkdown(knowledgeDir);
  const runbookUpdates: string[] = [];
  const knowledge: string[] = [];
  const takenUpdates = new Set<string>();
  const takenKnowledge = new Set<string>();
  const title = draft?.postmortem.title ?? summaryTitle(inv);
  for (const suggestion of input.suggestions) {
    if (suggestion.type === 'update_runbook') {
      const file = path.join(updatesDir, documentName(suggestion, takenUpdates));
      await writeFileAtomic(file, updateProposal(suggestion, inv, title));
      runbookUpdates.push(file);
    } else {
      const file = path.join(knowledgeDir, documentName(suggestion, takenKnowledge));
      await writeFileAtomic(file, knowledgeDocument(suggestion, inv));
      knowledge.push(file);
    }
  }
  return {
    dir,
    ...(postmortem ? { postmortem } : {}),
    ...(summary ? { summary } : {}),
    knowledgeSuggestions: suggestionsFile,
    investigation: investigationFile,
    runbookUpdates,
    knowledge,
  };
}
