import { describeError } from '@runbook/storage-core';
import { createRedactor, type PayloadRedactor } from './redaction/payload.js';
import { redactText } from './redaction/text.js';

/** What redacting one transcript line gave: the line to store and how many values were removed. */
export interface RedactedLine {
  line: string;
  redactions: number;
}

/** Redacts one line of a Claude Code transcript (JSONL, no newline) before it is stored. */
export type TranscriptLineRedactor = (line: string) => RedactedLine;

const count = (redactions: Record<string, number>) => Object.values(redactions).reduce((a, b) => a + b, 0);

/**
 * A transcript line redactor built on the hook's payload redactor (`ingestSettingsFromConfig(...).redact`;
 * the built-in detectors when undefined; `false` stores lines as they are, as configured). A JSON line is
 * redacted value by value like a hook payload; a line with nothing to redact is kept byte for byte, one
 * with secrets is written back as compact JSON. A line that is not JSON is redacted as text. A line the
 * redactor fails on is replaced by a note, never stored unredacted.
 */
export function createTranscriptLineRedactor(redact?: PayloadRedactor | false): TranscriptLineRedactor {
  if (redact === false) return (line) => ({ line, redactions: 0 });
  const redactor = redact ?? createRedactor();
  return (line) => {
    if (line.length === 0) return { line, redactions: 0 };
    try {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const result = redactor(value as Record<string, unknown>);
        const n = count(result.redactions);
        return n === 0 ? { line, redactions: 0 } : { line: JSON.stringify(result.payload), redactions: n };
      }
      const wrapped = redactor({ line });
      const n = count(wrapped.redactions);
      return n === 0 ? { line, redactions: 0 } : { line: String(wrapped.payload.line), redactions: n };
    } catch (error) {
      const reason = redactText(describeError(error)).text.slice(0, 200);
      return {
        line: JSON.stringify({
          type: 'runbook-redaction-failed',
          detail: `line dropped: redaction failed (${reason})`,
        }),
        redactions: 1,
      };
    }
  };
}
