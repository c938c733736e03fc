import type { PlatformStats } from './stats.js';

/** Below this, the count says more about the service being new than about people objecting: not shown. */
export const PUBLIC_COUNT_MIN = 10;

/**
 * How many people have objected through the service, from the platforms' aggregate done counts
 * only. Those count marks, not people, and one person may mark several platforms; but a person
 * holds one mark per platform (an undo takes it back), so the platform most marked done is a
 * number of distinct people who objected there. It undercounts those who objected only elsewhere,
 * since a public claim must not overstate. (A campaign that asks everyone to object again lets a
 * person mark that platform anew, and then counts them twice.)
 *
 * @example
 * objectorCount({ facebook: { asked: 9, picked: 9, done: 7, dropped: 0 }, linkedin: { asked: 5, picked: 5, done: 5, dropped: 0 } }) // 7
 */
export function objectorCount(totals: Partial<PlatformStats['totals']>): number {
  return Math.max(0, ...Object.values(totals).map((platform) => platform?.done ?? 0));
}

/** The count to show publicly, or undefined while it is below PUBLIC_COUNT_MIN. */
export function publicCount(count: number): number | undefined {
  return count >= PUBLIC_COUNT_MIN ? count : undefined;
}
