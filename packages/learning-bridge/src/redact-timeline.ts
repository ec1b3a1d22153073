import type { AgentStatement, SessionTimeline, TimelineEvent } from './timeline-types.js';

/** Removes secrets from one text (the hook's redactor, e.g. `createTextRedactor()` of `@runbook/hook-ingest`). */
export type TextRedactor = (text: string) => string;

function redactEvent(event: TimelineEvent, redact: TextRedactor): TimelineEvent {
  const out: TimelineEvent = { ...event, description: redact(event.description) };
  if (event.command !== undefined) out.command = redact(event.command);
  if (event.filePath !== undefined) out.filePath = redact(event.filePath);
  if (event.error !== undefined) out.error = redact(event.error);
  if (event.text !== undefined) out.text = redact(event.text);
  if (event.signals) out.signals = event.signals.map((s) => ({ ...s, text: redact(s.text) }));
  return out;
}

function redactStatement(statement: AgentStatement, redact: TextRedactor): AgentStatement {
  return { ...statement, text: redact(statement.text) };
}

/**
 * The timeline with every text a learning output can show passed through `redact`: sessions stored before
 * redaction existed (or with other settings) never leak a secret into a postmortem, a runbook or the terminal.
 */
export function redactTimeline(timeline: SessionTimeline, redact: TextRedactor): SessionTimeline {
  return {
    ...timeline,
    events: timeline.events.map((e) => redactEvent(e, redact)),
    statements: timeline.statements.map((s) => redactStatement(s, redact)),
  };
}
