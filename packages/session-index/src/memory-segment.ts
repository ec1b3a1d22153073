import type { IndexDoc } from './documents.js';
import { prefixRange, type DocMeta, type Segment } from './segment.js';
import { tokenize } from './tokenize.js';

const EMPTY = new Uint32Array(0);

/** Growable postings of one term while building. */
interface Growing {
  data: Uint32Array;
  size: number;
}

/** A segment built in memory: what a full scan searches, and what is written to disk as a new segment. */
export class MemorySegment implements Segment {
  private readonly docs: Array<DocMeta & { text: string }> = [];
  private readonly growing = new Map<string, Growing>();
  private sortedTerms: string[] | undefined;
  tokenTotal = 0;

  get docCount(): number {
    return this.docs.length;
  }

  add(doc: IndexDoc): void {
    const id = this.docs.length;
    const words = tokenize(doc.text);
    this.docs.push({
      kind: doc.kind,
      sessionId: doc.sessionId,
      ref: doc.ref,
      time: doc.time,
      eventName: doc.eventName,
      tool: doc.tool,
      length: words.length,
      text: doc.text,
    });
    this.tokenTotal += words.length;
    const counts = new Map<string, number>();
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    for (const [word, tf] of counts) {
      let list = this.growing.get(word);
      if (!list) {
        list = { data: new Uint32Array(4), size: 0 };
        this.growing.set(word, list);
      }
      if (list.size + 2 > list.data.length) {
        const bigger = new Uint32Array(list.data.length * 2);
        bigger.set(list.data);
        list.data = bigger;
      }
      list.data[list.size++] = id;
      list.data[list.size++] = tf;
    }
    this.sortedTerms = undefined;
  }

  /** Every term, sorted (as written to disk). */
  terms(): string[] {
    this.sortedTerms ??= [...this.growing.keys()].sort();
    return this.sortedTerms;
  }

  meta(doc: number): DocMeta {
    const { text: _text, ...meta } = this.docs[doc]!;
    return meta;
  }

  time(doc: number): number {
    return this.docs[doc]!.time;
  }

  sessionId(doc: number): string {
    return this.docs[doc]!.sessionId;
  }

  docLength(doc: number): number {
    return this.docs[doc]!.length;
  }

  postings(term: string): Uint32Array {
    const list = this.growing.get(term);
    return list ? list.data.subarray(0, list.size) : EMPTY;
  }

  termsWithPrefix(prefix: string, limit: number): string[] {
    return prefixRange(this.terms(), prefix, limit);
  }

  text(doc: number): string {
    return this.docs[doc]!.text;
  }

  close(): void {}
}
