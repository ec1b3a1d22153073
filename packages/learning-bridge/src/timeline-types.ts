import type { OutputSignal } from './signals.js';

/** What part of a session an event belongs to. */
export type TimelinePhase =
  | 'session_start'
  | 'prompt'
  | 'tool_call'
  | 'tool_failure'
  | 'notification'
  | 'compaction'
  | 'conclusion'
  | 'session_end'
  | 'other';

/** One thing that happened in a session, told in one line. */
export interface TimelineEvent {
  /** ISO-8601 time the event was observed (for a tool call: when its result arrived). */
  at: string;
  eventId: string;
  eventName: string;
  phase: TimelinePhase;
  /** One line saying what happened. Redaction markers are kept as they were stored. */
  description: string;
  tool?: string;
  toolUseId?: string;
  /** When the tool call started (its PreToolUse), if that was recorded. */
  startedAt?: string;
  /** The shell command, for Bash calls. */
  command?: string;
  /** The file read, edited or written, relative to the session's working directory when inside it. */
  filePath?: string;
  /** The call changed something (a deploy, restart, apply, edit...). */
  mutating?: boolean;
  /** The call produced no result (no PostToolUse was recorded). */
  unfinished?: boolean;
  exitCode?: number;
  /** Error text of a failed call. */
  error?: string;
  /** Notable lines of the call's output. */
  signals?: OutputSignal[];
  /** The full prompt text (trimmed, clipped) for prompts. */
  text?: string;
}

/** A session turned into a sorted list of events. */
export interface SessionTimeline {
  sessionId: string;
  /** The working directory most events ran in. */
  cwd: string;
  transcriptPath?: string;
  events: TimelineEvent[];
  /** Records read. */
  recordCount: number;
  /** Redaction counts by detector, summed over the session. */
  redactions: Record<string, number>;
}
