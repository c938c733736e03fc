import type { Campaign } from '../../functions/domain/campaign.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import type { Person } from '../../functions/domain/person.js';
import { personalDataExpiry } from '../../functions/domain/retention.js';
import { countdownStartFor, nextStepAfter, stepsFor } from '../../functions/domain/schedule.js';
import { decideRate } from '../../functions/domain/rate-limit.js';
import { planSignup, type SignupChange } from '../../functions/domain/signup.js';
import type { Subscription } from '../../functions/domain/subscription.js';
import { hashAddress } from '../../functions/domain/token.js';
import { RateLimits } from '../../functions/store/rate-limits.js';
import type { TestStack } from './stack.js';

/** A person signed up for one campaign and not yet confirmed, written without any email. */
export async function seedPending(
  stack: TestStack,
  campaign: Campaign,
  seed: { email: string; timeZone: string; platforms: PlatformId[]; signedUpAt: Date; locale?: 'en' | 'de' },
): Promise<SignupChange> {
  const { people } = stack.service;
  const personId = hashAddress(stack.config.SIGNING_SECRET, seed.email);
  const stored = await people.load(personId, seed.signedUpAt);
  const plan = planSignup({
    stored,
    signup: { email: seed.email, picks: [{ campaign, platforms: seed.platforms }], platforms: seed.platforms, timeZone: seed.timeZone, locale: seed.locale ?? 'en', watch: false, isBot: false },
    personId,
    generation: `seed${personId.slice(0, 6)}`,
    now: seed.signedUpAt,
    cooldownMinutes: 15,
  });
  if (!plan.change) throw new Error('seed: nothing to write');
  // Each seeded person from a network of their own, whose limit is never reached.
  const limit = decideRate({ limit: 1, windowMs: 1 }, undefined, seed.signedUpAt);
  if (!limit.allowed) throw new Error('seed: limited');
  const attempt = new RateLimits({ db: stack.service.db, tableName: stack.config.TABLE_NAME }).claimUpdate({ name: 'signup', scope: `seed-${personId.slice(0, 12)}` }, limit.claim, limit.keepUntil);
  const write = { personId, attempt, expectedVersion: stored.version, change: plan.change, counts: plan.change.counts };
  if ((await people.saveSignup(write, seed.signedUpAt)) !== 'saved') throw new Error('seed raced');
  return plan.change;
}

/**
 * Writes a confirmed person with one subscription straight through the store (no emails), as the
 * sign-up and confirm flow would leave them: for data sets too large to sign up one by one.
 */
export async function seedConfirmed(
  stack: TestStack,
  campaign: Campaign,
  seed: { email: string; timeZone: string; platforms: PlatformId[]; confirmedAt: Date; locale?: 'en' | 'de' },
): Promise<{ person: Person; subscription: Subscription }> {
  const { confirmedAt } = seed;
  const { people } = stack.service;
  const change = await seedPending(stack, campaign, { ...seed, signedUpAt: confirmedAt });
  const start = countdownStartFor(confirmedAt);
  const at = confirmedAt.toISOString();
  const expiresAt = personalDataExpiry(campaign, stack.config.PRIVACY_GRACE_DAYS, confirmedAt);
  const { confirmationMails: _mails, expiresAt: _pending, ...pending } = change.person;
  const person: Person = {
    ...pending,
    status: 'active',
    confirmedAt: at,
    consents: pending.consents.map((c) => ({ ...c, confirmedAt: at })),
    retainUntil: expiresAt.toISOString(),
    version: pending.version + 1,
  };
  const [put] = change.put;
  if (!put) throw new Error('seed: no subscription');
  const { expiresAt: _subscriptionPending, ...rest } = put;
  const subscription: Subscription = { ...rest, state: 'confirmed', confirmedAt: at, handledUntil: start.toISOString() };
  const firstStepAt = nextStepAfter(stepsFor(campaign, { timeZone: seed.timeZone, confirmedAt }), start)?.dueAt;
  const saved = await people.confirm(
    { person, personExpiresAt: expiresAt, expectedVersion: pending.version, subscriptions: [{ subscription, firstStepAt, expiresAt }], watches: [], counts: {} },
    confirmedAt,
  );
  if (!saved) throw new Error('seed raced');
  return { person, subscription };
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
