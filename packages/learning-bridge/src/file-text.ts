/**
 * Text for the files `learn` writes (markdown, JSON). What they quote comes from a stored session: tool
 * output, prompts, file contents. A terminal escape sequence in it would act when someone `cat`s the file
 * (set the title, clear the screen, write the clipboard with OSC 52), and bidirectional overrides make
 * a reviewer read something else than what is there. Such characters are written as visible escapes.
 *
 * Escaped: C0 controls but tab, newline and a carriage return before a newline (as `\x1b`, `\r`); DEL, C1
 * controls and the bidirectional marks, overrides and isolates (as `\u009b`, `\u202e`). JSON.stringify
 * already escapes C0, and `\uXXXX` is a JSON escape of the same character, so a JSON file keeps its values.
 */
const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

function escaped(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\r') return '\\r';
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character a terminal would act on written as a visible escape. */
export function fileSafeText(text: string): string {
  return text.replace(UNSAFE, escaped);
}
