import { listRunbooks, recurringProblems } from '@runbook/session-index';
import { loadContext } from '../../shared/context.js';
import { createStyle } from '../../output/style.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { formatTimestamp } from '../../output/time.js';
import { describeUpdate, openIndex } from '../../shared/session-index.js';
import { loadProfiles } from '../../shared/session-profiles.js';
import type { RecurringCommandOptions } from './command.js';

export async function runRecurring(opts: RecurringCommandOptions): Promise<number> {
  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const opened = await openIndex(context, { scan: opts.index === false });
  try {
    if (opened.fallback) warn(opened.fallback);
    const note = describeUpdate(opened.update);
    if (note && !opts.json) warn(note);
    const profiles = await loadProfiles(context, opened);
    const runbooks = listRunbooks(context.projectDir);
    const problems = recurringProblems(profiles, {
      minSessions: opts.minSessions,
      runbooks,
      ...(opts.since ? { since: opts.since.getTime() } : {}),
    });
    if (opts.json) {
      await writeJson({ minSessions: opts.minSessions, problems });
      return 0;
    }
    if (problems.length === 0) {
      await writeChunk(`No problem seen in ${opts.minSessions} or more sessions${opts.since ? ' since then' : ''}.\n`);
      return 0;
    }
    const style = createStyle(process.stdout);
    const lines: string[] = [];
    for (const p of problems) {
      lines.push(
        `${style.bold(p.id)}  seen ${p.count} time(s) in ${p.sessions.length} sessions, ${formatTimestamp(p.firstSeen)} → ${formatTimestamp(p.lastSeen)}`,
      );
      lines.push(`  ${p.fingerprint}`);
      const shown = p.sessions.slice(0, 8).join(', ');
      lines.push(
        `  sessions: ${shown}${p.sessions.length > 8 ? ` and ${p.sessions.length - 8} more (see --json)` : ''}`,
      );
      if (p.fixes.length === 0) lines.push(`  fixes that worked: ${style.yellow('none recorded')}`);
      for (const f of p.fixes)
        lines.push(`  ${style.green('fix that worked:')} ${f.fix} ${style.dim(`(${f.sessions.length} session(s))`)}`);
      lines.push(
        p.runbooks.length > 0 ? `  runbook: ${p.runbooks.join(', ')}` : `  runbook: ${style.yellow('none covers it')}`,
      );
      lines.push('');
    }
    await writeChunk(lines.join('\n'));
    return 0;
  } finally {
    await opened.close();
  }
}
