import { randomBytes } from 'node:crypto';
import type { Campaign } from '../../functions/domain/campaign.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { personalDataExpiry } from '../../functions/domain/retention.js';
import { countdownStartFor, nextStepAfter, stepsFor } from '../../functions/domain/schedule.js';
import { hashAddress } from '../../functions/domain/token.js';
import type { StoredSubscriber } from '../../functions/store/subscriber-store.js';
import type { TestStack } from './stack.js';

/**
 * Writes a confirmed subscriber straight through the store (no emails), as the confirm flow
 * would leave them: for data sets too large to sign up one by one.
 */
export async function seedConfirmed(
  stack: TestStack,
  campaign: Campaign,
  person: { email: string; timeZone: string; platforms: PlatformId[]; confirmedAt: Date },
): Promise<StoredSubscriber> {
  const { confirmedAt } = person;
  const subscriber: StoredSubscriber = {
    id: randomBytes(16).toString('base64url'),
    campaignId: campaign.id,
    email: person.email,
    addressHash: hashAddress(stack.config.SIGNING_SECRET, person.email),
    state: 'pending',
    platforms: person.platforms,
    objections: {},
    timeZone: person.timeZone,
    locale: 'en',
    consent: { at: confirmedAt.toISOString(), textVersion: 'test', method: 'web-form' },
    createdAt: confirmedAt.toISOString(),
    expiresAt: new Date(confirmedAt.getTime() + 7 * 86_400_000).toISOString(),
  };
  if (!(await stack.service.store.createPending(subscriber, undefined, confirmedAt))) throw new Error('seed raced');
  const start = countdownStartFor(confirmedAt);
  const firstStep = nextStepAfter(stepsFor(campaign, { timeZone: person.timeZone, confirmedAt }), start);
  await stack.service.store.confirm(subscriber, confirmedAt, start, firstStep?.dueAt, personalDataExpiry(campaign, stack.config.PRIVACY_GRACE_DAYS, confirmedAt));
  return { ...subscriber, state: 'confirmed', confirmedAt: confirmedAt.toISOString(), handledUntil: start.toISOString() };
}

/** Runs `work` for each item, `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
