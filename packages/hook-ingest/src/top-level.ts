import { TRUNCATION_MARKER, type FieldSpan } from './limits.js';

/** Largest top-level value kept when a payload is reduced to its top-level fields. */
const MAX_FIELD_BYTES = 64 * 1024;
/** Largest total of top-level values kept. */
const MAX_KEPT_BYTES = 256 * 1024;
/** Most top-level fields kept. */
const MAX_FIELDS = 256;

const isBlank = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * A payload of so many values that even shortening every string cannot bring it under the event cap cannot
 * be stored whole, nor parsed cheaply (ten million `[]` take seconds and gigabytes). This keeps its small
 * top-level fields (`session_id`, `hook_event_name`, `cwd`, `tool_name`...) and replaces each large one by
 * a marker, from the field positions {@link pruneDeepJson} noted: the result is small JSON text to parse as
 * usual. Returns undefined when there are no such positions (not an object, or nesting was cut).
 */
export function keepTopLevelFields(
  text: string,
  fields: readonly FieldSpan[],
  maxEventBytes: number,
): { text: string; dropped: string[] } | undefined {
  if (fields.length === 0) return undefined;
  const parts: string[] = [];
  const dropped: string[] = [];
  let kept = 0;
  for (const field of fields) {
    if (parts.length >= MAX_FIELDS) break;
    const keyText = text.slice(field.keyStart, field.keyEnd);
    let valueStart = field.valueStart;
    let valueEnd = field.valueEnd;
    while (valueStart < valueEnd && isBlank(text.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
    const size = valueEnd - valueStart;
    let name: string;
    try {
      name = JSON.parse(keyText) as string;
    } catch {
      continue;
    }
    if (size <= MAX_FIELD_BYTES && kept + size <= MAX_KEPT_BYTES) {
      parts.push(`${keyText}:${text.slice(valueStart, valueEnd)}`);
      kept += size;
    } else {
      const note = `${TRUNCATION_MARKER} value of ${size} bytes dropped: too many values to fit the ${maxEventBytes}-byte event cap`;
      parts.push(`${keyText}:${JSON.stringify(note)}`);
      dropped.push(name);
    }
  }
  return { text: `{${parts.join(',')}}`, dropped };
}
