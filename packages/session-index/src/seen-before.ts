import type { SessionProfile } from './profile.js';
import { fileDocument, listProjectFiles } from './project-files.js';
import { similarSessions } from './similar.js';

/** An earlier session with the same failures as another, for a learning document's "Seen before". */
export interface EarlierOccurrence {
  sessionId: string;
  lastSeen: string;
  score: number;
  /** What they share, most telling first: errors, then failing commands, services, files. */
  shared: string[];
  fixes: string[];
  /** Postmortems and summaries written for that session (paths relative to the project). */
  artifacts: string[];
}

/**
 * Sessions that started before `sessionId` and share at least one error fingerprint with it, most alike
 * first, each with the fixes that worked then and the learning documents written for it.
 */
export function earlierOccurrences(
  profiles: readonly SessionProfile[],
  sessionId: string,
  projectDir: string,
  limit = 3,
): EarlierOccurrence[] {
  const target = profiles.find((p) => p.sessionId === sessionId);
  if (!target) return [];
  const earlier = similarSessions(target, profiles, profiles.length)
    .filter((s) => s.firstSeen < target.firstSeen && s.shared.some((e) => e.kind === 'fingerprint'))
    .slice(0, limit);
  if (earlier.length === 0) return [];
  const wanted = new Set(earlier.map((s) => s.sessionId));
  const artifacts = new Map<string, string[]>();
  for (const file of listProjectFiles(projectDir)) {
    if (file.kind !== 'learning' || file.path.includes('/runbook-updates/') || file.path.includes('/knowledge/'))
      continue;
    const doc = fileDocument(file);
    if (!doc || !wanted.has(doc.sessionId)) continue;
    artifacts.set(doc.sessionId, [...(artifacts.get(doc.sessionId) ?? []), doc.ref]);
  }
  return earlier.map((s) => ({
    sessionId: s.sessionId,
    lastSeen: s.lastSeen,
    score: s.score,
    shared: s.shared.map((e) => `${e.kind === 'fingerprint' ? 'error' : e.kind}: ${e.value}`),
    fixes: s.fixes,
    artifacts: artifacts.get(s.sessionId) ?? [],
  }));
}
