import { eventName, parseEventKey, segmentOfKey, type SegmentRange, type SessionKeys } from './keys.js';

/** What a RunbookAI-era `events.ndjson` adds to a session, as far as it could be read cheaply. */
export interface LegacyTally {
  /** Every record of the session in the file, when the whole file was read; else unknown. */
  records?: { eventId: string; time: number | undefined }[];
  /** Times of the first and last record; undefined when they could not be read. */
  firstTime?: number;
  lastTime?: number;
}

/** The summary fields a listing can vouch for; any it cannot is left out. */
export interface SessionDetails {
  eventCount?: number;
  firstSeen?: string;
  lastSeen?: string;
}

/**
 * What one session's key listing says about it, gathered key by key without reading any object.
 *
 * The count is exact or left out: an event object and a segment can hold the same event (compaction
 * writes the segment before it deletes the objects; two compactions can race), so whenever an event
 * name falls inside a segment's range, two segments' ranges overlap, or a segment's key carries no
 * count, the count is unknown. Times are the earliest and latest event times the keys tell (see
 * `keys.ts`), left out when any key does not tell one. Objects are taken to hold the record their key
 * names, as `append` and compaction write them.
 */
export class SessionKeyTally {
  private readonly eventTimes = new Map<string, number | undefined>();
  /** Two event keys named the same event (written by different versions): its time is in doubt. */
  private repeated = false;
  private readonly segmentRanges: SegmentRange[] = [];
  /** The session has a RunbookAI-era `events.ndjson`. */
  hasLegacy = false;
  /** Keys worth reading for the session's real id when its key segment was shortened. */
  readonly samples: string[] = [];

  constructor(private readonly keys: SessionKeys) {}

  add(key: string): void {
    if (key === this.keys.legacy) {
      this.hasLegacy = true;
      return;
    }
    const event = parseEventKey(this.keys, key);
    if (event !== undefined) {
      if (this.eventTimes.size === 0) this.samples.push(key);
      if (this.eventTimes.has(event.name)) this.repeated = true;
      this.eventTimes.set(event.name, event.time);
      return;
    }
    const segment = segmentOfKey(this.keys, key);
    if (segment) {
      if (this.segmentRanges.length === 0) this.samples.push(key);
      this.segmentRanges.push(segment);
    }
  }

  details(legacy?: LegacyTally): SessionDetails {
    const names = [...this.eventTimes.keys()].sort();
    const segments = [...this.segmentRanges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const inSegment = (name: string) => segments.some((s) => s.first <= name && name <= s.last);

    let count: number | undefined = names.length;
    let latestEnd: string | undefined;
    for (const segment of segments) {
      const overlapsPrevious = latestEnd !== undefined && segment.first <= latestEnd;
      if (segment.count === undefined || overlapsPrevious || holdsAny(names, segment)) count = undefined;
      else if (count !== undefined) count += segment.count;
      if (latestEnd === undefined || segment.last > latestEnd) latestEnd = segment.last;
    }

    const times = new TimeRange();
    if (this.repeated) times.note(undefined);
    for (const time of this.eventTimes.values()) times.note(time);
    for (const segment of segments) times.note(segment.from).note(segment.to);

    if (legacy) {
      if (legacy.records) {
        const stored = new Set(names);
        for (const record of legacy.records) {
          times.note(record.time);
          const name = eventName(record.eventId);
          if (stored.has(name)) continue; // the same event as an object: read once
          if (inSegment(name)) count = undefined;
          else if (count !== undefined) count += 1;
        }
      } else {
        count = undefined;
        times.note(legacy.firstTime).note(legacy.lastTime);
      }
    }

    const details: SessionDetails = {};
    if (count !== undefined) details.eventCount = count;
    const range = times.range();
    if (range) {
      details.firstSeen = new Date(range[0]).toISOString();
      details.lastSeen = new Date(range[1]).toISOString();
    }
    return details;
  }
}

/** Whether any of the sorted `names` lies within the segment's range. */
function holdsAny(names: string[], segment: SegmentRange): boolean {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names[mid]! < segment.first) lo = mid + 1;
    else hi = mid;
  }
  return lo < names.length && names[lo]! <= segment.last;
}

/** Earliest and latest of some times; unknown as soon as one of them is. */
class TimeRange {
  private min = Infinity;
  private max = -Infinity;
  private known = true;

  note(time: number | undefined): this {
    if (time === undefined || !Number.isFinite(time)) {
      this.known = false;
    } else {
      this.min = Math.min(this.min, time);
      this.max = Math.max(this.max, time);
    }
    return this;
  }

  range(): [number, number] | undefined {
    return this.known && this.min <= this.max ? [this.min, this.max] : undefined;
  }
}
