export interface RedactionScore {
  secrets: number;
  removed: number;
  recall: number;
  stays: number;
  falsePositives: number;
  falsePositiveRate: number;
  byKind: Record<string, { secrets: number; removed: number; kept: number; damaged: number }>;
  missed: string[];
  damaged: string[];
}
export function scoreRedaction(
  redactText: (text: string) => string,
  redactValue: (value: unknown) => unknown,
): RedactionScore;
