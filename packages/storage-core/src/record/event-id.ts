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

/**
 * 80 random bits. Uniqueness, not secrecy, is what ids need, so this uses the engine's per-process
 * randomly seeded generator mixed with the pid: loading node:crypto would cost the hook ~8 ms per event.
 */
function freshRandom(): number[] {
  const digits: number[] = [];
  const salt = process.pid;
  for (let i = 0; i < 16; i++) digits.push((Math.floor(Math.random() * 32) + (i < 3 ? salt >> (i * 5) : 0)) & 31);
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
