export function markdownProblems(text: string, fromMarkdown: (text: string) => unknown): string[];
