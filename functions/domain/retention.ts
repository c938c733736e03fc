import { deadlineOf, type Campaign } from './campaign.js';

const DAY_MS = 86_400_000;

/**
 * When a subscriber's personal data is erased: a grace period after the campaign's deadline, in
 * which the after-deadline note and late newsletters may still go out; for someone who confirmed
 * after the deadline (objecting late still protects future posts), the grace runs from then. For a
 * standing campaign the grace runs from its last reminder after confirming.
 *
 * @example
 * personalDataExpiry(meta, 30, new Date('2025-05-20T08:00Z')) // 2025-06-26T00:00+02:00, as an instant
 */
export function personalDataExpiry(campaign: Campaign, graceDays: number, confirmedAt: Date): Date {
  // A standing campaign has no deadline: its last reminder, after confirming, takes that place.
  const lastNeed = deadlineOf(campaign)?.getTime() ?? confirmedAt.getTime() + Math.max(...campaign.reminderDaysAfterConfirm) * DAY_MS;
  return new Date(Math.max(lastNeed, confirmedAt.getTime()) + graceDays * DAY_MS);
}

/**
 * Whether an item whose TTL (epoch seconds) has passed still lingers: DynamoDB deletes expired
 * items up to about two days late, so reads must treat them as gone themselves.
 */
export function isPastTtl(ttlSeconds: unknown, now: Date): boolean {
  return typeof ttlSeconds === 'number' && ttlSeconds * 1000 <= now.getTime();
}
