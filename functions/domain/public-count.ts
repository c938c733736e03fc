import type { CampaignStats } from './stats.js';

/** Below this, the count says more about the service being new than about people objecting: not shown. */
export const PUBLIC_COUNT_MIN = 10;

/**
 * How many people have objected through the service, from the aggregate counters only. The
 * counters count objections per platform, not people; per campaign the platform most marked
 * done is a count of distinct people who objected there (one person marks a platform once), so
 * the sum over campaigns never counts one person twice within a campaign. It may undercount
 * people who objected on different platforms only; it never overstates.
 *
 * @example
 * objectorCount([{ totals: { platforms: { facebook: { picked: 9, done: 7 }, instagram: { picked: 5, done: 4 } } } }]) // 7
 */
export function objectorCount(stats: readonly Pick<CampaignStats, 'totals'>[]): number {
  return stats.reduce((sum, campaign) => sum + Math.max(0, ...Object.values(campaign.totals.platforms).map((platform) => platform?.done ?? 0)), 0);
}

/** The count to show publicly, or undefined while it is below PUBLIC_COUNT_MIN. */
export function publicCount(count: number): number | undefined {
  return count >= PUBLIC_COUNT_MIN ? count : undefined;
}
