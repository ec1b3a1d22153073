import type { TranscriptChunk } from '@runbook/storage-core';
import type { AgentStatement } from './timeline-types.js';

export interface TranscriptStatementsOptions {
  /** Keep at most this many statements, the latest (default 400). */
  max?: number;
  /** Characters kept of one statement (default 2,000). */
  keep?: number;
}

/** A user's turn that corrects the agent: starts by refusing or redirecting, or asks for something instead. */
const CORRECTION =
  /^(?:no\b|nope\b|don'?t\b|do not\b|stop\b|wait\b|actually\b|wrong\b|that'?s (?:not|wrong)\b|not (?:that|this)\b|please don'?t\b)|\binstead\b/i;

type Entry = {
  type?: unknown;
  isSidechain?: unknown;
  isMeta?: unknown;
  isCompactSummary?: unknown;
  timestamp?: unknown;
  agentId?: unknown;
  message?: { role?: unknown; content?: unknown };
};

/** The text blocks of a message; thinking, tool use, tool results and images are left out. */
function textBlocks(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  const out: string[] = [];
  for (const block of content) {
    if (block && typeof block === 'object' && (block as { type?: unknown }).type === 'text') {
      const text = (block as { text?: unknown }).text;
      if (typeof text === 'string') out.push(text);
    }
  }
  return out;
}

function clip(text: string, keep: number): string {
  return text.length <= keep ? text : `${text.slice(0, keep - 1)}…`;
}

/**
 * Attributed statements from an archived Claude Code transcript (chunks as `readArchivedTranscript` yields
 * them): the agent's own messages, the user's corrections, and each subagent's messages, quoted with who said
 * them and when. Thinking blocks are never read; tool traffic, images, compaction summaries and harness notes
 * are left out. Lines that are not JSON are skipped.
 */
export async function statementsFromTranscript(
  chunks: AsyncIterable<Pick<TranscriptChunk, 'file' | 'text'>>,
  options: TranscriptStatementsOptions = {},
): Promise<AgentStatement[]> {
  const max = options.max ?? 400;
  const keep = options.keep ?? 2000;
  const out: AgentStatement[] = [];
  for await (const chunk of chunks) {
    const subagent = chunk.file.startsWith('agent-') ? chunk.file.slice('agent-'.length) : undefined;
    for (const line of chunk.text.split('\n')) {
      if (line.length === 0) continue;
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        continue;
      }
      if (!entry || typeof entry !== 'object' || entry.isMeta === true || entry.isCompactSummary === true) continue;
      const at =
        typeof entry.timestamp === 'string' && Number.isFinite(Date.parse(entry.timestamp))
          ? entry.timestamp
          : undefined;
      if (!at) continue;
      const text = textBlocks(entry.message?.content).join('\n').trim();
      if (text.length < 12) continue;
      if (entry.type === 'assistant') {
        const speaker =
          subagent !== undefined ? `subagent ${subagent}` : entry.isSidechain === true ? 'a subagent' : 'the agent';
        out.push({
          source: subagent !== undefined ? 'subagent-transcript' : 'transcript',
          speaker,
          text: clip(text, keep),
          at,
        });
      } else if (
        entry.type === 'user' &&
        subagent === undefined &&
        typeof entry.message?.content === 'string' &&
        CORRECTION.test(text)
      ) {
        out.push({ source: 'transcript-correction', speaker: 'the user', text: clip(text, keep), at });
      }
      if (out.length > max * 2) out.splice(0, out.length - max);
    }
  }
  return out.length > max ? out.slice(out.length - max) : out;
}
