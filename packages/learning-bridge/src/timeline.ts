import type { StoredRecord } from '@runbook/storage-core';
import { isSearchCommand, isSearchOrLintCommand } from './command-kinds.js';
import { EDITING_TOOLS, isMutatingCommand } from './commands.js';
import { describeToolCall, responseErrorText } from './describe-tool.js';
import { booleanField, integerField, stringField, toolPayload } from './payload.js';
import { failureBody, failureText, outputSignals, type OutputSignal } from './signals.js';
import type { AgentStatement, SessionTimeline, TimelineEvent } from './timeline-types.js';
import { brief, clip, oneLine } from './text.js';

const PROMPT_KEEP = 4000;
const STATEMENT_KEEP = 4000;
const COMMAND_KEEP = 2000;

interface PendingCall {
  event: TimelineEvent;
  key: string;
}

function callKey(tool: string, command: string | undefined, filePath: string | undefined): string {
  return `${tool}\u0000${command ?? filePath ?? ''}`;
}

function base(record: StoredRecord): Pick<TimelineEvent, 'at' | 'eventId' | 'eventName'> {
  return { at: record.observedAt, eventId: record.eventId, eventName: record.eventName };
}

function toolResultOutcome(
  response: unknown,
  searchOutput: boolean,
): { failed: boolean; exitCode?: number; error?: string; signals: OutputSignal[] } {
  const stdout = stringField(response, 'stdout') ?? '';
  const stderr = stringField(response, 'stderr') ?? '';
  const exitCode = integerField(response, 'exit_code', 'exitCode', 'returnCode', 'return_code');
  const interrupted = booleanField(response, 'interrupted') === true;
  const isError = booleanField(response, 'is_error') === true || booleanField(response, 'success') === false;
  // Search hits and lint findings name errors without being one; a failing search or lint still fails below.
  const signals = searchOutput ? [] : outputSignals(stderr ? `${stdout}\n${stderr}` : stdout);
  if (exitCode !== undefined && exitCode !== 0) {
    const text = failureText(stderr || stdout).text;
    return { failed: true, exitCode, error: text || `exit code ${exitCode}`, signals };
  }
  if (interrupted) return { failed: true, error: 'interrupted before it finished', signals };
  if (isError)
    return {
      failed: true,
      error: failureText(responseErrorText(response) ?? 'the tool reported an error').text,
      signals,
    };
  return { failed: false, exitCode, signals };
}

/** Turn one tool record (Pre/Post/PostFailure) into an event, matching results to their starts. */
class ToolCallTracker {
  private readonly byId = new Map<string, PendingCall>();
  private readonly byKey = new Map<string, PendingCall[]>();
  /** Results read before their start (records need not arrive in order). */
  private readonly earlyById = new Map<string, TimelineEvent>();
  private readonly earlyByKey = new Map<string, TimelineEvent[]>();

  start(record: StoredRecord, cwd: string): void {
    const tool = toolPayload(record.payload);
    const summary = describeToolCall(tool, cwd);
    const startKey = callKey(tool.toolName, summary.command, summary.filePath);
    const early = tool.toolUseId ? this.earlyById.get(tool.toolUseId) : this.earlyByKey.get(startKey)?.shift();
    if (early) {
      if (tool.toolUseId) this.earlyById.delete(tool.toolUseId);
      early.startedAt = record.observedAt;
      return;
    }
    const mutating = summary.command ? isMutatingCommand(summary.command) : EDITING_TOOLS.has(tool.toolName);
    const event: TimelineEvent = {
      ...base(record),
      phase: 'tool_call',
      description: `${summary.action} (no result recorded)`,
      tool: tool.toolName,
      toolUseId: tool.toolUseId,
      command: summary.command ? clip(summary.command, COMMAND_KEEP) : undefined,
      filePath: summary.filePath,
      mutating,
      unfinished: true,
      ...agentOf(record),
    };
    const pending = { event, key: startKey };
    if (tool.toolUseId) this.byId.set(tool.toolUseId, pending);
    const list = this.byKey.get(pending.key);
    if (list) list.push(pending);
    else this.byKey.set(pending.key, [pending]);
  }

  finish(record: StoredRecord, cwd: string, failedEvent: boolean): TimelineEvent {
    const tool = toolPayload(record.payload);
    const summary = describeToolCall(tool, cwd);
    const key = callKey(tool.toolName, summary.command, summary.filePath);
    let pending = tool.toolUseId ? this.byId.get(tool.toolUseId) : undefined;
    if (!pending) pending = this.byKey.get(key)?.[0];
    if (pending) this.forget(pending);

    const event: TimelineEvent = {
      ...base(record),
      phase: 'tool_call',
      description: summary.action,
      tool: tool.toolName,
      toolUseId: tool.toolUseId,
      startedAt: pending?.event.at,
      command: summary.command ? clip(summary.command, COMMAND_KEEP) : undefined,
      filePath: summary.filePath,
      // The start already classified the same command; classify only results that arrived alone.
      mutating:
        pending && pending.event.command === (summary.command ? clip(summary.command, COMMAND_KEEP) : undefined)
          ? pending.event.mutating
          : summary.command
            ? isMutatingCommand(summary.command)
            : EDITING_TOOLS.has(tool.toolName),
      ...agentOf(record),
    };
    const searchOutput = summary.command !== undefined && isSearchOrLintCommand(summary.command);
    if (searchOutput) event.searchOutput = true;
    if (failedEvent) {
      const raw = stringField(record.payload, 'error') ?? responseErrorText(tool.response) ?? 'the tool call failed';
      const interrupted = booleanField(record.payload, 'is_interrupt') === true;
      const parsed = failureText(raw);
      const body = failureBody(raw);
      if (!interrupted && parsed.exitCode === 1 && body === '' && summary.command && isSearchCommand(summary.command)) {
        // grep and friends exit 1 when nothing matches: an answer, not a failure.
        event.description = `${summary.action} (no matches)`;
        event.exitCode = 1;
      } else {
        event.phase = 'tool_failure';
        event.exitCode = parsed.exitCode;
        event.error = interrupted ? 'interrupted by the user' : parsed.text || 'the tool call failed';
        if (interrupted) event.interrupted = true;
        // What a failed call printed is the first evidence of why: the error Claude Code reports (`Exit code N` + output).
        if (!interrupted) {
          const signals = outputSignals(body);
          event.signals = signals.length > 0 ? signals : parsed.text ? [{ text: parsed.text, weight: 2 }] : [];
          if (event.signals.length === 0) delete event.signals;
        }
      }
    } else {
      const outcome = toolResultOutcome(tool.response, searchOutput);
      if (outcome.signals.length > 0) event.signals = outcome.signals;
      if (outcome.exitCode !== undefined) event.exitCode = outcome.exitCode;
      if (outcome.failed) {
        event.phase = 'tool_failure';
        event.error = outcome.error;
      }
    }
    if (!pending) {
      if (tool.toolUseId) this.earlyById.set(tool.toolUseId, event);
      else {
        const list = this.earlyByKey.get(key);
        if (list) list.push(event);
        else this.earlyByKey.set(key, [event]);
      }
    }
    if (event.interrupted) {
      event.description = `${summary.action} — interrupted by the user`;
    } else if (event.phase === 'tool_failure') {
      const exit = event.exitCode !== undefined && event.exitCode !== 0 ? ` (exit ${event.exitCode})` : '';
      event.description = `${summary.action} — failed${exit}: ${brief(event.error ?? '', 200)}`;
    }
    return event;
  }

  private forget(pending: PendingCall): void {
    if (pending.event.toolUseId) this.byId.delete(pending.event.toolUseId);
    const list = this.byKey.get(pending.key);
    if (!list) return;
    const at = list.indexOf(pending);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(pending.key);
  }

  /** Calls that started and never reported a result. */
  unfinished(): TimelineEvent[] {
    const out: TimelineEvent[] = [];
    for (const list of this.byKey.values()) for (const pending of list) out.push(pending.event);
    return out;
  }
}

function agentOf(record: StoredRecord): Pick<TimelineEvent, 'agent'> {
  const id = stringField(record.payload, 'agent_id');
  const type = stringField(record.payload, 'agent_type');
  return id || type ? { agent: { ...(id ? { id } : {}), ...(type ? { type } : {}) } } : {};
}

/** The agent's closing message of a Stop/SubagentStop, as an attributed statement. */
function statementOf(record: StoredRecord): AgentStatement | undefined {
  const text = stringField(record.payload, 'last_assistant_message')?.trim();
  if (!text) return undefined;
  const sub = record.eventName === 'SubagentStop';
  const type = stringField(record.payload, 'agent_type');
  return {
    source: sub ? 'subagent-stop-hook' : 'stop-hook',
    speaker: sub ? `subagent${type ? ` ${brief(type, 40)}` : ''}` : 'the agent',
    text: clip(text, STATEMENT_KEEP),
    at: record.observedAt,
    eventId: record.eventId,
  };
}

function simpleEvent(record: StoredRecord): TimelineEvent {
  const p = record.payload;
  const b = base(record);
  switch (record.eventName) {
    case 'SessionStart': {
      const source = stringField(p, 'source');
      return { ...b, phase: 'session_start', description: `Session started${source ? ` (${brief(source, 40)})` : ''}` };
    }
    case 'UserPromptSubmit': {
      const prompt = (stringField(p, 'prompt') ?? '').trim();
      return {
        ...b,
        phase: 'prompt',
        description: prompt ? `Prompt: "${brief(prompt, 240)}"` : 'Prompt (empty)',
        text: clip(prompt, PROMPT_KEEP),
      };
    }
    case 'Stop':
    case 'SubagentStop': {
      const type = stringField(p, 'agent_type');
      const who = record.eventName === 'Stop' ? 'Agent' : `Subagent${type ? ` ${brief(type, 40)}` : ''}`;
      const reason = stringField(p, 'reason') ?? stringField(p, 'stop_reason');
      const said = stringField(p, 'last_assistant_message');
      const quote = said ? ` (its account: "${brief(said, 160)}")` : '';
      return {
        ...b,
        phase: 'conclusion',
        description: reason ? `${who} stopped: ${brief(reason, 200)}${quote}` : `${who} finished responding${quote}`,
        ...agentOf(record),
      };
    }
    case 'SubagentStart': {
      const type = stringField(p, 'agent_type');
      return {
        ...b,
        phase: 'other',
        description: `Subagent started${type ? ` (${brief(type, 40)})` : ''}`,
        ...agentOf(record),
      };
    }
    case 'SessionEnd': {
      const reason = stringField(p, 'reason');
      return { ...b, phase: 'session_end', description: `Session ended${reason ? ` (${brief(reason, 60)})` : ''}` };
    }
    case 'Notification': {
      const message = stringField(p, 'message');
      return {
        ...b,
        phase: 'notification',
        description: message ? `Notification: "${brief(message, 200)}"` : 'Notification',
      };
    }
    case 'PreCompact': {
      const trigger = stringField(p, 'trigger');
      return {
        ...b,
        phase: 'compaction',
        description: `Context compacted${trigger ? ` (${brief(trigger, 40)})` : ''}`,
      };
    }
    default: {
      const message = stringField(p, 'message') ?? stringField(p, 'reason');
      return {
        ...b,
        phase: 'other',
        description: `${brief(record.eventName, 60)}${message ? `: ${brief(message, 200)}` : ''}`,
      };
    }
  }
}

function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return (Number.isNaN(ta) ? Infinity : ta) - (Number.isNaN(tb) ? Infinity : tb);
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

export interface BuildTimelineOptions {
  /** The session asked for; records of other sessions are ignored. Defaults to the first record's. */
  sessionId?: string;
  /** Statements from other sources (e.g. a transcript), merged with the hooks' own in time order. */
  statements?: AgentStatement[];
}

function retryKey(event: TimelineEvent): string | undefined {
  if (event.command) return `cmd\u0000${oneLine(event.command)}`;
  if (event.filePath && event.tool && EDITING_TOOLS.has(event.tool)) return `file\u0000${event.filePath}`;
  return undefined;
}

/** Mark each successful call that repeats an earlier failed one (same command, or an edit of the same file). */
function markRetries(events: TimelineEvent[]): void {
  const failed = new Map<string, string>();
  for (const event of events) {
    const key = retryKey(event);
    if (!key) continue;
    if (event.phase === 'tool_failure') failed.set(key, event.eventId);
    else if (event.phase === 'tool_call' && !event.unfinished) {
      const earlier = failed.get(key);
      if (earlier) {
        event.retryOf = earlier;
        failed.delete(key);
      }
    }
  }
}

function subagentsOf(events: TimelineEvent[]): SessionTimeline['subagents'] {
  const byId = new Map<string, { id: string; type?: string; toolCalls: number }>();
  for (const event of events) {
    const id = event.agent?.id;
    if (!id) continue;
    const entry = byId.get(id) ?? { id, toolCalls: 0 };
    if (event.agent?.type) entry.type = event.agent.type;
    if (event.phase === 'tool_call' || event.phase === 'tool_failure') entry.toolCalls++;
    byId.set(id, entry);
  }
  return [...byId.values()];
}

/**
 * Read a session's stored records (any backend's `read`) once, keeping only what a timeline needs, and
 * return its events sorted by time. Tool starts and results are joined into one event per call.
 */
export async function buildTimeline(
  records: AsyncIterable<StoredRecord>,
  options: BuildTimelineOptions = {},
): Promise<SessionTimeline> {
  const tracker = new ToolCallTracker();
  const events: TimelineEvent[] = [];
  const cwdCounts = new Map<string, number>();
  const redactions: Record<string, number> = {};
  let sessionId = options.sessionId;
  let transcriptPath: string | undefined;
  let recordCount = 0;
  let cwd = '';
  const statements: AgentStatement[] = [...(options.statements ?? [])];
  // A closing message the transcript already gave is quoted once, from the transcript (the Stop hook's
  // `last_assistant_message` stands in only when there is no transcript).
  const alreadySaid = new Set(statements.map((s) => s.text.trim()));

  for await (const record of records) {
    if (sessionId === undefined) sessionId = record.sessionId;
    else if (record.sessionId !== sessionId) continue;
    recordCount++;
    if (record.cwd) {
      const n = (cwdCounts.get(record.cwd) ?? 0) + 1;
      cwdCounts.set(record.cwd, n);
      if (n > (cwdCounts.get(cwd) ?? 0)) cwd = record.cwd;
    }
    transcriptPath ??= record.transcriptPath ?? undefined;
    if (record.redactions)
      for (const [kind, n] of Object.entries(record.redactions)) redactions[kind] = (redactions[kind] ?? 0) + n;
    const here = record.cwd || cwd;
    switch (record.eventName) {
      case 'PreToolUse':
        tracker.start(record, here);
        break;
      case 'PostToolUse':
        events.push(tracker.finish(record, here, false));
        break;
      case 'PostToolUseFailure':
        events.push(tracker.finish(record, here, true));
        break;
      default: {
        events.push(simpleEvent(record));
        const said =
          record.eventName === 'Stop' || record.eventName === 'SubagentStop' ? statementOf(record) : undefined;
        if (said && !alreadySaid.has(said.text.trim())) statements.push(said);
      }
    }
  }
  events.push(...tracker.unfinished());
  events.sort(compareEvents);
  markRetries(events);
  statements.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const compactions = events.filter((e) => e.phase === 'compaction').length;
  return {
    sessionId: sessionId ?? '',
    cwd,
    transcriptPath,
    events,
    recordCount,
    redactions,
    statements,
    subagents: subagentsOf(events),
    compactions,
  };
}

/** A one-line rendering of an event for logs and prompts: `14:20:03Z  tool_failure  Ran ... — failed ...`. */
export function formatTimelineLine(event: TimelineEvent): string {
  return `${event.at}  ${event.phase}  ${oneLine(event.description)}`;
}
