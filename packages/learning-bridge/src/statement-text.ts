import { fitText } from './fit-text.js';
import { oneLine, formatTime } from './text.js';
import type { AgentStatement } from './timeline-types.js';

/** Text made inert for inline markdown: no code spans, HTML or links can start from it. */
export function inertMarkdown(text: string): string {
  return text.replace(/[\\`<>[\]]/g, (ch) => `\\${ch}`);
}

/**
 * A statement as quoted evidence: who said it, when, and that it is their own account, e.g.
 * `The agent said at 14:31:07Z (its own account, not verified): "Fixed: …"`.
 */
export function quoteStatement(statement: AgentStatement, max = 600): string {
  const who = statement.speaker.charAt(0).toUpperCase() + statement.speaker.slice(1);
  const head = `${who} said at ${formatTime(statement.at)} (its own account, not verified): "`;
  const body = inertMarkdown(fitText(oneLine(statement.text), Math.max(40, max - head.length - 1)));
  return `${head}${body}"`;
}
