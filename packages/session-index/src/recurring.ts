import type { SessionProfile } from './profile.js';
import { tokenize } from './tokenize.js';

/** A runbook as recurrence checks see it. */
export interface RunbookText {
  /** Path relative to the project, e.g. `.runbook/runbooks/payments.md`. */
  path: string;
  text: string;
}

export interface RecurringProblem {
  id: string;
  fingerprint: string;
  /** One real occurrence. */
  example: string;
  /** Occurrences across all sessions. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  sessions: string[];
  /** Fixes that worked, each with the sessions where it did. */
  fixes: Array<{ fix: string; sessions: string[] }>;
  /** Runbooks whose text covers this problem. */
  runbooks: string[];
}

export interface RecurringOptions {
  /** Only problems last seen at or after this time (ms since the epoch). */
  since?: number;
  /** Fewest distinct sessions; default 2. */
  minSessions?: number;
  runbooks?: readonly RunbookText[];
}

/** Words of a fingerprint worth finding in a runbook: no masks, no short or common words. */
function tellingWords(fingerprint: string): string[] {
  const masked = fingerprint.replace(/<[a-z]+>/g, ' ');
  return [...new Set(tokenize(masked).filter((w) => w.length >= 4 && !/^\d+$/.test(w)))];
}

/** A runbook covers a problem when it holds at least two thirds of the fingerprint's telling words. */
function coveringRunbooks(
  fingerprint: string,
  runbooks: ReadonlyArray<{ path: string; words: Set<string> }>,
): string[] {
  const words = tellingWords(fingerprint);
  if (words.length === 0) return [];
  return runbooks.filter((r) => words.filter((w) => r.words.has(w)).length * 3 >= words.length * 2).map((r) => r.path);
}

/** Failures seen in at least `minSessions` sessions, most widespread first. */
export function recurringProblems(
  profiles: readonly SessionProfile[],
  options: RecurringOptions = {},
): RecurringProblem[] {
  const minSessions = options.minSessions ?? 2;
  const runbooks = (options.runbooks ?? []).map((r) => ({ path: r.path, words: new Set(tokenize(r.text)) }));
  const groups = new Map<string, RecurringProblem & { fixMap: Map<string, Set<string>> }>();
  for (const profile of profiles) {
    for (const failure of profile.failures) {
      let group = groups.get(failure.id);
      if (!group) {
        group = {
          id: failure.id,
          fingerprint: failure.fingerprint,
          example: failure.example,
          count: 0,
          firstSeen: failure.firstAt,
          lastSeen: failure.lastAt,
          sessions: [],
          fixes: [],
          runbooks: [],
          fixMap: new Map(),
        };
        groups.set(failure.id, group);
      }
      group.count += failure.count;
      if (failure.firstAt < group.firstSeen) group.firstSeen = failure.firstAt;
      if (failure.lastAt > group.lastSeen) group.lastSeen = failure.lastAt;
      if (!group.sessions.includes(profile.sessionId)) group.sessions.push(profile.sessionId);
      if (failure.fix) {
        const sessions = group.fixMap.get(failure.fix) ?? new Set<string>();
        sessions.add(profile.sessionId);
        group.fixMap.set(failure.fix, sessions);
      }
    }
  }
  const out: RecurringProblem[] = [];
  for (const { fixMap, ...group } of groups.values()) {
    if (group.sessions.length < minSessions) continue;
    if (options.since !== undefined && Date.parse(group.lastSeen) < options.since) continue;
    group.fixes = [...fixMap]
      .map(([fix, sessions]) => ({ fix, sessions: [...sessions] }))
      .sort((a, b) => b.sessions.length - a.sessions.length);
    group.runbooks = coveringRunbooks(group.fingerprint, runbooks);
    out.push(group);
  }
  out.sort(
    (a, b) => b.sessions.length - a.sessions.length || b.count - a.count || b.lastSeen.localeCompare(a.lastSeen),
  );
  return out;
}
