import { markSnippet, scanSearch, type SearchHit, type SearchOptions } from '@runbook/session-index';
import { loadContext } from '../../shared/context.js';
import { createStyle } from '../../output/style.js';
import { control } from '../../output/terminal.js';
import { warn, writeChunk, writeJson } from '../../output/stdout.js';
import { formatTimestamp } from '../../output/time.js';
import { describeUpdate, openIndex } from '../../shared/session-index.js';
import type { SearchCommandOptions } from './command.js';

function where(hit: SearchHit): string {
  if (hit.kind === 'event') return `session ${hit.sessionId}  ${hit.eventName}${hit.tool ? ` ${hit.tool}` : ''}`;
  if (hit.kind === 'transcript') return `session ${hit.sessionId}  ${hit.eventName}`;
  return `${hit.eventName} ${hit.ref}${hit.sessionId ? ` (session ${hit.sessionId})` : ''}`;
}

export async function runSearch(query: string, opts: SearchCommandOptions): Promise<number> {
  const context = await loadContext(opts.projectDir ? { projectDir: opts.projectDir } : {});
  const options: SearchOptions = {
    limit: opts.limit,
    perSession: opts.perSession,
    ...(opts.since ? { since: opts.since.getTime() } : {}),
    ...(opts.until ? { until: opts.until.getTime() } : {}),
    ...(opts.session ? { sessionId: opts.session } : {}),
    ...(opts.event ? { eventName: opts.event } : {}),
    ...(opts.tool ? { tool: opts.tool } : {}),
  };
  const opened = await openIndex(context, { scan: opts.index === false });
  try {
    if (opened.fallback) warn(opened.fallback);
    const note = describeUpdate(opened.update);
    if (note && !opts.json) warn(note);
    const result = opened.index
      ? opened.index.search(query, options)
      : await scanSearch({ backend: opened.store, projectDir: context.projectDir }, query, options);
    if (opts.json) {
      await writeJson({ query, engine: opened.index ? 'index' : 'scan', more: result.more, hits: result.hits });
      return 0;
    }
    if (result.hits.length === 0) {
      await writeChunk(`No match for ${JSON.stringify(query)}.\n`);
      return 0;
    }
    const style = createStyle(process.stdout);
    const lines: string[] = [];
    result.hits.forEach((hit, i) => {
      lines.push(
        `${style.bold(`${i + 1}.`)} ${formatTimestamp(hit.time)}  ${where(hit)}  ${style.dim(`score ${hit.score}`)}`,
      );
      lines.push(
        `   ${style.enabled ? markSnippet(hit.snippet, control('\u001b[1;33m'), control('\u001b[22;39m')) : markSnippet(hit.snippet, '«', '»')}`,
      );
    });
    if (result.more) lines.push(style.dim(`More matches; narrow the query or raise --limit (now ${opts.limit}).`));
    await writeChunk(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
