import type { DraftInput, DraftResult, LearningDrafter } from './drafter.js';
import type { ActionItem, KnowledgeSuggestion, LearningDraft, PostmortemDraft } from './draft-schema.js';
import { UNKNOWN, type Investigation, type Resolution, type ServiceFinding } from './investigation-types.js';
import { keyEventText, keyEvents } from './key-events.js';
import type { RunbookDoc } from './runbooks.js';
import { fitDraft } from './fit-draft.js';
import { code, fitLine, formatDuration, formatTime, slugify } from './text.js';
import { quoteStatement } from './statement-text.js';

/** The service the session was mostly about: the first one found by more than its namespace. */
export function primaryService(inv: Investigation): ServiceFinding | undefined {
  return inv.services.find((s) => s.evidence.some((k) => k !== 'namespace')) ?? inv.services[0];
}

/** `Edited a.yaml → `kubectl apply -f a.yaml`` — the fix in one line. */
export function fixLine(resolution: Resolution): string {
  return resolution.steps.map((s) => s.action).join(' → ');
}

function severityOf(inv: Investigation): PostmortemDraft['severity'] {
  const text = inv.question === UNKNOWN ? '' : inv.question;
  const stated = /\bsev\s*-?\s*([1-4])\b/i.exec(text);
  if (stated) return `SEV${stated[1]}` as PostmortemDraft['severity'];
  const userFacing = inv.symptoms.some((s) => s === '5xx errors' || s === 'unavailable');
  if (userFacing && /\b(prod|production)\b/i.test(text)) return 'SEV2';
  if (inv.symptoms.length > 0) return 'SEV3';
  return 'unknown';
}

function titleOf(inv: Investigation): string {
  const service = primaryService(inv)?.name;
  const symptoms = inv.symptoms.slice(0, 2).join(' and ');
  const question = inv.question === UNKNOWN ? '' : fitLine(inv.question, 90);
  if (service && symptoms) return `${service}: ${symptoms}`;
  if (service && question) return `${service}: ${question}`;
  return question || `Session ${inv.sessionId}`;
}

function window(inv: Investigation): string {
  if (inv.startedAt === UNKNOWN || inv.endedAt === UNKNOWN) return 'at an unknown time';
  return `on ${inv.startedAt.slice(0, 10)} from ${formatTime(inv.startedAt)} to ${formatTime(inv.endedAt)} (${inv.duration})`;
}

function servicesText(inv: Investigation): string {
  if (inv.services.length === 0) return 'unknown';
  return inv.services
    .slice(0, 5)
    .map((s) => (s.evidence.length === 1 && s.evidence[0] === 'namespace' ? `${s.name} (namespace)` : s.name))
    .join(', ');
}

function rootCauseText(inv: Investigation): string {
  if (inv.rootCauseEvidence === UNKNOWN) {
    const said = inv.statements.at(-1);
    const account = said ? ` ${quoteStatement(said, 600)}` : '';
    return `unknown: the session recorded no error output that explains the failure.${account}`;
  }
  const e = inv.rootCauseEvidence;
  const fix = inv.resolution === UNKNOWN ? '' : ` It was resolved by: ${fixLine(inv.resolution)}.`;
  const when = inv.resolution === UNKNOWN ? 'recorded' : 'before the fix';
  return `The clearest error ${when} was "${e.text}", shown by ${e.source} at ${formatTime(e.at)}.${fix}`;
}

function summaryText(inv: Investigation): string {
  const parts: string[] = [];
  const question = inv.question === UNKNOWN ? 'an unrecorded question' : `"${fitLine(inv.question, 300)}"`;
  parts.push(`An agent session ${window(inv)} investigated ${question}.`);
  parts.push(`Services involved: ${servicesText(inv)}.`);
  if (inv.rootCauseEvidence !== UNKNOWN) parts.push(`Key error: "${fitLine(inv.rootCauseEvidence.text, 200)}".`);
  if (inv.failedActions.length > 0) parts.push(`${inv.failedActions.length} action(s) failed along the way.`);
  if (inv.resolution !== UNKNOWN) {
    const checks = inv.resolution.verifiedBy.length;
    parts.push(
      `Resolved by: ${fixLine(inv.resolution)}${checks > 0 ? `, then verified with ${checks} check(s)` : ', not verified afterwards'}.`,
    );
  } else {
    parts.push('No successful change was recorded, so the resolution is unknown.');
  }
  return parts.join(' ');
}

function impactText(inv: Investigation): string {
  if (inv.symptomReports.length === 0) return 'unknown: the session does not say who or what was affected.';
  return `As reported in the session: ${inv.symptomReports.map((s) => `"${s}"`).join(' ')}`;
}

function detectionText(inv: Investigation): string {
  if (inv.question === UNKNOWN) return 'unknown: the session has no prompt saying how the problem was noticed.';
  const when = inv.startedAt === UNKNOWN ? '' : ` at ${formatTime(inv.startedAt, true)}`;
  if (inv.questionSource === 'query') return `Investigated${when} for: "${fitLine(inv.question, 400)}".`;
  return `Brought to the agent${when} by the prompt: "${fitLine(inv.question, 400)}".`;
}

function contributingFactors(inv: Investigation): string[] {
  const out = inv.failedActions.slice(0, 4).map((f) => `${f.action} failed: ${fitLine(f.error, 200)}`);
  const rootKey = inv.rootCauseEvidence === UNKNOWN ? '' : inv.rootCauseEvidence.text;
  const failedIds = new Set(inv.failedActions.map((f) => f.eventId));
  for (const e of inv.errors
    .filter((e) => e.weight >= 2 && e.text !== rootKey && !failedIds.has(e.eventId))
    .slice(0, 3))
    out.push(`Also seen: "${fitLine(e.text, 200)}" (from ${e.source})`);
  const service = primaryService(inv);
  if (service && inv.matchedRunbooks.length === 0) out.push(`No local runbook covers ${service.name}.`);
  return out;
}

function wentWell(inv: Investigation): string[] {
  const out: string[] = [];
  if (inv.rootCauseEvidence !== UNKNOWN && inv.startedAt !== UNKNOWN) {
    const after = Date.parse(inv.rootCauseEvidence.at) - Date.parse(inv.startedAt);
    out.push(
      `The key error was found ${formatDuration(after)} into the session, with ${inv.rootCauseEvidence.source}.`,
    );
  }
  if (inv.resolution !== UNKNOWN) {
    out.push(`A fix was applied: ${fixLine(inv.resolution)}.`);
    if (inv.resolution.verifiedBy.length > 0)
      out.push(`The fix was verified with ${inv.resolution.verifiedBy.map((c) => c.action).join(', ')}.`);
  }
  if (inv.matchedRunbooks.length > 0)
    out.push(`Existing runbook(s) cover the service: ${inv.matchedRunbooks.join(', ')}.`);
  return out;
}

function wentPoorly(inv: Investigation): string[] {
  const out = inv.failedActions.slice(0, 4).map((f) => `${f.action} did not work: ${fitLine(f.error, 200)}`);
  if (inv.failedActions.length > 4) out.push(`${inv.failedActions.length - 4} more action(s) failed.`);
  if (inv.resolution === UNKNOWN) out.push('No successful change was recorded; the issue may still be open.');
  else if (inv.resolution.verifiedBy.length === 0) out.push('The change was not verified in the session.');
  const service = primaryService(inv);
  if (service && inv.matchedRunbooks.length === 0) out.push(`There was no runbook for ${service.name} to follow.`);
  if (!inv.concluded) out.push('The session has no recorded end; it may have been cut short.');
  return out;
}

function actionItems(inv: Investigation): ActionItem[] {
  const service = primaryService(inv)?.name;
  const owner = service ? `${service} owner` : 'service owner';
  const items: ActionItem[] = [];
  if (inv.resolution === UNKNOWN)
    items.push({
      title: 'Confirm the issue is resolved: the session recorded no successful change',
      ownerRole: 'incident commander',
      priority: 'P0',
      category: 'mitigation',
    });
  else if (inv.resolution.verifiedBy.length === 0)
    items.push({
      title: `Verify the effect of ${fitLine(inv.resolution.change.action, 160)}`,
      ownerRole: 'on-call engineer',
      priority: 'P1',
      category: 'mitigation',
    });
  if (inv.rootCauseEvidence !== UNKNOWN) {
    items.push({
      title: `Add a check before release that catches: "${fitLine(inv.rootCauseEvidence.text, 160)}"`,
      ownerRole: owner,
      priority: 'P1',
      category: 'prevention',
    });
  }
  const failure = inv.failedActions[0];
  if (failure)
    items.push({
      title: `Document why ${fitLine(failure.action, 120)} failed (${fitLine(failure.error, 100)}) and what to do instead`,
      ownerRole: 'on-call engineer',
      priority: 'P2',
      category: 'process',
    });
  if (inv.matchedRunbooks.length > 0)
    items.push({
      title: `Review the incident learnings added to ${inv.matchedRunbooks.join(', ')}`,
      ownerRole: 'runbook owner',
      priority: 'P2',
      category: 'documentation',
    });
  else if (service)
    items.push({
      title: `Adopt a runbook for ${service}${inv.symptoms.length ? `: ${inv.symptoms.slice(0, 2).join(', ')}` : ''}`,
      ownerRole: owner,
      priority: 'P2',
      category: 'documentation',
    });
  if (inv.symptoms.length > 0 && service) {
    items.push({
      title: `Check that an alert covers ${inv.symptoms.slice(0, 2).join(' and ')} for ${service} and links its runbook`,
      ownerRole: 'SRE',
      priority: 'P3',
      category: 'detection',
    });
  }
  return items;
}

/** The body a runbook's "Incident learnings" entry gets: symptoms, evidence, what failed, the fix, how to verify. */
export function learningsMarkdown(inv: Investigation): string {
  const lines: string[] = [];
  lines.push(
    `- **Source:** ${inv.kind === 'incident' ? `incident ${inv.incidentId}, ` : ''}session ${code(inv.sessionId)} ${window(inv)}`,
  );
  if (inv.symptoms.length > 0 || inv.symptomReports.length > 0) {
    const reports = inv.symptomReports[0] ? ` — "${fitLine(inv.symptomReports[0], 200)}"` : '';
    lines.push(`- **Symptoms:** ${inv.symptoms.join(', ') || 'as reported'}${reports}`);
  }
  if (inv.rootCauseEvidence !== UNKNOWN)
    lines.push(
      `- **Evidence:** ${code(fitLine(inv.rootCauseEvidence.text, 240))} (from ${inv.rootCauseEvidence.source})`,
    );
  if (inv.failedActions.length > 0) {
    lines.push('- **Did not work:**');
    for (const f of inv.failedActions.slice(0, 5)) lines.push(`  - ${f.action} — ${fitLine(f.error, 200)}`);
  }
  if (inv.resolution !== UNKNOWN) {
    lines.push('- **Fix:**');
    for (const [i, s] of inv.resolution.steps.entries()) lines.push(`  ${i + 1}. ${s.action}`);
    if (inv.resolution.verifiedBy.length > 0) {
      lines.push('- **Verify:**');
      for (const c of inv.resolution.verifiedBy) lines.push(`  - ${c.action}`);
    }
  } else {
    lines.push('- **Fix:** unknown (no successful change recorded)');
  }
  return lines.join('\n');
}

function newRunbookMarkdown(inv: Investigation, title: string, services: string[]): string {
  const out: string[] = [
    '---',
    `title: ${JSON.stringify(title)}`,
    `services: [${services.map((s) => JSON.stringify(s)).join(', ')}]`,
    `source_session: ${JSON.stringify(inv.sessionId)}`,
    '---',
    '',
    `# ${title}`,
    '',
  ];
  out.push('## Symptoms', '');
  if (inv.symptomReports.length > 0) for (const s of inv.symptomReports) out.push(`- "${s}"`);
  else out.push(`- ${inv.symptoms.join(', ') || 'unknown'}`);
  out.push('', '## Diagnosis', '');
  const diagnosis =
    inv.rootCauseEvidence === UNKNOWN
      ? []
      : [
          `- Look for ${code(fitLine(inv.rootCauseEvidence.text, 200))}; it showed up in the output of ${inv.rootCauseEvidence.source}.`,
        ];
  out.push(...(diagnosis.length ? diagnosis : ['- unknown: no diagnostic output was recorded.']));
  out.push('', '## Fix', '');
  if (inv.resolution !== UNKNOWN)
    for (const [i, s] of inv.resolution.steps.entries()) out.push(`${i + 1}. ${s.action}`);
  else out.push('unknown: no successful change was recorded.');
  if (inv.resolution !== UNKNOWN && inv.resolution.verifiedBy.length > 0) {
    out.push('', '## Verification', '');
    for (const c of inv.resolution.verifiedBy) out.push(`- ${c.action}`);
  }
  if (inv.failedActions.length > 0) {
    out.push('', '## Pitfalls', '');
    for (const f of inv.failedActions.slice(0, 5)) out.push(`- ${f.action} failed: ${fitLine(f.error, 200)}`);
  }
  return out.join('\n');
}

function knownIssueMarkdown(inv: Investigation, title: string): string {
  if (inv.rootCauseEvidence === UNKNOWN) return '';
  const out = [
    `# ${title}`,
    '',
    `- **Signature:** ${code(fitLine(inv.rootCauseEvidence.text, 240))}`,
    `- **Seen in:** output of ${inv.rootCauseEvidence.source} at ${formatTime(inv.rootCauseEvidence.at, true)}`,
  ];
  if (inv.services.length > 0) out.push(`- **Services:** ${servicesText(inv)}`);
  if (inv.symptoms.length > 0) out.push(`- **Symptoms:** ${inv.symptoms.join(', ')}`);
  out.push(`- **Resolution:** ${inv.resolution === UNKNOWN ? 'unknown' : fixLine(inv.resolution)}`);
  out.push(
    `- **Source:** ${inv.kind === 'incident' ? `incident ${inv.incidentId}, ` : ''}session ${code(inv.sessionId)}`,
  );
  return out.join('\n');
}

/** The target of a proposal no runbook matched (see `applyRunbookUpdates`: never applied on its own). */
export const UNPLACED_TARGET = 'unplaced';

/** The primary service when something other than a namespace named it. */
function namedService(inv: Investigation): ServiceFinding | undefined {
  return inv.services.find((s) => s.evidence.some((k) => k !== 'namespace'));
}

export function suggestions(inv: Investigation, runbooks: RunbookDoc[], target?: string): KnowledgeSuggestion[] {
  const out: KnowledgeSuggestion[] = [];
  const found = new Set(inv.services.map((s) => s.name.toLowerCase()));
  const body = learningsMarkdown(inv);
  for (const name of inv.matchedRunbooks.slice(0, 3)) {
    const doc = runbooks.find((r) => r.name === name);
    if (!doc) continue;
    const shared = doc.services.filter((s) => found.has(s.toLowerCase()));
    out.push({
      type: 'update_runbook',
      target: doc.name,
      title: doc.title,
      services: shared.length > 0 ? shared : doc.services.slice(0, 12),
      reasoning: `The session worked on ${shared.join(', ') || doc.title}, which ${doc.name} covers; it recorded ${inv.failedActions.length} failed action(s)${inv.resolution === UNKNOWN ? '' : ' and the fix that worked'}.`,
      markdown: body,
      confidence: inv.confidence.score,
    });
  }
  const service = namedService(inv);
  const serviceNames = service ? [service.name] : [];
  if (target && inv.matchedRunbooks.length === 0) {
    // The user named the runbook these learnings belong in.
    out.push({
      type: 'update_runbook',
      target,
      title: target.replace(/\.md$/i, ''),
      services: serviceNames,
      reasoning: `Asked for with --runbook ${target}; the session recorded ${inv.failedActions.length} failed action(s)${inv.resolution === UNKNOWN ? '' : ' and the fix that worked'}.`,
      markdown: body,
      confidence: inv.confidence.score,
    });
  } else if (inv.matchedRunbooks.length === 0 && !service) {
    // No runbook and no service to name one after: a proposal to place by hand, never a catch-all runbook.
    out.push({
      type: 'update_runbook',
      target: UNPLACED_TARGET,
      title: 'Learnings without a target runbook',
      services: [],
      reasoning:
        'No local runbook matches this session and it names no service; place these learnings by hand, or learn again with --runbook <name>.',
      markdown: body,
      confidence: inv.confidence.score,
    });
  } else if (inv.matchedRunbooks.length === 0 && inv.resolution !== UNKNOWN && service) {
    const title = `${service.name}: ${inv.symptoms.slice(0, 2).join(' and ') || 'recovery'}`;
    out.push({
      type: 'new_runbook',
      target: slugify(title),
      title,
      services: serviceNames,
      reasoning: `No local runbook covers ${service.name}; the session found a fix${inv.resolution.verifiedBy.length > 0 ? ' and verified it' : ''}.`,
      markdown: newRunbookMarkdown(inv, title, serviceNames),
      confidence: Math.round(inv.confidence.score * 0.9 * 100) / 100,
    });
  }
  if (inv.rootCauseEvidence !== UNKNOWN) {
    const title = `${service ? `${service.name}: ` : ''}${fitLine(inv.rootCauseEvidence.text, 100)}`;
    out.push({
      type: 'new_known_issue',
      target: slugify(title),
      title: fitLine(title, 160),
      services: serviceNames,
      reasoning: `The session's clearest error signature; recording it with its fix lets the next on-call match it quickly.`,
      markdown: knownIssueMarkdown(inv, fitLine(title, 160)),
      confidence: Math.round(inv.confidence.score * (inv.resolution === UNKNOWN ? 0.6 : 0.85) * 100) / 100,
    });
  }
  return out;
}

/** Build the whole learning draft from evidence alone: deterministic, no network. */
export function draftOffline(input: DraftInput): LearningDraft {
  const inv = input.investigation;
  const chosen = keyEvents(input.timeline.events, inv);
  const timeline = chosen.map((e) => ({ at: e.at, event: fitLine(keyEventText(e), 600) }));
  const postmortem: PostmortemDraft = {
    title: fitLine(titleOf(inv), 160),
    severity: severityOf(inv),
    summary: fitLine(summaryText(inv), 4000),
    impact: fitLine(impactText(inv), 2000),
    detection: fitLine(detectionText(inv), 2000),
    rootCause: fitLine(rootCauseText(inv), 2000),
    contributingFactors: contributingFactors(inv),
    timeline: timeline.length > 0 ? timeline : [{ at: new Date(0).toISOString(), event: 'No events recorded' }],
    whatWentWell: wentWell(inv),
    whatWentPoorly: wentPoorly(inv),
    actionItems: actionItems(inv),
  };
  return fitDraft({ postmortem, knowledgeSuggestions: suggestions(inv, input.runbooks, input.runbookTarget) });
}

/** The default drafter: everything from the session's evidence, no model, no network. */
export function createOfflineDrafter(): LearningDrafter {
  return {
    name: 'offline',
    async draft(input: DraftInput): Promise<DraftResult> {
      return { draft: draftOffline(input), drafter: 'offline', notes: [] };
    },
  };
}
