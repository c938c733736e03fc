import type { Campaign } from './campaign.js';
import type { Platform, PlatformId } from './platform.js';
import { morningsFor } from './schedule.js';

const DAY_MS = 86_400_000;

/**
 * When an active person's personal data is erased: a grace period after the last morning their
 * platforms could ask for (done or not, since an undo brings them back), in which late newsletters
 * may still go out; never before `graceDays` after `now`, and never earlier than decided before.
 *
 * @example
 * personalDataExpiry({ timeZone: 'Europe/Berlin', platforms: [{ id: 'x', addedAt }] }, { catalog, campaigns, graceDays: 30, now })
 */
export function personalDataExpiry(
  reader: { timeZone: string; platforms: ReadonlyArray<{ id: PlatformId; addedAt: Date }> },
  options: { catalog: readonly Pick<Platform, 'id' | 'reminderDaysAfterAdded'>[]; campaigns: readonly Campaign[]; graceDays: number; now: Date; notBefore?: Date | undefined },
): Date {
  const last = morningsFor(reader, options.catalog, options.campaigns).at(-1)?.dueAt.getTime() ?? 0;
  const end = Math.max(last, options.now.getTime()) + options.graceDays * DAY_MS;
  return new Date(Math.max(end, options.notBefore?.getTime() ?? 0));
}

/**
 * Whether an item whose TTL (epoch seconds) has passed still lingers: DynamoDB deletes expired
 * items up to about two days late, so reads must treat them as gone themselves.
 */
export function isPastTtl(ttlSeconds: unknown, now: Date): boolean {
  return typeof ttlSeconds === 'number' && ttlSeconds * 1000 <= now.getTime();
}
