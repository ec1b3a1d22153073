import { control } from './terminal.js';

/** A stream that may be a terminal. */
export interface MaybeTty {
  isTTY?: boolean;
}

/**
 * Whether to colour what goes to `stream`: never when `NO_COLOR` is set to anything non-empty
 * (https://no-color.org), always when `FORCE_COLOR` is set to something other than `0`, otherwise
 * only when the stream is a terminal.
 */
export function colorEnabled(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** Text painters; each returns its input unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Colour codes are {@link control} tokens: only the guarded output streams turn them into escape sequences. */
function painter(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `${control(`\u001b[${open}m`)}${text}${control(`\u001b[${close}m`)}` : (text) => text;
}

/** Painters for one stream, e.g. `createStyle(process.stdout)`. */
export function createStyle(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): Style {
  const enabled = colorEnabled(stream, env);
  return {
    enabled,
    bold: painter(enabled, 1, 22),
    dim: painter(enabled, 2, 22),
    red: painter(enabled, 31, 39),
    green: painter(enabled, 32, 39),
    yellow: painter(enabled, 33, 39),
    cyan: painter(enabled, 36, 39),
  };
}
