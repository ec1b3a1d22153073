import { programWords, splitShellSegments } from './shell.js';
import { symptomTerms } from './signals.js';
import type { TimelineEvent } from './timeline-types.js';

/** What a session was: an incident, debugging, change or feature work, or a question answered by reading. */
export type SessionKind = 'incident' | 'debugging' | 'change' | 'question';

export const SESSION_KINDS: readonly SessionKind[] = ['incident', 'debugging', 'change', 'question'];

export interface SessionClass {
  kind: SessionKind;
  /** The evidence the kind rests on, in words. */
  reasons: string[];
}

const INCIDENT_STRONG =
  /\b(incident|outage|sev\s*-?\s*[0-4]|paged|pagerduty|opsgenie|on-?call|downtime|customers? (are|can'?t|cannot|report)|users? (are|can'?t|cannot) )/i;
const INCIDENT_WEAK = /\b(prod|production|alert(s|ing|ed)?|5xx|error rate|latency|degraded|down)\b/i;
const DEBUG_WORDS =
  /\b(fix|fixes|bug|broken|failing|fails|failed|failure|error|errors|exception|crash(es|ing)?|debug|why (does|is|did)|doesn'?t work|not working|stack ?trace|regression)\b/i;
const CHANGE_WORDS =
  /\b(add|implement|create|write|refactor|rename|update|document|build|introduce|extend|migrate|remove|delete|move|convert|support|make)\b/i;
const QUESTION = /^(how|what|why|where|which|who|when|can|could|does|do|is|are|should|explain|tell me)\b|\?$/i;
const OPS_PROGRAMS = new Set([
  'kubectl',
  'oc',
  'helm',
  'systemctl',
  'journalctl',
  'aws',
  'gcloud',
  'az',
  'terraform',
  'tofu',
  'docker',
  'podman',
  'psql',
  'redis-cli',
  'argocd',
  'flyctl',
  'heroku',
]);

function isOpsCommand(command: string): boolean {
  return splitShellSegments(command).some((s) => OPS_PROGRAMS.has(programWords(s.words)[0] ?? ''));
}

function opsCommands(events: TimelineEvent[]): { run: number; changed: number } {
  let run = 0;
  let changed = 0;
  for (const event of events) {
    if (!event.command || !isOpsCommand(event.command)) continue;
    run++;
    if (event.phase === 'tool_call' && !event.unfinished && event.mutating) changed++;
  }
  return { run, changed };
}

/**
 * Classify a session from its evidence: what the prompts ask and report, what ran, what failed and what
 * changed. `forced` (an incident id given by the user) makes it an incident.
 */
export function classifySession(events: TimelineEvent[], forced?: SessionKind): SessionClass {
  if (forced) return { kind: forced, reasons: [`${forced} form asked for (--incident-id)`] };
  const prompts = events.filter((e) => e.phase === 'prompt' && e.text).map((e) => e.text!);
  const asked = prompts.join('\n');
  const first = prompts[0] ?? '';
  const reasons: string[] = [];
  let incident = 0;
  const strong = INCIDENT_STRONG.exec(asked);
  if (strong) {
    incident += 2;
    reasons.push(`a prompt reports an incident ("${strong[0].trim()}")`);
  }
  const weak = INCIDENT_WEAK.exec(asked);
  if (weak) incident += 1;
  const symptoms = symptomTerms(asked);
  if (symptoms.length > 0) {
    incident += 1;
    reasons.push(`prompts report symptoms: ${symptoms.slice(0, 3).join(', ')}`);
  }
  const ops = opsCommands(events);
  if (ops.run >= 2) {
    incident += 1;
    reasons.push(`${ops.run} commands against running systems (kubectl, helm, systemctl, cloud CLIs...)`);
  }
  if (ops.changed > 0 && weak) {
    incident += 1;
    reasons.push(`a running system was changed (${ops.changed} command(s)) and a prompt names ${weak[0]}`);
  }
  if (incident >= 3) return { kind: 'incident', reasons };

  const failures = events.filter((e) => e.phase === 'tool_failure' && !e.interrupted);
  const retried = events.some((e) => e.retryOf);
  const changed = events.some((e) => e.phase === 'tool_call' && !e.unfinished && e.mutating);
  const debugAsk = DEBUG_WORDS.exec(first);
  const changeAsk = CHANGE_WORDS.exec(first);
  const out: string[] = [];
  if (debugAsk)
    return {
      kind: 'debugging',
      reasons: [`the first prompt asks about a problem ("${debugAsk[0]}")`, ...failuresReason(failures.length)],
    };
  if (!changed && QUESTION.test(first.trim()))
    return {
      kind: 'question',
      reasons: ['the first prompt asks a question and nothing was changed', ...failuresReason(failures.length)],
    };
  if (changeAsk && changed)
    return {
      kind: 'change',
      reasons: [
        `the first prompt asks for work ("${changeAsk[0]}") and the session changed files or systems`,
        ...failuresReason(failures.length),
      ],
    };
  if (failures.length > 0 && retried)
    return {
      kind: 'debugging',
      reasons: ['a failed command was fixed and retried successfully', ...failuresReason(failures.length)],
    };
  if (symptoms.length > 0)
    return {
      kind: 'debugging',
      reasons: [
        `prompts report symptoms (${symptoms.slice(0, 3).join(', ')}) without signs of an incident`,
        ...failuresReason(failures.length),
      ],
    };
  if (changed)
    return { kind: 'change', reasons: ['the session changed files or systems', ...failuresReason(failures.length)] };
  if (failures.length > 0) return { kind: 'debugging', reasons: failuresReason(failures.length) };
  out.push('nothing was changed and nothing failed: the session read and answered');
  return { kind: 'question', reasons: out };
}

function failuresReason(n: number): string[] {
  return n > 0 ? [`${n} tool call(s) failed`] : [];
}
