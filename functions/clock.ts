/** The one source of time: everything that needs "now" gets a clock, so tests and `--now` can move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * A clock that starts at `start` and then runs on at real speed, for trying a past campaign locally.
 *
 * @example
 * const clock = clockStartingAt(new Date('2025-05-12T08:00:00Z'));
 */
export function clockStartingAt(start: Date, realNow: Clock = systemClock): Clock {
  const offset = start.getTime() - realNow().getTime();
  return () => new Date(realNow().getTime() + offset);
}
