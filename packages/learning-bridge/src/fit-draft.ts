import type { ActionItem, KnowledgeSuggestion, LearningDraft } from './draft-schema.js';
import { fitText } from './fit-text.js';
import { oneLine } from './text.js';

const line = (text: string, max: number) => fitText(oneLine(text), max) || 'unknown';
const list = (items: string[], max: number) =>
  items
    .filter((i) => i.trim() !== '')
    .slice(0, 12)
    .map((i) => line(i, max));

function fitItem(item: ActionItem): ActionItem {
  return { ...item, title: line(item.title, 300), ownerRole: line(item.ownerRole, 80) };
}

function fitSuggestion(s: KnowledgeSuggestion): KnowledgeSuggestion {
  return {
    ...s,
    target: line(s.target, 160),
    title: line(s.title, 160),
    services: s.services.slice(0, 12).map((x) => line(x, 80)),
    reasoning: line(s.reasoning, 1000),
    markdown: fitText(s.markdown.trim(), 20000) || 'unknown',
  };
}

/**
 * A draft made to fit `learningDraftSchema`'s limits: every text within its length (cut at a sentence,
 * line or word boundary, never inside inline code), every list within its count. Offline drafts always
 * pass through it, so they always validate.
 */
export function fitDraft(draft: LearningDraft): LearningDraft {
  const pm = draft.postmortem;
  return {
    postmortem: {
      ...pm,
      title: line(pm.title, 160),
      summary: line(pm.summary, 4000),
      impact: line(pm.impact, 2000),
      detection: line(pm.detection, 2000),
      rootCause: line(pm.rootCause, 2000),
      contributingFactors: list(pm.contributingFactors, 600),
      timeline: pm.timeline.slice(0, 80).map((t) => ({ at: t.at, event: line(t.event, 600) })),
      whatWentWell: list(pm.whatWentWell, 600),
      whatWentPoorly: list(pm.whatWentPoorly, 600),
      actionItems: pm.actionItems.slice(0, 12).map(fitItem),
    },
    knowledgeSuggestions: draft.knowledgeSuggestions.slice(0, 10).map(fitSuggestion),
  };
}
