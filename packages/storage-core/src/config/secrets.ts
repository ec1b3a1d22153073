/**
 * Values that `${VAR}` interpolation put into the config, so config errors can name the variable
 * instead of echoing its value (often a token or password) into a terminal or a log.
 */
const interpolated = new Map<string, string>();

/** Shorter values are too common to hide without hiding ordinary words of a message. */
const MIN_MASKED_LENGTH = 4;

export function noteInterpolatedValue(value: string, variable: string): void {
  if (value.length >= MIN_MASKED_LENGTH) interpolated.set(value, variable);
}

/** `text` with every interpolated value replaced by `${VAR}`, longest values first. */
export function maskInterpolatedValues(text: string): string {
  if (interpolated.size === 0) return text;
  let out = text;
  for (const [value, variable] of [...interpolated].sort((a, b) => b[0].length - a[0].length)) {
    if (out.includes(value)) out = out.split(value).join(`\${${variable}}`);
  }
  return out;
}
