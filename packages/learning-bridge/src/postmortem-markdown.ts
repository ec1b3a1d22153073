import { stringify as stringifyYaml } from 'yaml';
import type { LearningDraft } from './draft-schema.js';
import { UNKNOWN, type Investigation } from './investigation-types.js';
import { quoteStatement } from './statement-text.js';
import { formatTime } from './text.js';

/** YAML frontmatter block (with the closing `---` and a blank line). */
export function frontmatterBlock(fields: Record<string, unknown>): string {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return `---\n${stringifyYaml(clean, { lineWidth: 0 }).trimEnd()}\n---\n\n`;
}

function list(items: string[], empty = '- none recorded'): string {
  return items.length > 0 ? items.map((i) => `- ${i}`).join('\n') : empty;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The postmortem document: frontmatter, then Summary, Impact, Detection, Root cause, ... Action items, Evidence. */
export function renderPostmortem(draft: LearningDraft, inv: Investigation, drafter: string, notes: string[]): string {
  const pm = draft.postmortem;
  const head = frontmatterBlock({
    title: pm.title,
    incident_id: inv.incidentId,
    session_id: inv.sessionId,
    investigation_id: inv.id,
    severity: pm.severity,
    started_at: inv.startedAt,
    ended_at: inv.endedAt,
    duration: inv.duration,
    services: inv.services.map((s) => s.name),
    confidence: inv.confidence.level,
    confidence_score: inv.confidence.score,
    drafter,
  });
  const out: string[] = [`# ${pm.title}`, ''];
  out.push(
    `**Severity:** ${pm.severity} · **Duration:** ${inv.duration} · **Services:** ${inv.services.map((s) => s.name).join(', ') || UNKNOWN} · **Confidence:** ${inv.confidence.level}`,
    '',
  );
  out.push('## Summary', '', pm.summary, '');
  out.push('## Impact', '', pm.impact, '');
  out.push('## Detection', '', pm.detection, '');
  out.push('## Root cause', '', pm.rootCause, '');
  out.push('## Contributing factors', '', list(pm.contributingFactors), '');
  out.push('## Timeline (UTC)', '');
  for (const entry of pm.timeline) out.push(`- **${formatTime(entry.at, true)}** — ${entry.event}`);
  out.push('');
  out.push('## What went well', '', list(pm.whatWentWell), '');
  out.push('## What went poorly', '', list(pm.whatWentPoorly), '');
  out.push('## Action items', '');
  if (pm.actionItems.length > 0) {
    out.push('| Priority | Action | Owner | Category |', '|---|---|---|---|');
    for (const item of pm.actionItems)
      out.push(`| ${item.priority} | ${cell(item.title)} | ${cell(item.ownerRole)} | ${item.category} |`);
  } else {
    out.push('- none');
  }
  out.push('');
  if (inv.statements.length > 0) {
    out.push("## The agents' account", '');
    for (const s of inv.statements.slice(-5)) out.push(`> ${quoteStatement(s, 800)}`, '');
  }
  out.push('## Evidence', '');
  out.push(`- **Question:** ${inv.question === UNKNOWN ? UNKNOWN : `"${inv.question.replace(/\s+/g, ' ').trim()}"`}`);
  out.push(inv.failedActions.length === 0 ? '- **Failed actions:** none' : '- **Failed actions:**');
  for (const f of inv.failedActions) out.push(`  - ${formatTime(f.at)} ${f.action} — ${f.error}`);
  out.push(
    `- **Fix:** ${inv.resolution === UNKNOWN ? UNKNOWN : inv.resolution.steps.map((s) => s.action).join(' → ')}`,
  );
  if (inv.resolution !== UNKNOWN && inv.resolution.verifiedBy.length > 0)
    out.push(`- **Verified by:** ${inv.resolution.verifiedBy.map((s) => s.action).join(', ')}`);
  out.push(`- **Confidence:** ${inv.confidence.level} (${inv.confidence.score}): ${inv.confidence.reasons.join('; ')}`);
  out.push(
    `- **Events:** ${inv.stats.events} (${inv.stats.toolCalls} tool calls, ${inv.stats.failures} failed, ${inv.stats.changes} changes)`,
  );
  const redacted = Object.entries(inv.redactions);
  if (redacted.length > 0) out.push(`- **Redacted at ingest:** ${redacted.map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  if (notes.length > 0) out.push('', '## Notes', '', list(notes));
  return `${head}${out.join('\n').trimEnd()}\n`;
}
