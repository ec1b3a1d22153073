import type { SessionKind } from './classify.js';
import type { ServiceEvidenceKind } from './services.js';
import type { AgentStatement } from './timeline-types.js';

/** A literal for a finding the session gives no evidence for. */
export const UNKNOWN = 'unknown' as const;
export type Unknown = typeof UNKNOWN;

export interface ServiceFinding {
  name: string;
  /** How it was found, strongest first. */
  evidence: ServiceEvidenceKind[];
  /** How many events mention it. */
  mentions: number;
  /** Local runbooks (file names) that list it in their frontmatter. */
  runbooks: string[];
}

export interface ErrorFinding {
  at: string;
  eventId: string;
  text: string;
  /** 3 = fatal/panic, 2 = error/crash state, 1 = warning-level. */
  weight: 1 | 2 | 3;
  /** The command or action whose output showed it. */
  source: string;
}

export interface FailedAction {
  at: string;
  eventId: string;
  tool: string;
  /** The shell command, when it was one. */
  command?: string;
  /** What was attempted, in words. */
  action: string;
  error: string;
  exitCode?: number;
}

export interface ChangeStep {
  at: string;
  eventId: string;
  kind: 'command' | 'edit';
  /** What was changed, in words. */
  action: string;
  command?: string;
  filePath?: string;
}

export interface Resolution {
  /** The last successful change before the session concluded. */
  change: ChangeStep;
  /** The successful changes since the last failed action, ending with `change`. */
  steps: ChangeStep[];
  /** Successful read-only checks run after the change, before the session concluded. */
  verifiedBy: ChangeStep[];
}

/** A check run in the session (tests, type checks, lint, builds) and whether it passed. */
export interface CheckRun {
  at: string;
  eventId: string;
  command: string;
  passed: boolean;
}

export interface Confidence {
  level: 'high' | 'medium' | 'low';
  /** 0..1, from how much evidence there was. */
  score: number;
  /** What the score is based on, and what was missing. */
  reasons: string[];
}

/** What a session shows about an investigation. Built from the timeline only; nothing is guessed. */
export interface Investigation {
  id: string;
  sessionId: string;
  incidentId: string;
  question: string | Unknown;
  questionSource: 'query' | 'first-prompt' | Unknown;
  startedAt: string | Unknown;
  endedAt: string | Unknown;
  durationMs: number | null;
  duration: string | Unknown;
  cwd: string;
  transcriptPath?: string;
  services: ServiceFinding[];
  /** Symptom names (`5xx errors`, `CrashLoopBackOff`...) seen in prompts and output. */
  symptoms: string[];
  /** Sentences of the prompts that report symptoms. */
  symptomReports: string[];
  errors: ErrorFinding[];
  failedActions: FailedAction[];
  rootCauseEvidence: ErrorFinding | Unknown;
  resolution: Resolution | Unknown;
  /** The session ended with a Stop or SessionEnd. */
  concluded: boolean;
  /** Local runbooks (file names) about the services involved. */
  matchedRunbooks: string[];
  stats: {
    events: number;
    prompts: number;
    toolCalls: number;
    commands: number;
    failures: number;
    changes: number;
    filesRead: string[];
    filesChanged: string[];
  };
  redactions: Record<string, number>;
  confidence: Confidence;
  /** What kind of session this was, and why (see `classifySession`). */
  kind: SessionKind;
  kindReasons: string[];
  /** Successful shell commands that changed something (deploys, config commands, git commits...), in order. */
  changeCommands: string[];
  /** Calls the user stopped (what they were), in order: not failures, not evidence. */
  interrupted: string[];
  /** Checks run (tests, type checks, lint, builds), in order. */
  checks: CheckRun[];
  /** What the agents said about the session: quoted, attributed, never taken as fact on its own. */
  statements: AgentStatement[];
  subagents: Array<{ id: string; type?: string; toolCalls: number }>;
  compactions: number;
}
