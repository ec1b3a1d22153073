import type { ParsedLine } from './schema.js';

let parser: Promise<(line: string) => ParsedLine> | undefined;

/**
 * The record line parser, loaded on first use: it needs the schema library, which writers (the hook)
 * never load.
 */
export function loadRecordParser(): Promise<(line: string) => ParsedLine> {
  parser ??= import('./schema.js').then((m) => m.parseRecordLine);
  return parser;
}
