import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function freshRandom(): number[] {
  const bytes = randomBytes(16);
  const digits: number[] = [];
  for (let i = 0; i < 16; i++) digits.push((bytes[i] ?? 0) % 32);
  return digits;
}

function incremented(digits: number[]): number[] {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    const d = next[i] ?? 0;
    if (d < 31) {
      next[i] = d + 1;
      return next;
    }
    next[i] = 0;
  }
  return freshRandom();
}

/**
 * A ULID: 26 Crockford base32 characters, lexicographically sortable by creation time.
 * Monotonic within one process: two ids made in the same millisecond still sort in creation order.
 */
export function createEventId(now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = incremented(lastRandom);
  } else {
    lastTime = now;
    lastRandom = freshRandom();
  }
  return encodeTime(lastTime) + lastRandom.map((d) => ALPHABET[d]).join('');
}

/** A ULID-shaped id derived from a time and a stable seed, for records written without one. */
export function deriveEventId(time: number, seed: Uint8Array): string {
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[(seed[i] ?? 0) % 32];
  return encodeTime(Math.max(0, Math.min(time, 2 ** 48 - 1))) + random;
}

export const EVENT_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
