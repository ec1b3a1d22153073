import path from 'node:path';
import { fitText } from './fit-text.js';

const MARKER = /\[REDACTED:[^\]\s]{0,64}\]/g;

/** Collapse whitespace (newlines included) to single spaces and trim. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Shorten text to at most `max` characters, ending in `…`, without ever cutting a redaction marker
 * (`[REDACTED:kind]`) in half: a marker that would be cut is dropped whole.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start >= cut) break;
    if (end > cut) {
      cut = start;
      break;
    }
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** One line, clipped. */
export function brief(text: string, max: number): string {
  return clip(oneLine(text), max);
}

/** A path shown relative to the session's working directory when it lies inside it. */
export function displayPath(filePath: string, cwd: string): string {
  if (!cwd || !path.isAbsolute(filePath)) return filePath;
  const rel = path.relative(cwd, filePath);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : filePath;
}

/** Lower-case, dash-separated, file-name-safe; never empty. */
export function slugify(text: string, max = 60): string {
  const slug = text
    .toLowerCase()
    .replace(/\[redacted:[^\]]*\]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'untitled';
}

/** A value safe to use as one file-name component (keeps case, dots, dashes, underscores). */
export function fileSafe(text: string, max = 80): string {
  const safe = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, max);
  return safe || 'unknown';
}

/** `2026-11-25T14:20:03.120Z` → `14:20:03Z`; full date kept when `withDate`. */
export function formatTime(iso: string, withDate = false): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  if (!match) return iso;
  return withDate ? `${match[1]} ${match[2]}Z` : `${match[2]}Z`;
}

/** A human duration: `42s`, `7m 5s`, `2h 3m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes < 60) return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours}h ${rest}m` : `${hours}h`;
}

/** Inline code for markdown that survives backticks inside the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** One line of markdown, shortened at a sentence, separator or word boundary without breaking inline code. */
export function fitLine(text: string, max: number): string {
  return fitText(oneLine(text), max);
}
