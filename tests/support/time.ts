import type { Clock } from '../../functions/clock.js';

/** A clock the test moves by hand. */
export function manualClock(start: string | Date) {
  let now = new Date(start);
  const clock: Clock = () => new Date(now);
  return {
    clock,
    set: (instant: string | Date) => (now = new Date(instant)),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}
