import type { SessionProfile } from './profile.js';

export type EvidenceKind = 'fingerprint' | 'command' | 'file' | 'service';

export interface SharedEvidence {
  kind: EvidenceKind;
  /** The shared thing: a normalised error, a command, a file name, a service. */
  value: string;
  /** How much it added to the score (rarer across sessions weighs more). */
  weight: number;
}

export interface SimilarSession {
  sessionId: string;
  firstSeen: string;
  lastSeen: string;
  prompt?: string;
  score: number;
  shared: SharedEvidence[];
  /** Fixes that worked in that session for the shared failures. */
  fixes: string[];
}

const KIND_WEIGHT: Record<EvidenceKind, number> = { fingerprint: 3, command: 1.5, service: 1, file: 0.75 };

function features(profile: SessionProfile): Array<[EvidenceKind, string]> {
  const out: Array<[EvidenceKind, string]> = [];
  for (const f of new Set(profile.failures.map((f) => f.fingerprint))) out.push(['fingerprint', f]);
  for (const c of profile.commands) out.push(['command', c]);
  for (const f of profile.files) out.push(['file', f]);
  for (const s of profile.services) out.push(['service', s]);
  return out;
}

const keyOf = (kind: EvidenceKind, value: string) => `${kind}\u0000${value}`;

/**
 * Sessions sharing error fingerprints, failing commands, files and services with `target`, best first.
 * Each shared thing weighs by its kind and by how rare it is across all sessions (IDF), so a common file
 * like `package.json` says less than a rare error.
 */
export function similarSessions(target: SessionProfile, all: readonly SessionProfile[], limit = 10): SimilarSession[] {
  const df = new Map<string, number>();
  for (const profile of all)
    for (const [kind, value] of features(profile)) df.set(keyOf(kind, value), (df.get(keyOf(kind, value)) ?? 0) + 1);
  const n = Math.max(all.length, 1);
  const mine = new Map(features(target).map(([kind, value]) => [keyOf(kind, value), [kind, value] as const]));
  const out: SimilarSession[] = [];
  for (const other of all) {
    if (other.sessionId === target.sessionId) continue;
    const shared: SharedEvidence[] = [];
    for (const [kind, value] of features(other)) {
      if (!mine.has(keyOf(kind, value))) continue;
      const idf = Math.log(1 + n / (df.get(keyOf(kind, value)) ?? 1));
      shared.push({ kind, value, weight: Math.round(KIND_WEIGHT[kind] * idf * 100) / 100 });
    }
    if (shared.length === 0 || !shared.some((s) => s.kind !== 'file')) continue;
    shared.sort((a, b) => b.weight - a.weight);
    const score = Math.round(shared.reduce((sum, s) => sum + s.weight, 0) * 100) / 100;
    const sharedPrints = new Set(shared.filter((s) => s.kind === 'fingerprint').map((s) => s.value));
    const fixes = [
      ...new Set(other.failures.filter((f) => sharedPrints.has(f.fingerprint) && f.fix).map((f) => f.fix!)),
    ];
    out.push({
      sessionId: other.sessionId,
      firstSeen: other.firstSeen,
      lastSeen: other.lastSeen,
      ...(other.prompt ? { prompt: other.prompt } : {}),
      score,
      shared,
      fixes,
    });
  }
  out.sort((a, b) => b.score - a.score || b.lastSeen.localeCompare(a.lastSeen));
  return out.slice(0, limit);
}
