import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunbookError, type SessionBackend, type StoredRecord } from '@runbook/storage-core';
import { openSegment, SEGMENT_FILE, writeSegment } from './disk-segment.js';
import { eventDocument, type IndexDoc } from './documents.js';
import { acquireLock } from './lock.js';
import { MemorySegment } from './memory-segment.js';
import { profileSession, type SessionProfile } from './profile.js';
import { fileDocument, filesSignature, listProjectFiles } from './project-files.js';
import { buildRecallDigest, RECALL_FILE } from './recall-digest.js';
import { transcriptDocuments } from './transcript-documents.js';
import { searchSegments, type SearchOptions, type SearchResult } from './search.js';
import type { Segment } from './segment.js';

const FORMAT = 1;
const MANIFEST = 'manifest.json';
const IDS = 'ids.json';
const PROFILES = 'profiles.json';
const LOCK = 'index.lock';
/** More event segments than this and the smaller ones are merged into one. */
const MAX_SEGMENTS = 8;
/** Documents held in memory while building before they are written out as a segment. */
const FLUSH_DOCS = 25_000;

interface SessionState {
  /** What `list()` reported at the last update; unchanged values mean nothing new to read. */
  count?: number;
  last?: string;
}

interface Manifest {
  format: typeof FORMAT;
  segments: Array<{ name: string; docs: number }>;
  files?: { name: string; signature: string };
  sessions: Record<string, SessionState>;
  updatedAt: string;
}

export interface IndexOptions {
  /** The index directory, e.g. `<localBaseDir>/index`. A rebuildable cache: deleting it loses nothing. */
  dir: string;
  backend: SessionBackend;
  /** Project whose `.runbook/learning/` and `.runbook/runbooks/` are indexed too. */
  projectDir: string;
  /** Longest wait for another process updating the same index; default 30 s. */
  lockWaitMs?: number;
}

export interface UpdateSummary {
  /** Sessions read because they were new or had grown. */
  sessionsRead: number;
  /** Documents added (events, plus files when they changed). */
  added: number;
  /** The index was (re)built from nothing. */
  rebuilt: boolean;
  /** Another process held the index; it was searched as it was. */
  busy: boolean;
}

const emptyManifest = (): Manifest => ({
  format: FORMAT,
  segments: [],
  sessions: {},
  updatedAt: new Date(0).toISOString(),
});

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}

const newName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** An on-disk index of every stored session, read and updated through any backend's `list()` and `read()`. */
export class SessionIndex {
  private readonly dir: string;
  private readonly open = new Map<string, Segment>();
  constructor(private readonly options: IndexOptions) {
    this.dir = path.resolve(options.dir);
  }

  private manifest(): Manifest | undefined {
    const manifest = readJson<Manifest>(path.join(this.dir, MANIFEST));
    return manifest && manifest.format === FORMAT && Array.isArray(manifest.segments) ? manifest : undefined;
  }

  /**
   * Bring the index up to date: sessions that are new or grew since the last update are read and their
   * new events added; changed learning files and runbooks are re-indexed. A session that disappeared (or
   * shrank) makes it rebuild from nothing. Safe with hooks appending meanwhile: an event is indexed once,
   * by its id, whenever it is first seen. One process updates at a time (a lock file).
   */
  async update(options: { signal?: AbortSignal } = {}): Promise<UpdateSummary> {
    const { backend } = this.options;
    if (!backend.list) {
      throw new RunbookError(
        'CAPABILITY_MISSING',
        `the ${backend.name} backend cannot list sessions, so its sessions cannot be indexed`,
      );
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const release = await acquireLock(path.join(this.dir, LOCK), this.options.lockWaitMs ?? 30_000);
    if (!release) return { sessionsRead: 0, added: 0, rebuilt: false, busy: true };
    try {
      return await this.updateLocked(options.signal);
    } finally {
      release();
    }
  }

  private async updateLocked(signal: AbortSignal | undefined, forceRebuild = false): Promise<UpdateSummary> {
    const { backend } = this.options;
    let manifest = forceRebuild ? undefined : this.manifest();
    let ids = manifest ? readJson<Record<string, string[]>>(path.join(this.dir, IDS)) : undefined;
    let profiles = manifest ? readJson<Record<string, SessionProfile>>(path.join(this.dir, PROFILES)) : undefined;
    const rebuilt = !manifest || !ids || !profiles;
    if (rebuilt) {
      manifest = emptyManifest();
      ids = {};
      profiles = {};
    }
    const m = manifest!;
    const known = ids!;
    const prof = profiles!;
    let builder = new MemorySegment();
    let added = 0;
    const flush = () => {
      if (builder.docCount === 0) return;
      const name = newName('e');
      writeSegment(builder, this.dir, name);
      m.segments.push({ name, docs: builder.docCount });
      added += builder.docCount;
      builder = new MemorySegment();
    };
    const seen = new Set<string>();
    let sessionsRead = 0;
    for await (const summary of backend.list!({ ...(signal ? { signal } : {}) })) {
      seen.add(summary.sessionId);
      const state = m.sessions[summary.sessionId];
      if (
        state &&
        summary.eventCount !== undefined &&
        state.count === summary.eventCount &&
        state.last === summary.lastSeen &&
        known[summary.sessionId]
      )
        continue;
      const records: StoredRecord[] = [];
      for await (const record of backend.read(summary.sessionId, { ...(signal ? { signal } : {}) }))
        records.push(record);
      sessionsRead++;
      const had = new Set(known[summary.sessionId] ?? []);
      const distinct = new Set(records.map((r) => r.eventId));
      if (!rebuilt && [...had].some((id) => !id.startsWith('t:') && !distinct.has(id)))
        return this.updateLocked(signal, true);
      for (const record of records) {
        if (had.has(record.eventId)) continue;
        had.add(record.eventId);
        builder.add(eventDocument(record));
      }
      for await (const doc of transcriptDocuments(backend, summary.sessionId, signal)) {
        if (had.has(doc.ref)) continue;
        had.add(doc.ref);
        builder.add(doc);
      }
      known[summary.sessionId] = [...had];
      if (builder.docCount >= FLUSH_DOCS) flush();
      prof[summary.sessionId] = profileSession(summary.sessionId, records);
      m.sessions[summary.sessionId] = {
        ...(summary.eventCount !== undefined ? { count: summary.eventCount } : {}),
        ...(summary.lastSeen ? { last: summary.lastSeen } : {}),
      };
    }
    if (!rebuilt && Object.keys(m.sessions).some((id) => !seen.has(id))) return this.updateLocked(signal, true);

    flush();
    if (m.segments.length > MAX_SEGMENTS) this.mergeSmaller(m);

    const files = listProjectFiles(this.options.projectDir);
    const signature = filesSignature(files);
    let fileDocs: IndexDoc[] | undefined;
    if (!m.files || m.files.signature !== signature || rebuilt) {
      fileDocs = files.map(fileDocument).filter((d): d is IndexDoc => d !== undefined);
      const segment = new MemorySegment();
      for (const doc of fileDocs) segment.add(doc);
      const name = newName('f');
      writeSegment(segment, this.dir, name);
      m.files = { name, signature };
      added += segment.docCount;
    }

    m.updatedAt = new Date().toISOString();
    writeJsonAtomic(path.join(this.dir, IDS), known);
    writeJsonAtomic(path.join(this.dir, PROFILES), prof);
    if (sessionsRead > 0 || fileDocs || rebuilt) {
      fileDocs ??= files.map(fileDocument).filter((d): d is IndexDoc => d !== undefined);
      writeJsonAtomic(path.join(this.dir, RECALL_FILE), buildRecallDigest(Object.values(prof), fileDocs));
    }
    writeJsonAtomic(path.join(this.dir, MANIFEST), m);
    this.sweep(m);
    return { sessionsRead, added, rebuilt, busy: false };
  }

  /**
   * Remove what the manifest no longer names: replaced segments, and anything an update that died left
   * behind. Runs under the writer lock, so no other update is writing; a search still holding a removed
   * segment open keeps reading it, and one that had not opened it yet retries with the new manifest.
   */
  private sweep(m: Manifest): void {
    const live = new Set([...m.segments.map((s) => s.name), ...(m.files ? [m.files.name] : [])]);
    const kept = new Set([MANIFEST, IDS, PROFILES, RECALL_FILE, LOCK]);
    for (const name of readdirSync(this.dir)) {
      if (kept.has(name)) continue;
      const stale = name.endsWith('.tmp') || (SEGMENT_FILE.test(name) && !live.has(name.replace(SEGMENT_FILE, '')));
      if (stale) rmSync(path.join(this.dir, name), { force: true });
    }
  }

  /** Merge every event segment but the largest into one, re-reading their texts. */
  private mergeSmaller(m: Manifest): void {
    const sorted = [...m.segments].sort((a, b) => b.docs - a.docs);
    const [largest, ...rest] = sorted;
    const merged = new MemorySegment();
    for (const entry of rest) {
      const segment = openSegment(this.dir, entry.name);
      try {
        for (let doc = 0; doc < segment.docCount; doc++) merged.add({ ...segment.meta(doc), text: segment.text(doc) });
      } finally {
        segment.close();
      }
    }
    const name = newName('e');
    writeSegment(merged, this.dir, name);
    m.segments = [largest!, { name, docs: merged.docCount }];
  }

  /**
   * The segments the manifest names. Segments never change once written, so an open one is kept for the
   * next query of this process; ones an update retired are closed. Retried if an update replaced them meanwhile.
   */
  private openAll(): Segment[] {
    for (let attempt = 0; ; attempt++) {
      const m = this.manifest();
      const names = m ? [...m.segments.map((s) => s.name), ...(m.files ? [m.files.name] : [])] : [];
      for (const [name, segment] of this.open) {
        if (names.includes(name)) continue;
        segment.close();
        this.open.delete(name);
      }
      try {
        return names.map((name) => {
          let segment = this.open.get(name);
          if (!segment) {
            segment = openSegment(this.dir, name);
            this.open.set(name, segment);
          }
          return segment;
        });
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
  }

  /** Ranked full-text search over what the index holds now (call {@link update} first to include what is new). */
  search(query: string, options: SearchOptions = {}): SearchResult {
    return searchSegments(this.openAll(), query, options);
  }

  /** Close the segment files this process has open. */
  close(): void {
    for (const segment of this.open.values()) segment.close();
    this.open.clear();
  }

  /** Every indexed session's profile (failures, commands, files, services). */
  profiles(): SessionProfile[] {
    const profiles = readJson<Record<string, SessionProfile>>(path.join(this.dir, PROFILES)) ?? {};
    return Object.values(profiles);
  }
}

/** Open (without reading anything yet) the index in `options.dir`. */
export function openSessionIndex(options: IndexOptions): SessionIndex {
  return new SessionIndex(options);
}
