export { buildTimeline, formatTimelineLine } from './timeline.js';
export type { BuildTimelineOptions } from './timeline.js';
export type { AgentStatement, SessionTimeline, TimelineEvent, TimelinePhase } from './timeline-types.js';
export { classifySession, SESSION_KINDS } from './classify.js';
export type { SessionClass, SessionKind } from './classify.js';
export { redactTimeline } from './redact-timeline.js';
export type { TextRedactor } from './redact-timeline.js';
export { fitText } from './fit-text.js';
export { isCheckCommand, isSearchOrLintCommand, commandFirstLine } from './command-kinds.js';
export { renderWorkSummary, summaryTitle } from './work-summary.js';
export { UNPLACED_TARGET } from './offline-drafter.js';
export { synthesizeInvestigation, investigationIdFor } from './investigation.js';
export type { SynthesisOptions } from './investigation.js';
export { UNKNOWN } from './investigation-types.js';
export type {
  ChangeStep,
  CheckRun,
  Confidence,
  ErrorFinding,
  FailedAction,
  Investigation,
  Resolution,
  ServiceFinding,
  Unknown,
} from './investigation-types.js';
export { isMutatingCommand } from './commands.js';
export { servicesInCommand, servicesInPath } from './services.js';
export type { ServiceEvidenceKind, ServiceMention } from './services.js';
export { loadRunbooks, parseRunbook, splitFrontmatter, RUNBOOKS_RELATIVE_DIR } from './runbooks.js';
export type { RunbookDoc } from './runbooks.js';
export {
  learningDraftSchema,
  postmortemSchema,
  knowledgeSuggestionSchema,
  actionItemSchema,
  validateDraft,
  SEVERITIES,
  PRIORITIES,
  ACTION_CATEGORIES,
  SUGGESTION_TYPES,
} from './draft-schema.js';
export type { ActionItem, KnowledgeSuggestion, LearningDraft, PostmortemDraft } from './draft-schema.js';
export type { DraftInput, DraftResult, LearningDrafter } from './drafter.js';
export { createOfflineDrafter, draftOffline } from './offline-drafter.js';
export { createAnthropicDrafter } from './anthropic-drafter.js';
export type { AnthropicDrafterOptions } from './anthropic-drafter.js';
export { parseLlmSettings, drafterFromSettings } from './llm-config.js';
export type { LlmSettings } from './llm-config.js';
export { DEFAULT_LLM_BASE_URL, trustedLlmBaseUrl } from './llm-endpoint.js';
export type { LlmEndpointSources } from './llm-endpoint.js';
export { writeLearningArtifacts } from './artifacts.js';
export type { ArtifactPaths, WriteArtifactsInput } from './artifacts.js';
export { applyRunbookUpdates, findRunbook, runbookFileName } from './apply-updates.js';
export type { AppliedUpdate, ApplyUpdatesInput } from './apply-updates.js';
export { renderPostmortem } from './postmortem-markdown.js';
export { learnFromSession, LEARNING_RELATIVE_DIR } from './learn.js';
export type { LearnFromSessionOptions, LearnResult, LearningHeadline } from './learn.js';
export { renderSeenBefore } from './seen-before.js';
export type { SeenBefore } from './seen-before.js';
export { statementsFromTranscript } from './transcript-statements.js';
export type { TranscriptStatementsOptions } from './transcript-statements.js';
