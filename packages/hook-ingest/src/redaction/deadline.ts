/** A time budget for redaction, checked from inside every loop whose length depends on the input. */

/** Thrown by a {@link Tick} once its deadline has passed. */
export class OutOfTime extends Error {
  constructor() {
    super('redaction did not finish within its time budget');
    this.name = 'OutOfTime';
  }
}

/** Called once per unit of work (a hint, a value); throws {@link OutOfTime} once the deadline has passed. */
export type Tick = () => void;

export const UNLIMITED: Tick = () => {};

/** How many ticks pass between two looks at the clock. */
const CHECK_EVERY = 64;

/** A tick for the deadline `at` (milliseconds of `clock`, `Date.now` by default); looks at the clock on the first call and every 64th. */
export function deadlineTick(at: number, clock: () => number = Date.now): Tick {
  let calls = 0;
  let expired = false;
  return () => {
    if (expired || (calls++ % CHECK_EVERY === 0 && clock() > at)) {
      expired = true;
      throw new OutOfTime();
    }
  };
}
