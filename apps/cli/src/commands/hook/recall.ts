import path from 'node:path';
import { configSection, type StoredRecord } from '@runbook/storage-core';
import { recallContext } from '@runbook/session-index';
import type { CliContext } from '../../shared/context.js';

/** Events recall may add context to; every other event prints nothing. */
export const RECALL_EVENTS: ReadonlySet<string> = new Set(['SessionStart', 'UserPromptSubmit']);

/** Time recall may take on the hook's path before it gives up and prints nothing. */
const RECALL_BUDGET_MS = 80;

/** Where recall reads from when `integrations.claude.recall.enabled` is true; undefined when it is off. */
export function recallIndexDir(context: CliContext): string | undefined {
  const section = configSection(context.config, 'integrations.claude.recall');
  const enabled =
    section !== null && typeof section === 'object' && (section as Record<string, unknown>).enabled === true;
  return enabled ? path.join(context.localBaseDir, 'index') : undefined;
}

/**
 * The JSON Claude Code reads from a `SessionStart` or `UserPromptSubmit` hook's stdout to add context
 * (`hookSpecificOutput.additionalContext`), or undefined: another event, nothing relevant, no index yet.
 */
export function recallOutput(record: StoredRecord, indexDir: string): string | undefined {
  if (!RECALL_EVENTS.has(record.eventName)) return undefined;
  const prompt = typeof record.payload.prompt === 'string' ? record.payload.prompt : undefined;
  const context = recallContext({
    indexDir,
    eventName: record.eventName,
    budgetMs: RECALL_BUDGET_MS,
    ...(prompt !== undefined ? { prompt } : {}),
  });
  if (context === undefined) return undefined;
  return `${JSON.stringify({ hookSpecificOutput: { hookEventName: record.eventName, additionalContext: context } })}\n`;
}
