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
  /** The subagent that made the call (`agent_id`/`agent_type` of the hook input), when it was not the main agent. */
  agent?: { id?: string; type?: string };
  /** The call repeats an earlier failed call (same command, or same tool on the same file): its result shows whether that now works. */
  retryOf?: string;
  /** The user stopped the call (`is_interrupt`): not a failure of what it ran, and not evidence. */
  interrupted?: boolean;
  /** The command's output is search hits or lint findings: its matches are not error evidence. */
  searchOutput?: boolean;
}

/**
 * Something an agent (or a person) said about the session, kept as a quote with who said it and when: never a
 * fact on its own. The Stop and SubagentStop hooks give `last_assistant_message`; other sources (a transcript
 * reader: assistant messages, user corrections, subagent findings) add theirs through `statements` of
 * `buildTimeline`/`learnFromSession`.
 */
export interface AgentStatement {
  /** Where it was read: `stop-hook`, `subagent-stop-hook`, `transcript`, ... */
  source: string;
  /** Who said it, in words: `the agent`, `subagent Explore`, `the user`. */
  speaker: string;
  text: string;
  /** ISO-8601 time it was said (or recorded). */
  at: string;
  /** The stored event it came from, when there is one. */
  eventId?: string;
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
  /** What the agents said, in time order (quoted evidence, see {@link AgentStatement}). */
  statements: AgentStatement[];
  /** Subagents that ran, by id: their type and how many tool calls they made. */
  subagents: Array<{ id: string; type?: string; toolCalls: number }>;
  /** Times the context was compacted. */
  compactions: number;
}
