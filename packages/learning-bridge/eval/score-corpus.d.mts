import type { StoredRecord } from '@runbook/storage-core';

export interface ScoreRow {
  session: string;
  label: string;
  ok: boolean;
  detail: string;
}

export interface ScoreDeps {
  learnFromSession: (options: never) => Promise<unknown>;
  createLocalBackend: (options: { baseDir: string }) => unknown;
  createRecord: (input: never) => StoredRecord;
  redact: (text: string) => string;
  fromMarkdown: (text: string) => unknown;
}

export const CORPUS_DIR: string;
export function scoreCorpus(deps: ScoreDeps): Promise<ScoreRow[]>;
export function formatScore(rows: ScoreRow[]): string;
