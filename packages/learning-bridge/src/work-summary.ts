import type { SessionKind } from './classify.js';
import { commandFirstLine } from './command-kinds.js';
import { UNKNOWN, type Investigation } from './investigation-types.js';
import { fixLine } from './offline-drafter.js';
import { frontmatterBlock } from './postmortem-markdown.js';
import { inertMarkdown, quoteStatement } from './statement-text.js';
import { code, fitLine, formatTime } from './text.js';

const KIND_LABEL: Record<SessionKind, string> = {
  incident: 'Incident',
  debugging: 'Debugging',
  change: 'Work summary',
  question: 'Question',
};

/** The title of a session's learning output: what kind of session, and what it was about. */
export function summaryTitle(inv: Investigation): string {
  const about = inv.question === UNKNOWN ? `session ${inv.sessionId}` : fitLine(inv.question, 100);
  if (inv.kind === 'debugging' && inv.rootCauseEvidence !== UNKNOWN)
    return fitLine(`Debugging: ${inv.rootCauseEvidence.text}`, 160);
  return fitLine(`${KIND_LABEL[inv.kind]}: ${about}`, 160);
}

function bullets(items: string[], empty: string): string[] {
  return items.length > 0 ? items.map((i) => `- ${i}`) : [`- ${empty}`];
}

/**
 * The document for a session that was not an incident: what was asked, what changed (files and commands),
 * the checks run and their results, problems met and how they were fixed, and what the agents said (quoted).
 * No severity, no owners, no action items: nothing the session does not show.
 */
export function renderWorkSummary(inv: Investigation, notes: string[]): string {
  const head = frontmatterBlock({
    title: summaryTitle(inv),
    kind: inv.kind,
    session_id: inv.sessionId,
    investigation_id: inv.id,
    started_at: inv.startedAt,
    ended_at: inv.endedAt,
    duration: inv.duration,
    drafter: 'offline',
  });
  const out: string[] = [`# ${inertMarkdown(summaryTitle(inv))}`, ''];
  out.push(
    `**Kind:** ${inv.kind} (${inv.kindReasons.join('; ') || 'no evidence either way'}) · **Duration:** ${inv.duration}`,
    '',
  );

  out.push('## Asked', '');
  out.push(
    inv.question === UNKNOWN ? 'unknown: no prompt was recorded.' : `"${inertMarkdown(fitLine(inv.question, 600))}"`,
  );
  if (inv.stats.prompts > 1) out.push('', `${inv.stats.prompts - 1} more prompt(s) followed.`);
  out.push('');

  out.push('## Changes', '');
  const files = inv.stats.filesChanged.slice(0, 40).map((f) => `Changed ${code(f)}`);
  if (inv.stats.filesChanged.length > 40) files.push(`… and ${inv.stats.filesChanged.length - 40} more file(s)`);
  const commands = inv.changeCommands.slice(0, 15).map((c) => `Ran ${code(fitLine(commandFirstLine(c), 160))}`);
  out.push(...bullets([...files, ...commands], 'nothing was changed'));
  out.push('');

  out.push('## Checks', '');
  out.push(
    ...bullets(
      inv.checks
        .slice(-15)
        .map(
          (c) =>
            `${code(fitLine(commandFirstLine(c.command), 160))} — ${c.passed ? 'passed' : 'failed'} at ${formatTime(c.at)}`,
        ),
      'no tests, type checks, lint or builds were run',
    ),
  );
  out.push('');

  if (inv.failedActions.length > 0 || inv.kind === 'debugging') {
    out.push('## Problems and fixes', '');
    out.push(
      `- **Evidence:** ${inv.rootCauseEvidence === UNKNOWN ? 'unknown: no error output was recorded' : `"${inertMarkdown(fitLine(inv.rootCauseEvidence.text, 300))}" (from ${inv.rootCauseEvidence.source} at ${formatTime(inv.rootCauseEvidence.at)})`}`,
    );
    out.push(
      `- **Fix:** ${inv.resolution === UNKNOWN ? 'unknown: no successful change was recorded after the failure' : fixLine(inv.resolution)}`,
    );
    if (inv.resolution !== UNKNOWN && inv.resolution.verifiedBy.length > 0)
      out.push(`- **Verified by:** ${inv.resolution.verifiedBy.map((v) => v.action).join(', ')}`);
    if (inv.failedActions.length > 0) {
      out.push('- **Failed along the way:**');
      for (const f of inv.failedActions.slice(0, 8))
        out.push(`  - ${formatTime(f.at)} ${f.action} — ${inertMarkdown(fitLine(f.error, 200))}`);
      if (inv.failedActions.length > 8) out.push(`  - … and ${inv.failedActions.length - 8} more`);
    }
    out.push('');
  }

  if (inv.subagents.length > 0 || inv.compactions > 0 || inv.interrupted.length > 0) {
    out.push('## Session', '');
    for (const action of inv.interrupted.slice(0, 5)) out.push(`- ${action} was interrupted by the user.`);
    for (const s of inv.subagents)
      out.push(`- Subagent ${s.type ? code(s.type) : code(s.id)}: ${s.toolCalls} tool call(s)`);
    if (inv.compactions > 0)
      out.push(`- The context was compacted ${inv.compactions} time(s); later work may not recall earlier detail.`);
    out.push('');
  }

  if (inv.statements.length > 0) {
    out.push("## The agents' account", '');
    for (const s of inv.statements.slice(-5)) out.push(`> ${quoteStatement(s, 800)}`, '');
  }
  out.push('## Evidence', '');
  out.push(
    `- **Events:** ${inv.stats.events} (${inv.stats.toolCalls} tool calls, ${inv.stats.failures} failed, ${inv.stats.changes} changes)`,
  );
  out.push(`- **Confidence:** ${inv.confidence.level} (${inv.confidence.score}): ${inv.confidence.reasons.join('; ')}`);
  const redacted = Object.entries(inv.redactions);
  if (redacted.length > 0) out.push(`- **Redacted at ingest:** ${redacted.map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  if (notes.length > 0)
    out.push(
      '',
      '## Notes',
      '',
      ...bullets(
        notes.map((n) => inertMarkdown(n)),
        '',
      ),
    );
  return `${head}${out.join('\n').trimEnd()}\n`;
}
