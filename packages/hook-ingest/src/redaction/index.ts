export { createRedactor, redactJson } from './payload.js';
export type { PayloadRedactor, RedactOptions } from './payload.js';
export { createTextRedactor, redactText } from './text.js';
export { BUILTIN_LABELS } from './builtin.js';
export { isSecretName } from './names.js';
export { marker as redactionMarker } from './values.js';
export type { AllowEntry, RedactionCounts, RedactionOptions, RedactionPattern, TextRedactor } from './types.js';
