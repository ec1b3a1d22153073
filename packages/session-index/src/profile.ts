import type { StoredRecord } from '@runbook/storage-core';
import { fingerprintId, normalizeError, tellingLine } from './fingerprint.js';

/** One kind of failure in a session: the same fingerprint, however often it happened. */
export interface FailureSummary {
  /** Short id of the fingerprint, e.g. `fp-3f9a2c41d0`. */
  id: string;
  /** The normalised message. */
  fingerprint: string;
  /** One real occurrence, as stored (redacted). */
  example: string;
  tool: string;
  /** The failing command (Bash) or target (file path), normalised. */
  command?: string;
  count: number;
  firstAt: string;
  lastAt: string;
  /** What was done before the same command next succeeded, when it did. */
  fix?: string;
}

/** What one session is about, for similarity and recurrence: failures, commands, files and services. */
export interface SessionProfile {
  sessionId: string;
  firstSeen: string;
  lastSeen: string;
  events: number;
  /** The first prompt, shortened. */
  prompt?: string;
  failures: FailureSummary[];
  /** Commands that failed, normalised. */
  commands: string[];
  /** File names touched or named in failures. */
  files: string[];
  services: string[];
}

type Step = {
  ok: boolean;
  tool: string;
  command?: string;
  key?: string;
  action: string;
  failure?: { message: string; normalized: string };
  at: string;
};

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const asString = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function exitCodeOf(response: Record<string, unknown>): number | undefined {
  for (const key of ['exit_code', 'exitCode', 'returnCode', 'return_code']) {
    const value = response[key];
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  return undefined;
}

/** The failure a tool response reports (non-zero exit, `is_error`, `success: false`), if any. */
function responseFailure(response: unknown): string | undefined {
  const r = asObject(response);
  if (!r) return undefined;
  const code = exitCodeOf(r);
  const failed = (code !== undefined && code !== 0) || r.is_error === true || r.success === false;
  if (!failed) return undefined;
  const text = asString(r.stderr) ?? asString(r.error) ?? asString(r.stdout) ?? asString(r.output) ?? '';
  return tellingLine(text) || (code !== undefined ? `exit code ${code}` : 'the tool reported an error');
}

function oneLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/)[0]!.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function targetOf(input: Record<string, unknown> | undefined): string | undefined {
  if (!input) return undefined;
  return (
    asString(input.command) ??
    asString(input.file_path) ??
    asString(input.notebook_path) ??
    asString(input.path) ??
    asString(input.url) ??
    asString(input.pattern)
  );
}

function stepOf(record: StoredRecord): Step | undefined {
  const p = record.payload ?? {};
  const tool = asString(p.tool_name) ?? '';
  const input = asObject(p.tool_input);
  const target = targetOf(input);
  const command = target ? oneLine(target) : undefined;
  const key = command ? normalizeError(command) : undefined;
  const action = command ? `${tool}: ${command}` : tool;
  const base = { tool, action, at: record.observedAt, ...(command ? { command, key } : {}) };
  let message: string | undefined;
  if (record.eventName === 'PostToolUseFailure') {
    if (p.is_interrupt === true) return undefined;
    message = tellingLine(asString(p.error) ?? '') || 'the tool failed';
  } else if (record.eventName === 'PostToolUse') {
    message = responseFailure(p.tool_response);
  } else return undefined;
  if (message === undefined) return { ok: true, ...base };
  return { ok: false, ...base, failure: { message, normalized: normalizeError(message) } };
}

const FILE =
  /(?:^|[\s/'"=:(])([\w.-]+\.(?:ya?ml|json|tf|tfvars|toml|ini|conf|cfg|env|ts|tsx|js|mjs|cjs|py|go|rb|java|kt|rs|sh|sql|md|lock|properties|xml|gradle|dockerfile))\b/gi;
const SERVICE_PATTERNS: RegExp[] = [
  /\b(?:deploy|deployment|deployments|svc|service|services|statefulset|sts|daemonset|ds|replicaset|rs|pod|pods|po|job|cronjob)\/([a-z0-9][a-z0-9-]*[a-z0-9])(?![\w./-])/g,
  /\bhelm\s+(?:upgrade|install|rollback|status|uninstall|history)\s+(?:--?[\w-]+(?:[= ]\S+)?\s+)*([a-z0-9][a-z0-9-]*[a-z0-9])/g,
  /\bsystemctl\s+\w+\s+([\w@.-]+?)(?:\.service)?\b/g,
  /\bdocker(?:\s+compose)?\s+(?:restart|logs|start|stop|up|exec)\s+(?:-\S+\s+)*([a-z0-9][\w.-]*)/g,
  /\bhttps?:\/\/([a-z][a-z0-9-]*[a-z0-9])(?=[.:/])/g,
  /\b([a-z][a-z0-9-]*?)-<(?:pod|rs)>/g,
];
const NOT_SERVICES = new Set(['localhost', 'www', 'api', 'http', 'https', 'all', 'default']);

function addFiles(text: string, into: Set<string>): void {
  for (const m of text.matchAll(FILE)) into.add(m[1]!.toLowerCase());
}

function addServices(text: string, into: Set<string>): void {
  for (const pattern of SERVICE_PATTERNS)
    for (const m of text.matchAll(pattern)) if (!NOT_SERVICES.has(m[1]!)) into.add(m[1]!);
}

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
/** Commands that only look: reading them as a fix would be noise. */
const LOOKS_ONLY =
  /^(?:sudo\s+)?(?:cat|grep|egrep|rg|ls|head|tail|less|more|echo|pwd|df|du|ps|top|env|which|find|wc|jq|stat|file|dig|nslookup|ping|curl|wget|git\s+(?:status|log|diff|show|branch)|kubectl\s+(?:get|describe|logs|top|explain|auth|rollout\s+(?:status|history))|helm\s+(?:status|list|ls|history|get|template)|docker\s+(?:ps|logs|inspect|images)|systemctl\s+status|journalctl|terraform\s+(?:plan|show|validate|fmt))\b/;

function isChange(step: Step): boolean {
  if (!step.ok || !step.command) return false;
  if (EDIT_TOOLS.has(step.tool)) return true;
  return step.tool === 'Bash' && !LOOKS_ONLY.test(step.command);
}

/**
 * What fixed a failure: the changes (edits, commands that do more than look) made between it and the
 * next success of the same command; the last three, in order. Undefined when the command never succeeded.
 */
function fixAfter(steps: readonly Step[], failedAt: number): string | undefined {
  const failed = steps[failedAt]!;
  if (!failed.key) return undefined;
  let changes: string[] = [];
  for (let i = failedAt + 1; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.key === failed.key) {
      if (step.ok) return changes.length > 0 ? changes.slice(-3).join(' then ') : undefined;
      changes = [];
      continue;
    }
    if (isChange(step) && !changes.includes(step.action)) changes.push(step.action);
  }
  return undefined;
}

/** Summarise a session's records (in stored order) into its profile. */
export function profileSession(sessionId: string, records: readonly StoredRecord[]): SessionProfile {
  const steps: Step[] = [];
  const files = new Set<string>();
  const services = new Set<string>();
  let prompt: string | undefined;
  let first = '';
  let last = '';
  for (const record of records) {
    if (!first || record.observedAt < first) first = record.observedAt;
    if (record.observedAt > last) last = record.observedAt;
    const p = record.payload ?? {};
    if (prompt === undefined && record.eventName === 'UserPromptSubmit' && asString(p.prompt))
      prompt = oneLine(p.prompt as string, 200);
    const step = stepOf(record);
    if (!step) continue;
    steps.push(step);
    const input = asObject(p.tool_input);
    const path = asString(input?.file_path) ?? asString(input?.notebook_path);
    if (path) files.add(path.split(/[\\/]/).pop()!.toLowerCase());
    if (step.command && step.tool === 'Bash') {
      addFiles(step.command, files);
      addServices(step.command, services);
    }
    if (step.failure) {
      addFiles(step.failure.message, files);
      addServices(step.failure.message, services);
      addServices(step.failure.normalized, services);
    }
  }
  const byId = new Map<string, FailureSummary>();
  const commands = new Set<string>();
  steps.forEach((step, i) => {
    if (step.ok || !step.failure) return;
    if (step.key && step.tool === 'Bash') commands.add(step.key);
    const id = fingerprintId(step.failure.normalized);
    const fix = fixAfter(steps, i);
    const known = byId.get(id);
    if (known) {
      known.count++;
      known.lastAt = step.at;
      if (fix) known.fix = fix;
      return;
    }
    byId.set(id, {
      id,
      fingerprint: step.failure.normalized,
      example: step.failure.message,
      tool: step.tool,
      ...(step.command ? { command: step.key ?? step.command } : {}),
      count: 1,
      firstAt: step.at,
      lastAt: step.at,
      ...(fix ? { fix } : {}),
    });
  });
  return {
    sessionId,
    firstSeen: first,
    lastSeen: last,
    events: records.length,
    ...(prompt ? { prompt } : {}),
    failures: [...byId.values()],
    commands: [...commands].sort(),
    files: [...files].sort(),
    services: [...services].sort(),
  };
}
