import type { StoredRecord } from '@runbook/storage-core';

/** What a row of the timeline is. */
export type StepKind = 'tool' | 'prompt' | 'message' | 'session' | 'compaction' | 'notification' | 'other';

/** One row of the timeline: a tool call (from its PreToolUse to its result), or a single event. */
export interface TimelineStep {
  /** Index in `steps`. */
  index: number;
  kind: StepKind;
  /** `main`, or the subagent's id: each lane is drawn apart. */
  lane: string;
  /** Milliseconds since the session's first event. */
  start: number;
  /** Milliseconds since the first event when the step ended (tool calls with a result). */
  end?: number;
  status: 'ok' | 'failed' | 'open';
  /** Event name, or the tool's name for tool calls. */
  label: string;
  /** One line saying what happened (a command, a prompt, a file). */
  title: string;
  /** A failed tool call's error. */
  error?: string;
  /** Indexes into `events` of the stored events this step stands for. */
  events: number[];
}

export interface TimelineEvent {
  eventId: string;
  eventName: string;
  observedAt: string;
  /** Left out when the viewer fetches payloads as steps are opened. */
  payload?: Record<string, unknown>;
  redactions?: Record<string, number>;
}

export interface TimelineModel {
  sessionId: string;
  firstSeen: string;
  lastSeen: string;
  durationMs: number;
  lanes: string[];
  steps: TimelineStep[];
  events: TimelineEvent[];
  failures: number;
  toolCalls: number;
  /** Built from the session's first events only (the viewer's first screen); the rest follows. */
  partial?: boolean;
}

const TITLE_LIMIT = 200;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function firstLine(value: string): string {
  const lines = value.trim().split('\n');
  const line = lines[0]!.length > TITLE_LIMIT ? `${lines[0]!.slice(0, TITLE_LIMIT - 1)}…` : lines[0]!;
  return lines.length > 1 ? `${line} …` : line;
}

/** What a tool call was about, from its input: the command, the file, the pattern, the URL. */
function toolTitle(payload: Record<string, unknown>): string {
  const input = (
    typeof payload.tool_input === 'object' && payload.tool_input !== null ? payload.tool_input : {}
  ) as Record<string, unknown>;
  const about =
    text(input.command) ??
    text(input.file_path) ??
    text(input.path) ??
    text(input.pattern) ??
    text(input.url) ??
    text(input.description) ??
    text(input.prompt) ??
    '';
  return firstLine(about);
}

function laneOf(payload: Record<string, unknown>): string {
  return text(payload.agent_id) ?? 'main';
}

/** A tool result whose own output says it failed (Claude Code reports most failures as PostToolUseFailure). */
function resultFailed(payload: Record<string, unknown>): boolean {
  const response = payload.tool_response;
  if (typeof response !== 'object' || response === null) return false;
  const r = response as Record<string, unknown>;
  return r.is_error === true || r.interrupted === true;
}

function singleStep(
  record: StoredRecord,
  payload: Record<string, unknown>,
): Pick<TimelineStep, 'kind' | 'label' | 'title'> {
  switch (record.eventName) {
    case 'UserPromptSubmit':
      return { kind: 'prompt', label: 'Prompt', title: firstLine(text(payload.prompt) ?? '') };
    case 'Stop':
    case 'SubagentStop':
      return {
        kind: 'message',
        label: record.eventName,
        title: firstLine(text(payload.last_assistant_message) ?? 'agent stopped'),
      };
    case 'PreCompact':
      return {
        kind: 'compaction',
        label: 'Compaction',
        title: `context compacted (${text(payload.trigger) ?? 'auto'})`,
      };
    case 'SessionStart':
      return {
        kind: 'session',
        label: 'SessionStart',
        title: `session started (${text(payload.source) ?? 'startup'})`,
      };
    case 'SessionEnd':
      return { kind: 'session', label: 'SessionEnd', title: `session ended (${text(payload.reason) ?? 'other'})` };
    case 'Notification':
      return { kind: 'notification', label: 'Notification', title: firstLine(text(payload.message) ?? '') };
    default:
      return { kind: 'other', label: record.eventName, title: firstLine(text(payload.tool_name) ?? '') };
  }
}

/**
 * A session as timeline rows. A tool call is one row from its PreToolUse to its PostToolUse or
 * PostToolUseFailure (paired by `tool_use_id`), red when it failed, with its error; other events are
 * rows of their own. Subagent events go to their own lane. Payloads are kept as given (already redacted
 * for output) so a row can show everything it stands for.
 */
export interface BuildOptions {
  /** Keep every event's payload in the model (a self-contained file); otherwise the viewer asks for them. */
  payloads?: boolean;
  /** Applied to every title and error the model shows (the output redaction). */
  text?: (text: string) => string;
}

export function buildTimeline(sessionId: string, records: StoredRecord[], options: BuildOptions = {}): TimelineModel {
  const clean = options.text ?? ((t: string) => t);
  const origin = records.length > 0 ? Date.parse(records[0]!.observedAt) : 0;
  const at = (record: StoredRecord) => {
    const time = Date.parse(record.observedAt);
    return Number.isFinite(time) && Number.isFinite(origin) ? Math.max(0, time - origin) : 0;
  };
  const steps: TimelineStep[] = [];
  const events: TimelineEvent[] = [];
  const open = new Map<string, TimelineStep>();
  const lanes = new Set<string>(['main']);
  let failures = 0;
  let toolCalls = 0;
  for (const record of records) {
    const payload = record.payload;
    const eventIndex =
      events.push({
        eventId: record.eventId,
        eventName: record.eventName,
        observedAt: record.observedAt,
        ...(options.payloads === false ? {} : { payload }),
        ...(record.redactions ? { redactions: record.redactions } : {}),
      }) - 1;
    const lane = laneOf(payload);
    lanes.add(lane);
    const toolUseId = text(payload.tool_use_id);
    const isResult = record.eventName === 'PostToolUse' || record.eventName === 'PostToolUseFailure';
    /** A tool call's row, from its PreToolUse (or from a result whose call was not stored). */
    const startToolStep = (events: number[]): TimelineStep => {
      const step: TimelineStep = {
        index: steps.length,
        kind: 'tool',
        lane,
        start: at(record),
        status: 'open',
        label: text(payload.tool_name) ?? 'tool',
        title: toolTitle(payload),
        events,
      };
      steps.push(step);
      toolCalls += 1;
      return step;
    };
    if (record.eventName === 'PreToolUse') {
      const step = startToolStep([eventIndex]);
      if (toolUseId) open.set(toolUseId, step);
      continue;
    }
    if (isResult) {
      const failed = record.eventName === 'PostToolUseFailure' || resultFailed(payload);
      let step = toolUseId ? open.get(toolUseId) : undefined;
      if (step) {
        open.delete(toolUseId!);
      } else {
        step = startToolStep([]);
      }
      step.events.push(eventIndex);
      step.end = Math.max(step.start, at(record));
      step.status = failed ? 'failed' : 'ok';
      if (failed) {
        failures += 1;
        const error =
          text(payload.error) ?? text((payload.tool_response as Record<string, unknown> | undefined)?.stderr);
        if (error) step.error = error.length > 4000 ? `${error.slice(0, 3999)}…` : error;
      }
      continue;
    }
    steps.push({
      index: steps.length,
      ...singleStep(record, payload),
      lane,
      start: at(record),
      status: 'ok',
      events: [eventIndex],
    });
  }
  for (const step of steps) {
    step.title = clean(step.title);
    if (step.error !== undefined) step.error = clean(step.error);
  }
  const first = records[0]?.observedAt ?? '';
  const last = records.at(-1)?.observedAt ?? '';
  return {
    sessionId,
    firstSeen: first,
    lastSeen: last,
    durationMs: records.length > 0 ? at(records.at(-1)!) : 0,
    lanes: [...lanes],
    steps,
    events,
    failures,
    toolCalls,
  };
}
