/**
 * Text that reaches a terminal. Stored sessions, tool output, config values and server messages are
 * untrusted: an escape sequence inside them could set the window title, clear the screen, write the
 * clipboard (OSC 52) or hide and reorder text. {@link guardTerminalStreams} makes every write of the CLI
 * to stdout and stderr go through {@link forTerminal}, which shows such characters as visible escapes
 * instead of sending them; the CLI's own colours and progress redraws are {@link control} tokens that
 * only it can produce.
 *
 * Neutralised: C0 controls (newline, tab and a carriage return before a newline are kept unless
 * `oneLine`), DEL, C1 controls (U+0080–U+009F: `\x9b` is a one-byte CSI for some terminals), and the
 * bidirectional marks, overrides and isolates that reorder what is shown (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069). C0 is shown as `\x1b`,
 * `\r`; the rest as `\u009b`, which is also a valid escape inside a JSON string, so JSON output stays the
 * same JSON value.
 */
const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;
const UNSAFE_OR_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\t') return '\\t';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every unsafe character shown as a visible escape; newlines and tabs kept unless `oneLine`. */
export function neutralise(text: string, options: { oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine ? UNSAFE_OR_LINE : UNSAFE, visible);
}

/** A marker no stored text can contain: random per process, made of characters {@link neutralise} leaves alone. */
const NONCE = Math.random().toString(36).slice(2, 10);
const TOKEN = new RegExp(`\\ue000${NONCE}(\\d+)\\ue001`, 'g');
const controls: string[] = [];

/**
 * A token standing for the CLI's own control sequence (`\x1b[31m`, `\r\x1b[2K`): {@link forTerminal}
 * writes the sequence for it, after neutralising everything else.
 */
export function control(sequence: string): string {
  let index = controls.indexOf(sequence);
  if (index === -1) index = controls.push(sequence) - 1;
  return `\ue000${NONCE}${index}\ue001`;
}

/** What is written to a terminal stream: unsafe characters neutralised, this process's own control tokens emitted. */
export function forTerminal(text: string, options: { oneLine?: boolean } = {}): string {
  const safe = neutralise(text, options);
  return safe.includes('\ue000')
    ? safe.replace(TOKEN, (token, index: string) => controls[Number(index)] ?? token)
    : safe;
}

type Write = NodeJS.WriteStream['write'];

/**
 * From now on, text written to `process.stdout` and `process.stderr` (by any code: commands, commander,
 * libraries) goes through {@link forTerminal}. Binary chunks pass unchanged.
 */
export function guardTerminalStreams(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const guarded = (chunk: unknown, ...rest: unknown[]): boolean =>
      original(typeof chunk === 'string' ? forTerminal(chunk) : chunk, ...rest);
    stream.write = guarded as Write;
  }
}
