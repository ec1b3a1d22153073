import { neutralise } from './terminal.js';

/** Collapse whitespace (newlines included) to single spaces, neutralise control characters, and cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = neutralise(text.replace(/\s+/g, ' ').trim(), { oneLine: true });
  if (max <= 0) return '';
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

export interface Column {
  header: string;
  /** Right-align (numbers). */
  right?: boolean;
}

/**
 * Rows as aligned columns separated by two spaces. The last column is cut to fit `width` when given
 * (a terminal's width); earlier columns are never cut.
 */
export function renderTable(columns: Column[], rows: string[][], width?: number): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = [columns.map((c) => c.header), ...rows].map((cells) => {
    const parts = columns.map((column, i) => {
      const cell = cells[i] ?? '';
      if (i === columns.length - 1) return cell;
      return column.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
    });
    let line = parts.join('  ').trimEnd();
    if (width !== undefined && line.length > width) line = `${line.slice(0, Math.max(0, width - 1))}…`;
    return line;
  });
  return `${lines.join('\n')}\n`;
}
