import { RunbookError } from '@runbook/storage-core';
import { similarSessions, type SharedEvidence } from '@runbook/session-index';
import { loadContext } from '../../shared/context.js';
import { createStyle } from '../../output/style.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { formatTimestamp } from '../../output/time.js';
import { describeUpdate, openIndex } from '../../shared/session-index.js';
import { loadProfiles } from '../../shared/session-profiles.js';
import type { SimilarCommandOptions } from './command.js';

const LABEL: Record<SharedEvidence['kind'], string> = {
  fingerprint: 'error',
  command: 'failing command',
  service: 'service',
  file: 'file',
};

export async function runSimilar(sessionId: string, opts: SimilarCommandOptions): Promise<number> {
  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const opened = await openIndex(context, { scan: opts.index === false });
  try {
    if (opened.fallback) warn(opened.fallback);
    const note = describeUpdate(opened.update);
    if (note && !opts.json) warn(note);
    const profiles = await loadProfiles(context, opened);
    const target = profiles.find((p) => p.sessionId === sessionId);
    if (!target)
      throw new RunbookError(
        'SESSION_NOT_FOUND',
        `session ${sessionId} not found in the configured storage (backend: ${context.config.sessionStorage.backend})`,
      );
    const similar = similarSessions(target, profiles, opts.limit);
    if (opts.json) {
      await writeJson({
        sessionId,
        fingerprints: target.failures.map((f) => ({ id: f.id, fingerprint: f.fingerprint, count: f.count })),
        similar,
      });
      return 0;
    }
    if (similar.length === 0) {
      const what =
        target.failures.length === 0
          ? 'it has no failures, and no other session shares its commands or services'
          : 'no other session shares its failures, commands or services';
      await writeChunk(`No similar session: ${what}.\n`);
      return 0;
    }
    const style = createStyle(process.stdout);
    const lines: string[] = [`Sessions similar to ${sessionId}:`];
    similar.forEach((s, i) => {
      lines.push(
        `${style.bold(`${i + 1}. ${s.sessionId}`)}  score ${s.score}  ${formatTimestamp(s.firstSeen)} → ${formatTimestamp(s.lastSeen)}`,
      );
      if (s.prompt) lines.push(`   prompt: ${s.prompt}`);
      for (const e of s.shared.slice(0, 6))
        lines.push(`   shared ${LABEL[e.kind]}: ${e.value} ${style.dim(`(+${e.weight})`)}`);
      if (s.shared.length > 6) lines.push(style.dim(`   … ${s.shared.length - 6} more shared (see --json)`));
      for (const fix of s.fixes) lines.push(`   ${style.green('fix then:')} ${fix}`);
    });
    await writeChunk(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
