// zod schemas and the synchronous record parser. A separate entry point so that writers importing the
// main entry (the hook) never load the schema library.
export { storedRecordSchema, parseRecordLine } from './record/schema.js';
export type { ParsedLine } from './record/schema.js';
