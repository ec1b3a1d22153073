import path from 'node:path';
import { RunbookError, type ReadIssue, type StoredRecord } from '@runbook/storage-core';
import { applyRunbookUpdates, runbookFileName, type AppliedUpdate } from './apply-updates.js';
import type { SessionKind } from './classify.js';
import { commandFirstLine } from './command-kinds.js';
import { fitDraft } from './fit-draft.js';
import { redactTimeline, type TextRedactor } from './redact-timeline.js';
import { renderWorkSummary, summaryTitle } from './work-summary.js';
import { writeLearningArtifacts, type ArtifactPaths } from './artifacts.js';
import type { DraftInput, DraftResult, LearningDrafter } from './drafter.js';
import { learningDraftSchema, type KnowledgeSuggestion, type LearningDraft } from './draft-schema.js';
import { synthesizeInvestigation } from './investigation.js';
import { UNKNOWN, type Investigation } from './investigation-types.js';
import {
  createOfflineDrafter,
  draftOffline,
  fixLine,
  suggestions as offlineSuggestions,
  UNPLACED_TARGET,
} from './offline-drafter.js';
import { loadRunbooks, RUNBOOKS_RELATIVE_DIR } from './runbooks.js';
import { renderSeenBefore, type SeenBefore } from './seen-before.js';
import { buildTimeline } from './timeline.js';
import type { AgentStatement, SessionTimeline } from './timeline-types.js';

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
  /**
   * Removes secrets from every text learn writes or returns (the hook's redactor: `createTextRedactor()` of
   * `@runbook/hook-ingest`, with the project's redaction settings). Sessions stored before redaction existed
   * are cleaned on the way out. Without it, texts are written as stored.
   */
  redact?: TextRedactor;
  /** A runbook (file name in the runbooks folder) for learnings no runbook matches; created when applying and missing. */
  runbook?: string;
  /** Quoted statements from another source (e.g. a transcript): added to the hooks' own `last_assistant_message`s. */
  statements?: AgentStatement[];
  /** Earlier sessions with the same failures (e.g. from `@runbook/session-index`): a "Seen before" section. */
  seenBefore?: SeenBefore[];
}

/** The lines a person reads first: what kind of session, what broke, what failed, what fixed it, what showed it worked. */
export interface LearningHeadline {
  kind: SessionKind;
  title: string;
  rootCause: string;
  failingCommands: string[];
  fix: string;
  verification: string;
  confidence: string;
}

export interface LearnResult {
  investigation: Investigation;
  timeline: SessionTimeline;
  /** The postmortem draft, for incidents. */
  draft?: LearningDraft;
  /** The work summary (markdown), for every other kind of session. */
  summary?: string;
  knowledgeSuggestions: KnowledgeSuggestion[];
  drafter: string;
  notes: string[];
  artifacts: ArtifactPaths;
  applied: AppliedUpdate[];
  headline: LearningHeadline;
}

function headlineOf(inv: Investigation, title: string): LearningHeadline {
  const notApplicable = inv.kind === 'change' || inv.kind === 'question';
  const rootCause =
    inv.rootCauseEvidence !== UNKNOWN
      ? `${inv.rootCauseEvidence.text} (from ${inv.rootCauseEvidence.source})`
      : notApplicable && inv.failedActions.length === 0
        ? 'none: nothing failed'
        : UNKNOWN;
  return {
    kind: inv.kind,
    title,
    rootCause,
    failingCommands: inv.failedActions.map((f) => `${f.command ? commandFirstLine(f.command) : f.action} — ${f.error}`),
    fix:
      notApplicable && inv.failedActions.length === 0
        ? 'none: nothing failed'
        : inv.resolution === UNKNOWN
          ? UNKNOWN
          : fixLine(inv.resolution),
    verification:
      inv.resolution === UNKNOWN || inv.resolution.verifiedBy.length === 0
        ? UNKNOWN
        : inv.resolution.verifiedBy.map((v) => v.action).join(', '),
    confidence: `${inv.confidence.level} (${inv.confidence.score.toFixed(2)})${inv.confidence.reasons.length ? `: ${inv.confidence.reasons.slice(0, 2).join('; ')}` : ''}`,
  };
}

function summarizeIssues(issues: ReadIssue[]): string[] {
  const counts = new Map<string, number>();
  for (const issue of issues) counts.set(issue.kind, (counts.get(issue.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} stored line(s) skipped while reading (${kind})`);
}

async function runDrafter(drafter: LearningDrafter, input: DraftInput): Promise<DraftResult> {
  const result = await drafter.draft(input);
  const checked = learningDraftSchema.safeParse(result.draft);
  if (checked.success) return { ...result, draft: checked.data };
  const issue = checked.error.issues[0];
  return {
    draft: draftOffline(input),
    drafter: 'offline',
    notes: [
      ...result.notes,
      `${result.drafter} returned an invalid draft (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); used the offline draft instead`,
    ],
  };
}

function notesOnApplied(applied: AppliedUpdate[]): string[] {
  return applied
    .filter((a) => a.action === 'not-applied')
    .map((a) => `runbook update "${a.suggestion}" not applied: ${a.reason ?? 'no target runbook'}`);
}

/**
 * The learning loop for one stored session: timeline → investigation (with the session's kind) → an incident
 * postmortem (validated draft) or, for debugging, change work and questions, a work summary → artifacts, and
 * optionally runbook updates. Throws `SESSION_NOT_FOUND` when the session has no records.
 */
export async function learnFromSession(options: LearnFromSessionOptions): Promise<LearnResult> {
  const built = await buildTimeline(options.records, {
    sessionId: options.sessionId,
    ...(options.statements ? { statements: options.statements } : {}),
  });
  if (built.events.length === 0) {
    throw new RunbookError('SESSION_NOT_FOUND', `session ${options.sessionId} has no stored events`);
  }
  const redact = options.redact ?? ((text: string) => text);
  const timeline = options.redact ? redactTimeline(built, options.redact) : built;
  const runbooksDir = options.runbooksDir ?? path.join(options.projectDir, RUNBOOKS_RELATIVE_DIR);
  // Runbooks this session itself created earlier are output, not prior knowledge.
  const runbooks = (await loadRunbooks(options.projectDir, runbooksDir)).filter(
    (r) => r.frontmatter.source_session !== timeline.sessionId,
  );
  const investigation = synthesizeInvestigation(timeline, {
    ...(options.query ? { query: redact(options.query) } : {}),
    ...(options.incidentId ? { incidentId: options.incidentId, kind: 'incident' as const } : {}),
    runbooks,
  });
  const runbookTarget = options.runbook ? runbookFileName(options.runbook) : undefined;
  const draftInput: DraftInput = { investigation, timeline, runbooks, ...(runbookTarget ? { runbookTarget } : {}) };
  const notes = [...(options.notes ?? [])];
  let drafted: DraftResult | undefined;
  let summary: string | undefined;
  let suggestions: KnowledgeSuggestion[];
  if (investigation.kind === 'incident') {
    drafted = await runDrafter(options.drafter ?? createOfflineDrafter(), draftInput);
    notes.push(...drafted.notes);
    suggestions = drafted.draft.knowledgeSuggestions;
  } else {
    if (options.drafter && options.drafter.name !== 'offline')
      notes.push(
        `a ${investigation.kind} session gets a work summary, written offline; ${options.drafter.name} drafts postmortems of incidents (--incident-id forces one)`,
      );
    suggestions =
      investigation.kind === 'debugging'
        ? fitDraft({
            postmortem: PLACEHOLDER_POSTMORTEM,
            knowledgeSuggestions: offlineSuggestions(investigation, runbooks, runbookTarget),
          }).knowledgeSuggestions
        : [];
  }
  notes.push(...summarizeIssues(options.readIssues ?? []));
  if (
    suggestions.some((s) => s.type === 'update_runbook' && s.target === UNPLACED_TARGET) &&
    !options.applyRunbookUpdates
  ) {
    notes.push(
      'no runbook matches this session: its learnings are a proposal in runbook-updates/; add them to a runbook with --runbook <name> --apply-runbook-updates',
    );
  }
  const applied = options.applyRunbookUpdates
    ? await applyRunbookUpdates({
        runbooksDir,
        runbooks,
        suggestions,
        investigation,
        title: drafted?.draft.postmortem.title ?? summaryTitle(investigation),
        ...(runbookTarget ? { runbookTarget } : {}),
      })
    : [];
  notes.push(...notesOnApplied(applied));
  if (!drafted) summary = renderWorkSummary(investigation, notes);
  const artifacts = await writeLearningArtifacts({
    outDir: options.outDir ?? path.join(options.projectDir, LEARNING_RELATIVE_DIR),
    investigation,
    ...(drafted ? { draft: drafted.draft } : {}),
    ...(summary !== undefined ? { summary } : {}),
    suggestions,
    drafter: drafted?.drafter ?? 'offline',
    notes,
    ...(options.seenBefore && options.seenBefore.length > 0
      ? { seenBefore: renderSeenBefore(options.seenBefore, redact) }
      : {}),
  });
  const title = drafted?.draft.postmortem.title ?? summaryTitle(investigation);
  return {
    investigation,
    timeline,
    ...(drafted ? { draft: drafted.draft } : {}),
    ...(summary !== undefined ? { summary } : {}),
    knowledgeSuggestions: suggestions,
    drafter: drafted?.drafter ?? 'offline',
    notes,
    artifacts,
    applied,
    headline: headlineOf(investigation, title),
  };
}

/** Stands in for the postmortem when only suggestions are fitted (sessions that are not incidents have none). */
const PLACEHOLDER_POSTMORTEM: LearningDraft['postmortem'] = {
  title: 'unused',
  severity: 'unknown',
  summary: 'unused',
  impact: 'unused',
  detection: 'unused',
  rootCause: 'unused',
  contributingFactors: [],
  timeline: [{ at: new Date(0).toISOString(), event: 'unused' }],
  whatWentWell: [],
  whatWentPoorly: [],
  actionItems: [],
};
