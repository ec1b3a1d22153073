import { createRedactor, createTextRedactor, parseRedactionConfig, REDACTION_KEY } from '@runbook/hook-ingest';
import { configSection, type HookPayload } from '@runbook/storage-core';
import type { CliContext } from './context.js';

/** The hook's redaction, for what commands print and write: the same detectors and project settings. */
export interface OutputRedaction {
  /** Remove secrets from one text. */
  text: (text: string) => string;
  /** Remove secrets from a stored payload. */
  payload: (payload: HookPayload) => HookPayload;
}

const NONE: OutputRedaction = { text: (t) => t, payload: (p) => p };

/**
 * Redaction as the project's hook applies it (`integrations.claude.redaction`), so sessions stored before
 * redaction existed, or under weaker settings, come out clean. Switched off only where the project switched
 * redaction off (or the owner asked for `--raw`).
 */
export function outputRedaction(context: CliContext, raw = false): OutputRedaction {
  if (raw) return NONE;
  const { enabled, ...options } = parseRedactionConfig(
    configSection(context.config, REDACTION_KEY),
    context.config.file,
  );
  if (!enabled) return NONE;
  const text = createTextRedactor(options);
  const payload = createRedactor(options);
  return { text: (t) => text(t), payload: (p) => payload(p).payload };
}
