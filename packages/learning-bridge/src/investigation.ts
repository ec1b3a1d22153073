import { sessionIdToSegment } from '@runbook/storage-core';
import { classifySession, type SessionKind } from './classify.js';
import { commandFirstLine, isCheckCommand } from './command-kinds.js';
import type { RunbookDoc } from './runbooks.js';
import {
  mentionsName,
  servicesInCommand,
  servicesInPath,
  type ServiceEvidenceKind,
  type ServiceMention,
} from './services.js';
import { signalKey, symptomSentences, symptomTerms } from './signals.js';
import type { SessionTimeline, TimelineEvent } from './timeline-types.js';
import { brief, code, fileSafe, formatDuration } from './text.js';
import {
  UNKNOWN,
  type ChangeStep,
  type CheckRun,
  type Confidence,
  type ErrorFinding,
  type FailedAction,
  type Investigation,
  type Resolution,
  type ServiceFinding,
} from './investigation-types.js';

export interface SynthesisOptions {
  /** Force the session's kind (an incident id given by the user makes it an incident). */
  kind?: SessionKind;
  /** What the investigation was about; defaults to the session's first prompt. */
  query?: string;
  incidentId?: string;
  /** Local runbooks; their frontmatter `services` are recognised wherever the session names them. */
  runbooks?: RunbookDoc[];
}

const EVIDENCE_ORDER: ServiceEvidenceKind[] = [
  'runbook',
  'deployment',
  'workload',
  'label',
  'helm-release',
  'pod',
  'unit',
  'container',
  'path',
  'namespace',
];
const MAX_ERRORS = 10;

function actionOf(event: TimelineEvent): string {
  if (event.command) return code(brief(commandFirstLine(event.command), 200));
  return event.description.replace(/ — failed.*$/, '');
}

function changeStep(event: TimelineEvent): ChangeStep {
  return {
    at: event.at,
    eventId: event.eventId,
    kind: event.command ? 'command' : 'edit',
    action: actionOf(event),
    ...(event.command ? { command: event.command } : {}),
    ...(event.filePath ? { filePath: event.filePath } : {}),
  };
}

function isSuccessfulCall(event: TimelineEvent): boolean {
  return event.phase === 'tool_call' && !event.unfinished;
}

function collectServices(events: TimelineEvent[], runbooks: RunbookDoc[]): ServiceFinding[] {
  const found = new Map<string, { evidence: Set<ServiceEvidenceKind>; mentions: number; display: string }>();
  const add = (mention: ServiceMention) => {
    const key = mention.name.toLowerCase();
    const entry = found.get(key) ?? { evidence: new Set(), mentions: 0, display: mention.name };
    entry.evidence.add(mention.kind);
    entry.mentions++;
    found.set(key, entry);
  };
  const known = [...new Set(runbooks.flatMap((r) => r.services))];
  for (const event of events) {
    const perEvent: ServiceMention[] = [];
    if (event.command) perEvent.push(...servicesInCommand(event.command));
    if (event.filePath) perEvent.push(...servicesInPath(event.filePath));
    const text = [event.command, event.filePath, event.text].filter(Boolean).join('\n');
    if (text) for (const name of known) if (mentionsName(text, name)) perEvent.push({ name, kind: 'runbook' });
    const seen = new Set<string>();
    for (const mention of perEvent) {
      const key = `${mention.name.toLowerCase()}\u0000${mention.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(mention);
    }
  }
  const rank = (kinds: ServiceEvidenceKind[]) => Math.min(...kinds.map((k) => EVIDENCE_ORDER.indexOf(k)));
  return [...found.entries()]
    .map(([key, entry]) => {
      const evidence = [...entry.evidence].sort((a, b) => EVIDENCE_ORDER.indexOf(a) - EVIDENCE_ORDER.indexOf(b));
      const listedIn = runbooks.filter((r) => r.services.some((s) => s.toLowerCase() === key)).map((r) => r.name);
      return { name: entry.display, evidence, mentions: entry.mentions, runbooks: listedIn };
    })
    .sort((a, b) => rank(a.evidence) - rank(b.evidence) || b.mentions - a.mentions || a.name.localeCompare(b.name));
}

function findResolution(events: TimelineEvent[]): Resolution | typeof UNKNOWN {
  // A subagent finishing is not the session concluding.
  const concludes = (event: TimelineEvent) =>
    event.phase === 'session_end' || (event.phase === 'conclusion' && event.eventName !== 'SubagentStop');
  let end = events.length;
  for (let i = events.length - 1; i >= 0; i--) {
    if (concludes(events[i]!)) {
      end = i;
      break;
    }
  }
  // A command that failed before and works now shows the fix worked: it verifies, it is not the change.
  const isChange = (event: TimelineEvent) => isSuccessfulCall(event) && event.mutating === true && !event.retryOf;
  let changeAt = -1;
  for (let i = end - 1; i >= 0; i--) {
    if (isChange(events[i]!)) {
      changeAt = i;
      break;
    }
  }
  if (changeAt === -1) return UNKNOWN;
  const steps: ChangeStep[] = [];
  for (let i = changeAt; i >= 0 && steps.length < 6; i--) {
    const event = events[i]!;
    if (event.phase === 'tool_failure') break;
    if (isChange(event)) steps.unshift(changeStep(event));
  }
  const verifiedBy: ChangeStep[] = [];
  const firstStepAt = steps[0] ? events.findIndex((e) => e.eventId === steps[0]!.eventId) : changeAt;
  for (let i = firstStepAt + 1; i < events.length && verifiedBy.length < 6; i++) {
    const event = events[i]!;
    if (concludes(event) || (event.phase === 'prompt' && i > changeAt)) break;
    if (!isSuccessfulCall(event)) continue;
    if (event.retryOf || (i > changeAt && !event.mutating && event.command)) verifiedBy.push(changeStep(event));
  }
  return { change: changeStep(events[changeAt]!), steps, verifiedBy };
}

function collectErrors(events: TimelineEvent[]): ErrorFinding[] {
  const byKey = new Map<string, ErrorFinding>();
  for (const event of events) {
    if (!event.signals) continue;
    for (const signal of event.signals) {
      const key = signalKey(signal.text);
      const prior = byKey.get(key);
      if (prior && prior.weight >= signal.weight) continue;
      byKey.set(key, {
        at: event.at,
        eventId: event.eventId,
        text: signal.text,
        weight: signal.weight,
        source: actionOf(event),
      });
    }
  }
  return [...byKey.values()].sort((a, b) => b.weight - a.weight || a.at.localeCompare(b.at)).slice(0, MAX_ERRORS);
}

function findingOf(event: TimelineEvent, weightAtLeast: number): ErrorFinding | undefined {
  let best: ErrorFinding | undefined;
  for (const signal of event.signals ?? []) {
    if (signal.weight < weightAtLeast) continue;
    if (!best || signal.weight > best.weight)
      best = {
        at: event.at,
        eventId: event.eventId,
        text: signal.text,
        weight: signal.weight,
        source: actionOf(event),
      };
  }
  return best;
}

function pickRootCauseEvidence(
  events: TimelineEvent[],
  resolution: Resolution | typeof UNKNOWN,
): ErrorFinding | typeof UNKNOWN {
  const before = resolution === UNKNOWN ? Infinity : Date.parse(resolution.steps[0]?.at ?? resolution.change.at);
  // A failure that was retried and then worked is what the fix was for: its error is the evidence.
  const retried = new Set(
    resolution === UNKNOWN
      ? []
      : resolution.verifiedBy.map((v) => events.find((e) => e.eventId === v.eventId)?.retryOf).filter(Boolean),
  );
  let fromRetried: ErrorFinding | undefined;
  let best: ErrorFinding | undefined;
  for (const event of events) {
    if (!event.signals || Date.parse(event.at) > before) continue;
    const finding = findingOf(event, 2);
    if (!finding) continue;
    if (retried.has(event.eventId) && (!fromRetried || finding.weight >= fromRetried.weight)) fromRetried = finding;
    if (!best || finding.weight >= best.weight) best = finding;
  }
  return fromRetried ?? best ?? UNKNOWN;
}

/** What confidence is rated from: the investigation before its kind, checks and statements are added. */
type ConfidenceInput = Omit<
  Investigation,
  | 'confidence'
  | 'kind'
  | 'kindReasons'
  | 'changeCommands'
  | 'interrupted'
  | 'checks'
  | 'statements'
  | 'subagents'
  | 'compactions'
>;

function rateConfidence(inv: ConfidenceInput): Confidence {
  const reasons: string[] = [];
  let score = 0;
  const credit = (ok: boolean, weight: number, yes: string, no: string) => {
    if (ok) score += weight;
    reasons.push(ok ? yes : no);
  };
  credit(
    inv.question !== UNKNOWN,
    0.1,
    `question known (${inv.questionSource === 'query' ? 'given' : 'first prompt'})`,
    'no question: no --query and no prompt recorded',
  );
  credit(
    inv.services.length > 0,
    0.15,
    `${inv.services.length} service(s) named in commands, paths or prompts`,
    'no service named in commands, paths or prompts',
  );
  credit(inv.rootCauseEvidence !== UNKNOWN, 0.2, 'error output recorded before the fix', 'no error output recorded');
  credit(
    inv.resolution !== UNKNOWN,
    0.25,
    'a successful change was made before the session concluded',
    'no successful change found',
  );
  const verified = inv.resolution !== UNKNOWN && inv.resolution.verifiedBy.length > 0;
  credit(
    verified,
    0.2,
    verified && inv.resolution !== UNKNOWN
      ? `the change was followed by ${inv.resolution.verifiedBy.length} successful check(s)`
      : '',
    'the change was not verified afterwards',
  );
  credit(inv.concluded, 0.05, 'the session concluded', 'the session has no Stop or SessionEnd');
  credit(
    inv.stats.toolCalls >= 3,
    0.05,
    `${inv.stats.toolCalls} tool calls recorded`,
    `only ${inv.stats.toolCalls} tool call(s) recorded`,
  );
  const rounded = Math.round(score * 100) / 100;
  return {
    level: rounded >= 0.75 ? 'high' : rounded >= 0.45 ? 'medium' : 'low',
    score: rounded,
    reasons: reasons.filter(Boolean),
  };
}

/** How sure a work summary can be: what was asked, what changed, what checked it, how the session ended. */
function rateWorkConfidence(inv: ConfidenceInput, checks: CheckRun[]): Confidence {
  const reasons: string[] = [];
  let score = 0;
  const credit = (ok: boolean, weight: number, yes: string, no: string) => {
    if (ok) score += weight;
    reasons.push(ok ? yes : no);
  };
  credit(inv.question !== UNKNOWN, 0.25, 'the request is known (first prompt)', 'no prompt recorded');
  credit(
    inv.stats.toolCalls >= 3,
    0.25,
    `${inv.stats.toolCalls} tool calls recorded`,
    `only ${inv.stats.toolCalls} tool call(s) recorded`,
  );
  if (inv.stats.changes > 0) {
    credit(
      checks.length > 0,
      0.15,
      `${checks.length} check(s) run`,
      'the changes were not checked (no tests, type checks, lint or builds)',
    );
    credit(
      checks.length > 0 && checks[checks.length - 1]!.passed,
      0.2,
      'the last check passed',
      checks.length > 0 ? 'the last check failed' : '',
    );
  } else {
    credit(inv.stats.toolCalls > 0, 0.35, 'the answer rests on what the session read', 'nothing was read to answer it');
  }
  credit(inv.concluded, 0.15, 'the session concluded', 'the session has no Stop or SessionEnd');
  const rounded = Math.round(score * 100) / 100;
  return {
    level: rounded >= 0.75 ? 'high' : rounded >= 0.45 ? 'medium' : 'low',
    score: rounded,
    reasons: reasons.filter(Boolean),
  };
}

/** A stable id for one session's learning output: `<first event date>-<session id>`. */
export function investigationIdFor(timeline: SessionTimeline): string {
  const first = timeline.events[0]?.at;
  const date = first && /^\d{4}-\d{2}-\d{2}/.test(first) ? first.slice(0, 10) : 'undated';
  return `${date}-${sessionIdToSegment(timeline.sessionId || 'unknown-session')}`;
}

/** Work out what the session shows: question, services, symptoms, errors, failed attempts, the fix, and how sure that is. */
export function synthesizeInvestigation(timeline: SessionTimeline, options: SynthesisOptions = {}): Investigation {
  const events = timeline.events;
  const runbooks = options.runbooks ?? [];
  const prompts = events.filter((e) => e.phase === 'prompt' && e.text);
  const query = options.query?.trim();
  const question = query || prompts[0]?.text || UNKNOWN;
  const questionSource = query ? 'query' : prompts[0]?.text ? 'first-prompt' : UNKNOWN;

  const startedAt = events[0]?.at ?? UNKNOWN;
  const endedAt = events[events.length - 1]?.at ?? UNKNOWN;
  const durationMs = startedAt !== UNKNOWN && endedAt !== UNKNOWN ? Date.parse(endedAt) - Date.parse(startedAt) : NaN;

  const services = collectServices(events, runbooks);
  const resolution = findResolution(events);
  const errors = collectErrors(events);

  // Prompts after the fix tend to report recovery, not symptoms.
  const fixedAt = resolution === UNKNOWN ? Infinity : Date.parse(resolution.change.at);
  const reportingPrompts = prompts.filter((p) => Date.parse(p.at) <= fixedAt).map((p) => p.text ?? '');
  const symptomTexts = [question === UNKNOWN ? '' : question, ...reportingPrompts, ...errors.map((e) => e.text)];
  const symptoms = [...new Set(symptomTexts.flatMap(symptomTerms))];
  const symptomReports = [
    ...new Set([question === UNKNOWN ? '' : question, ...reportingPrompts].flatMap((t) => symptomSentences(t))),
  ].slice(0, 5);

  // A call the user stopped did not fail: it stays in the timeline, not among the failures.
  const failedActions: FailedAction[] = events
    .filter((e) => e.phase === 'tool_failure' && !e.interrupted)
    .map((e) => ({
      at: e.at,
      eventId: e.eventId,
      tool: e.tool ?? 'unknown tool',
      ...(e.command ? { command: e.command } : {}),
      action: actionOf(e),
      error: e.error ?? 'failed',
      ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}),
    }));

  const serviceNames = new Set(
    services
      .filter((s) => !(s.evidence.length === 1 && s.evidence[0] === 'namespace'))
      .map((s) => s.name.toLowerCase()),
  );
  const matchedRunbooks = runbooks
    .filter(
      (r) =>
        r.services.some((s) => serviceNames.has(s.toLowerCase())) ||
        [...serviceNames].some((name) => mentionsName(r.title, name)),
    )
    .map((r) => r.name);

  const toolEvents = events.filter((e) => e.phase === 'tool_call' || e.phase === 'tool_failure');
  const filesRead = [...new Set(toolEvents.filter((e) => e.tool === 'Read' && e.filePath).map((e) => e.filePath!))];
  const filesChanged = [
    ...new Set(
      toolEvents
        .filter((e) => e.mutating && !e.command && e.filePath && e.phase === 'tool_call')
        .map((e) => e.filePath!),
    ),
  ];

  const incidentId = fileSafe(
    options.incidentId?.trim() || `session-${sessionIdToSegment(timeline.sessionId || 'unknown').slice(0, 8)}`,
  );
  const partial: Omit<
    Investigation,
    | 'confidence'
    | 'kind'
    | 'kindReasons'
    | 'changeCommands'
    | 'interrupted'
    | 'checks'
    | 'statements'
    | 'subagents'
    | 'compactions'
  > = {
    id: investigationIdFor(timeline),
    sessionId: timeline.sessionId,
    incidentId,
    question,
    questionSource,
    startedAt,
    endedAt,
    durationMs: Number.isFinite(durationMs) ? durationMs : null,
    duration: Number.isFinite(durationMs) ? formatDuration(durationMs) : UNKNOWN,
    cwd: timeline.cwd,
    ...(timeline.transcriptPath ? { transcriptPath: timeline.transcriptPath } : {}),
    services,
    symptoms,
    symptomReports,
    errors,
    failedActions,
    rootCauseEvidence: pickRootCauseEvidence(events, resolution),
    resolution,
    concluded: events.some((e) => e.phase === 'conclusion' || e.phase === 'session_end'),
    matchedRunbooks,
    stats: {
      events: events.length,
      prompts: prompts.length,
      toolCalls: toolEvents.length,
      commands: toolEvents.filter((e) => e.command).length,
      failures: failedActions.length,
      changes: toolEvents.filter((e) => e.mutating && e.phase === 'tool_call' && !e.unfinished).length,
      filesRead,
      filesChanged,
    },
    redactions: timeline.redactions,
  };
  const checks: CheckRun[] = toolEvents
    .filter((e) => e.command && !e.unfinished && isCheckCommand(e.command))
    .map((e) => ({ at: e.at, eventId: e.eventId, command: e.command!, passed: e.phase === 'tool_call' }));
  const classified = classifySession(events, options.kind);
  return {
    ...partial,
    confidence:
      classified.kind === 'change' || classified.kind === 'question'
        ? rateWorkConfidence(partial, checks)
        : rateConfidence(partial),
    kind: classified.kind,
    kindReasons: classified.reasons,
    changeCommands: toolEvents
      .filter((e) => e.phase === 'tool_call' && !e.unfinished && e.mutating && e.command)
      .map((e) => e.command!),
    interrupted: toolEvents.filter((e) => e.interrupted).map(actionOf),
    checks,
    statements: timeline.statements,
    subagents: timeline.subagents,
    compactions: timeline.compactions,
  };
}
