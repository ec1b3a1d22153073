import type { Investigation } from './investigation-types.js';
import type { LearningDraft } from './draft-schema.js';
import type { RunbookDoc } from './runbooks.js';
import type { SessionTimeline } from './timeline-types.js';

/** Everything a drafter may use: the evidence, nothing else. */
export interface DraftInput {
  investigation: Investigation;
  timeline: SessionTimeline;
  runbooks: RunbookDoc[];
  /** The runbook (file name) learnings go to when none matches (`--runbook <name>`). */
  runbookTarget?: string;
}

export interface DraftResult {
  draft: LearningDraft;
  /** Which drafter's output this is (`offline`, `anthropic:<model>`). */
  drafter: string;
  /** What happened on the way, e.g. a fallback to the offline draft and why. */
  notes: string[];
}

/** Turns the evidence into a postmortem and knowledge suggestions. Output must validate against `learningDraftSchema`. */
export interface LearningDrafter {
  readonly name: string;
  draft(input: DraftInput): Promise<DraftResult>;
}
