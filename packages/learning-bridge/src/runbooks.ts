import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Where a project keeps its runbooks, relative to the project directory. */
export const RUNBOOKS_RELATIVE_DIR = path.join('.runbook', 'runbooks');

/** A local runbook: a markdown file with optional YAML frontmatter (`title`, `services`). */
export interface RunbookDoc {
  /** Absolute path. */
  file: string;
  /** File name, e.g. `payments-api.md`. */
  name: string;
  title: string;
  services: string[];
  /** Frontmatter as parsed (empty when none or unparsable). */
  frontmatter: Record<string, unknown>;
  /** Markdown after the frontmatter. */
  body: string;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Split a markdown document into its YAML frontmatter and body. Bad YAML counts as no frontmatter. */
export function splitFrontmatter(text: string): { frontmatter: Record<string, unknown>; body: string; raw?: string } {
  const match = FRONTMATTER.exec(text);
  if (!match) return { frontmatter: {}, body: text };
  try {
    const value: unknown = parseYaml(match[1]!);
    const frontmatter =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    return { frontmatter, body: text.slice(match[0].length), raw: match[0] };
  } catch {
    return { frontmatter: {}, body: text.slice(match[0].length), raw: match[0] };
  }
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return [];
}

/** Parse one runbook file's text. */
export function parseRunbook(file: string, text: string): RunbookDoc {
  const { frontmatter, body } = splitFrontmatter(text);
  const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
  const title =
    (typeof frontmatter.title === 'string' && frontmatter.title.trim()) || heading || path.basename(file, '.md');
  return {
    file,
    name: path.basename(file),
    title,
    services: stringList(frontmatter.services ?? frontmatter.service),
    frontmatter,
    body,
  };
}

/** Every `*.md` runbook in `<projectDir>/.runbook/runbooks/`, sorted by file name; none when the folder is missing. */
export async function loadRunbooks(
  projectDir: string,
  dir = path.join(projectDir, RUNBOOKS_RELATIVE_DIR),
): Promise<RunbookDoc[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return [];
    throw error;
  }
  const docs: RunbookDoc[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    docs.push(parseRunbook(file, await readFile(file, 'utf8')));
  }
  return docs;
}
