import * as z from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'unknown'] as const;
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const ACTION_CATEGORIES = ['prevention', 'detection', 'mitigation', 'process', 'documentation'] as const;
export const SUGGESTION_TYPES = ['update_runbook', 'new_runbook', 'new_known_issue'] as const;

export const timelineEntrySchema = z.object({
  /** A real timestamp from the session (ISO-8601). */
  at: z.iso.datetime({ offset: true }),
  event: text(600),
});

export const actionItemSchema = z.object({
  title: text(300),
  ownerRole: text(80),
  priority: z.enum(PRIORITIES),
  category: z.enum(ACTION_CATEGORIES),
});

export const postmortemSchema = z.object({
  title: text(160),
  severity: z.enum(SEVERITIES),
  summary: text(4000),
  impact: text(2000),
  detection: text(2000),
  rootCause: text(2000),
  contributingFactors: z.array(text(600)).max(12),
  timeline: z.array(timelineEntrySchema).min(1).max(80),
  whatWentWell: z.array(text(600)).max(12),
  whatWentPoorly: z.array(text(600)).max(12),
  actionItems: z.array(actionItemSchema).max(12),
});

export const knowledgeSuggestionSchema = z.object({
  type: z.enum(SUGGESTION_TYPES),
  /** For `update_runbook`: the runbook's file name or title. Otherwise a short slug for the new document. */
  target: text(160),
  title: text(160),
  services: z.array(text(80)).max(12),
  reasoning: text(1000),
  /** For updates: the section body to add. For new documents: the whole document. */
  markdown: text(20000),
  confidence: z.number().min(0).max(1),
});

export const learningDraftSchema = z.object({
  postmortem: postmortemSchema,
  knowledgeSuggestions: z.array(knowledgeSuggestionSchema).max(10),
});

export type PostmortemDraft = z.infer<typeof postmortemSchema>;
export type KnowledgeSuggestion = z.infer<typeof knowledgeSuggestionSchema>;
export type LearningDraft = z.infer<typeof learningDraftSchema>;
export type ActionItem = z.infer<typeof actionItemSchema>;

/** Validate a draft: the zod schema, then facts the schema cannot see (timestamps must be the session's own). */
export function validateDraft(
  value: unknown,
  sessionTimes: ReadonlySet<string>,
): { ok: true; draft: LearningDraft } | { ok: false; problems: string[] } {
  const parsed = learningDraftSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues
        .slice(0, 12)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    };
  }
  const problems: string[] = [];
  const known = new Set([...sessionTimes].map((t) => Date.parse(t)));
  parsed.data.postmortem.timeline.forEach((entry, i) => {
    if (!known.has(Date.parse(entry.at)))
      problems.push(`postmortem.timeline.${i}.at: ${entry.at} is not a timestamp of any event in the session`);
  });
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, 12) } : { ok: true, draft: parsed.data };
}
