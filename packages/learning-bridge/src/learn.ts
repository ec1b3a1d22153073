import path from 'node:path';
import { RunbookError, type ReadIssue, type StoredRecord } from '@runbook/storage-core';
import { applyRunbookUpdates, type AppliedUpdate } from './apply-updates.js';
import { writeLearningArtifacts, type ArtifactPaths } from './artifacts.js';
import type { DraftResult, LearningDrafter } from './drafter.js';
import { learningDraftSchema, type LearningDraft } from './draft-schema.js';
import { synthesizeInvestigation } from './investigation.js';
import { UNKNOWN, type Investigation } from './investigation-types.js';
import { createOfflineDrafter, draftOffline, fixLine } from './offline-drafter.js';
import { loadRunbooks, RUNBOOKS_RELATIVE_DIR } from './runbooks.js';
import { buildTimeline } from './timeline.js';
import type { SessionTimeline } from './timeline-types.js';

/** Where learning output goes by default, relative to the project directory. */
export const LEARNING_RELATIVE_DIR = path.join('.runbook', 'learning');

export interface LearnFromSessionOptions {
  /** The session's stored records, e.g. `backend.read(sessionId)`. */
  records: AsyncIterable<StoredRecord>;
  sessionId: string;
  projectDir: string;
  /** Parent folder of the `<investigation-id>/` output; default `<projectDir>/.runbook/learning`. */
  outDir?: string;
  /** Default `<projectDir>/.runbook/runbooks`. */
  runbooksDir?: string;
  incidentId?: string;
  query?: string;
  applyRunbookUpdates?: boolean;
  /** Default: the offline drafter. */
  drafter?: LearningDrafter;
  /** Notes to carry into the output (e.g. why a configured model is not used). */
  notes?: string[];
  /** Filled by the reader while `records` is consumed (pass the same array to its `onIssue`); summarised in the notes. */
  readIssues?: ReadIssue[];
}

/** The lines a person reads first: what broke, what failed, what fixed it. */
export interface LearningHeadline {
  title: string;
  rootCause: string;
  failingCommands: string[];
  fix: string;
  confidence: string;
}

export interface LearnResult {
  investigation: Investigation;
  timeline: SessionTimeline;
  draft: LearningDraft;
  drafter: string;
  notes: string[];
  artifacts: ArtifactPaths;
  applied: AppliedUpdate[];
  headline: LearningHeadline;
}

function headlineOf(inv: Investigation, draft: LearningDraft): LearningHeadline {
  return {
    title: draft.postmortem.title,
    rootCause: inv.rootCauseEvidence === UNKNOWN ? draft.postmortem.rootCause : inv.rootCauseEvidence.text,
    failingCommands: inv.failedActions.map((f) => `${f.command ?? f.action} — ${f.error}`),
    fix: inv.resolution === UNKNOWN ? UNKNOWN : fixLine(inv.resolution),
    confidence: `${inv.confidence.level} (${inv.confidence.score.toFixed(2)})${inv.confidence.reasons.length ? `: ${inv.confidence.reasons.slice(0, 2).join('; ')}` : ''}`,
  };
}

function summarizeIssues(issues: ReadIssue[]): string[] {
  const counts = new Map<string, number>();
  for (const issue of issues) counts.set(issue.kind, (counts.get(issue.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} stored line(s) skipped while reading (${kind})`);
}

async function runDrafter(drafter: LearningDrafter, input: Parameters<LearningDrafter['draft']>[0]): Promise<DraftResult> {
  const result = await drafter.draft(input);
  const checked = learningDraftSchema.safeParse(result.draft);
  if (checked.success) return { ...result, draft: checked.data };
  const issue = checked.error.issues[0];
  return {
    draft: draftOffline(input),
    drafter: 'offline',
    notes: [...result.notes, `${result.drafter} returned an invalid draft (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); used the offline draft instead`],
  };
}

/**
 * The learning loop for one stored session: timeline → investigation → draft (validated) → artifacts,
 * and optionally runbook updates. Throws `SESSION_NOT_FOUND` when the session has no records.
 */
export async function learnFromSession(options: LearnFromSessionOptions): Promise<LearnResult> {
  const timeline = await buildTimeline(options.records, { sessionId: options.sessionId });
  if (timeline.events.length === 0) {
    throw new RunbookError('SESSION_NOT_FOUND', `session ${options.sessionId} has no stored events`);
  }
  const runbooksDir = options.runbooksDir ?? path.join(options.projectDir, RUNBOOKS_RELATIVE_DIR);
  // Runbooks this session itself created earlier are output, not prior knowledge.
  const runbooks = (await loadRunbooks(options.projectDir, runbooksDir)).filter((r) => r.frontmatter.source_session !== timeline.sessionId);
  const investigation = synthesizeInvestigation(timeline, { query: options.query, incidentId: options.incidentId, runbooks });
  const drafter = options.drafter ?? createOfflineDrafter();
  const drafted = await runDrafter(drafter, { investigation, timeline, runbooks });
  const notes = [...(options.notes ?? []), ...drafted.notes, ...summarizeIssues(options.readIssues ?? [])];
  const artifacts = await writeLearningArtifacts({
    outDir: options.outDir ?? path.join(options.projectDir, LEARNING_RELATIVE_DIR),
    investigation,
    draft: drafted.draft,
    drafter: drafted.drafter,
    notes,
  });
  const applied = options.applyRunbookUpdates
    ? await applyRunbookUpdates({ runbooksDir, runbooks, suggestions: drafted.draft.knowledgeSuggestions, investigation, title: drafted.draft.postmortem.title })
    : [];
  return { investigation, timeline, draft: drafted.draft, drafter: drafted.drafter, notes, artifacts, applied, headline: headlineOf(investigation, drafted.draft) };
}
