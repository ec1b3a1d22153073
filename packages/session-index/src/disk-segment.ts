import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DocKind } from './documents.js';
import type { MemorySegment } from './memory-segment.js';
import { lowerBound, prefixRange, type DocMeta, type Segment } from './segment.js';

/**
 * A segment on disk is four files, written once and never changed (a new segment gets a new name):
 * - `<name>.json`: counts and the string table (sessions, event names, tools, kinds);
 * - `<name>.dict`: the sorted terms joined by new lines, a NUL, then the documents' refs likewise (plain
 *   text: reading it is cheaper than parsing the same as JSON);
 * - `<name>.cols`: little-endian columns: time (float64 per document), then uint32 columns kind, session,
 *   event, tool, length, text offsets (docs + 1), ref offsets (docs + 1), postings offsets (terms + 1);
 * - `<name>.post`: postings, uint32 (doc, term frequency) pairs, term after term;
 * - `<name>.text`: document texts, UTF-8, one after another.
 * Opening reads the header and the columns; postings and texts are read only for the terms and documents a
 * query touches.
 */
interface SegmentHeader {
  format: 2;
  docCount: number;
  termCount: number;
  tokenTotal: number;
  strings: string[];
}

const EXTENSIONS = ['json', 'dict', 'cols', 'post', 'text'] as const;
const files = (dir: string, name: string) =>
  Object.fromEntries(EXTENSIONS.map((ext) => [ext, path.join(dir, `${name}.${ext}`)])) as Record<
    (typeof EXTENSIONS)[number],
    string
  >;

/** File names a segment occupies. */
export function segmentFiles(dir: string, name: string): string[] {
  return Object.values(files(dir, name));
}

/** Whether a file name belongs to some segment. */
export const SEGMENT_FILE = /\.(json|dict|cols|post|text)$/;

/** Write a built segment under `dir` as `name`. Files land before the manifest names them. */
export function writeSegment(segment: MemorySegment, dir: string, name: string): void {
  const table = new Map<string, number>();
  const intern = (s: string) => {
    let id = table.get(s);
    if (id === undefined) {
      id = table.size;
      table.set(s, id);
    }
    return id;
  };
  const n = segment.docCount;
  const terms = segment.terms();
  const time = new Float64Array(n);
  const u32 = new Uint32Array(5 * n + 2 * (n + 1) + terms.length + 1);
  const col = (i: number) => i * n;
  const textAt = 5 * n;
  const refAt = textAt + n + 1;
  const postAt = refAt + n + 1;
  const texts: Buffer[] = [];
  const refs: string[] = [];
  let textOffset = 0;
  let refOffset = 0;
  for (let doc = 0; doc < n; doc++) {
    const meta = segment.meta(doc);
    time[doc] = meta.time;
    u32[col(0) + doc] = intern(meta.kind);
    u32[col(1) + doc] = intern(meta.sessionId);
    u32[col(2) + doc] = intern(meta.eventName);
    u32[col(3) + doc] = intern(meta.tool);
    u32[col(4) + doc] = meta.length;
    u32[textAt + doc] = textOffset;
    u32[refAt + doc] = refOffset;
    const bytes = Buffer.from(segment.text(doc), 'utf8');
    texts.push(bytes);
    textOffset += bytes.length;
    const ref = meta.ref.replace(/\n/g, ' ');
    refs.push(ref);
    refOffset += ref.length + 1;
  }
  u32[textAt + n] = textOffset;
  u32[refAt + n] = refOffset;
  let total = 0;
  terms.forEach((term, i) => {
    u32[postAt + i] = total;
    total += segment.postings(term).length;
  });
  u32[postAt + terms.length] = total;
  const postings = new Uint32Array(total);
  for (let i = 0; i < terms.length; i++) postings.set(segment.postings(terms[i]!), u32[postAt + i]!);
  const header: SegmentHeader = {
    format: 2,
    docCount: n,
    termCount: terms.length,
    tokenTotal: segment.tokenTotal,
    strings: [...table.keys()],
  };
  const where = files(dir, name);
  writeFileSync(where.post, Buffer.from(postings.buffer, postings.byteOffset, postings.byteLength));
  writeFileSync(where.text, Buffer.concat(texts));
  writeFileSync(where.cols, Buffer.concat([Buffer.from(time.buffer), Buffer.from(u32.buffer)]));
  writeFileSync(where.dict, `${terms.join('\n')}\u0000${refs.join('\n')}`);
  writeFileSync(where.json, JSON.stringify(header));
}

function readExact(fd: number, bytes: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(bytes);
  let done = 0;
  while (done < bytes) {
    const n = readSync(fd, buf, done, bytes - done, position + done);
    if (n === 0) throw new Error('index segment is shorter than its header says');
    done += n;
  }
  return buf;
}

/** Open a written segment. Throws when a file is missing or does not match its header. */
export function openSegment(dir: string, name: string): Segment {
  const where = files(dir, name);
  const header = JSON.parse(readFileSync(where.json, 'utf8')) as SegmentHeader;
  const n = header.docCount;
  const colsBuf = readFileSync(where.cols);
  if (header.format !== 2 || colsBuf.length !== 8 * n + 4 * (5 * n + 2 * (n + 1) + header.termCount + 1)) {
    throw new Error(`index segment ${name} is not in a known format`);
  }
  // Copy into aligned memory (a file buffer may start at any byte offset).
  const aligned = new ArrayBuffer(colsBuf.length);
  new Uint8Array(aligned).set(colsBuf);
  const time = new Float64Array(aligned, 0, n);
  const u32 = new Uint32Array(aligned, 8 * n);
  const textAt = 5 * n;
  const refAt = textAt + n + 1;
  const postAt = refAt + n + 1;
  const dict = readFileSync(where.dict, 'utf8');
  const split = dict.indexOf('\u0000');
  if (split === -1) throw new Error(`index segment ${name} is not in a known format`);
  const terms = header.termCount > 0 ? dict.slice(0, split).split('\n') : [];
  const refs = dict.slice(split + 1);
  const { strings } = header;
  const postFd = openSync(where.post, 'r');
  let textFd: number;
  try {
    textFd = openSync(where.text, 'r');
  } catch (error) {
    closeSync(postFd);
    throw error;
  }
  const str = (column: number, doc: number) => strings[u32[column * n + doc]!]!;
  return {
    docCount: n,
    tokenTotal: header.tokenTotal,
    meta(doc: number): DocMeta {
      return {
        kind: str(0, doc) as DocKind,
        sessionId: str(1, doc),
        eventName: str(2, doc),
        tool: str(3, doc),
        length: u32[4 * n + doc]!,
        time: time[doc]!,
        ref: refs.slice(u32[refAt + doc]!, u32[refAt + doc + 1]! - 1),
      };
    },
    time: (doc) => time[doc]!,
    sessionId: (doc) => str(1, doc),
    docLength: (doc) => u32[4 * n + doc]!,
    postings(term: string): Uint32Array {
      const i = lowerBound(terms, term);
      if (terms[i] !== term) return new Uint32Array(0);
      const start = u32[postAt + i]!;
      const count = u32[postAt + i + 1]! - start;
      const buf = readExact(postFd, count * 4, start * 4);
      const list = new Uint32Array(count);
      new Uint8Array(list.buffer).set(buf);
      return list;
    },
    termsWithPrefix: (prefix, limit) => prefixRange(terms, prefix, limit),
    text(doc: number): string {
      const start = u32[textAt + doc]!;
      return readExact(textFd, u32[textAt + doc + 1]! - start, start).toString('utf8');
    },
    close(): void {
      closeSync(postFd);
      closeSync(textFd);
    },
  };
}
