/** Character classes as lookup tables, and the end of a run of them: the linear building blocks of detectors. */

/** A table of the ASCII characters in `chars` (ranges written `a-z`). */
export function charClass(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      for (let c = chars.charCodeAt(i); c <= chars.charCodeAt(i + 2); c++) table[c] = 1;
      i += 2;
    } else {
      table[chars.charCodeAt(i)] = 1;
    }
  }
  return table;
}

export function inClass(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/** Index of the first character at or after `from` (before `limit`) not in `table`. */
export function runEnd(text: string, from: number, table: Uint8Array, limit = text.length): number {
  let i = from;
  const end = Math.min(limit, text.length);
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code >= 128 || table[code] !== 1) break;
    i++;
  }
  return i;
}

export const WORD = charClass('A-Za-z0-9_');
export const BASE64URL = charClass('A-Za-z0-9_-');
