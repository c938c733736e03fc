import { morningsOf } from '../../functions/domain/checklist.js';
import type { Person } from '../../functions/domain/person.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { markDone, planConfirmation } from '../../functions/domain/platform-list.js';
import { nextAfter } from '../../functions/domain/schedule.js';
import { decideRate } from '../../functions/domain/rate-limit.js';
import { planSignup, type SignupChange } from '../../functions/domain/signup.js';
import { hashAddress } from '../../functions/domain/token.js';
import { RateLimits } from '../../functions/store/rate-limits.js';
import type { TestStack } from './stack.js';

/** A person who signed up for some platforms and has not confirmed yet, written without any email. */
export async function seedPending(
  stack: Pick<TestStack, 'service' | 'config'>,
  seed: { email: string; timeZone: string; platforms: PlatformId[]; signedUpAt: Date; locale?: 'en' | 'de' },
): Promise<SignupChange> {
  const { people } = stack.service;
  const personId = hashAddress(stack.config.SIGNING_SECRET, seed.email);
  const stored = await people.load(personId, seed.signedUpAt);
  const plan = planSignup({
    stored,
    signup: { email: seed.email, platforms: seed.platforms, timeZone: seed.timeZone, locale: seed.locale ?? 'en', watch: false, isBot: false },
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
 * Writes a confirmed person straight through the store (no emails), as the sign-up and confirm
 * flow would leave them, their first morning in the due index: for data sets too large to sign up
 * one by one.
 */
export async function seedConfirmed(
  stack: Pick<TestStack, 'service' | 'config'>,
  seed: { email: string; timeZone: string; platforms: PlatformId[]; confirmedAt: Date; locale?: 'en' | 'de' },
): Promise<{ person: Person }> {
  const { confirmedAt } = seed;
  const { people, platforms } = stack.service;
  const { campaigns } = stack.service;
  const change = await seedPending(stack, { ...seed, signedUpAt: confirmedAt });
  const confirmed = planConfirmation(change.person, { catalog: platforms, campaigns, graceDays: stack.config.PRIVACY_GRACE_DAYS, now: confirmedAt });
  if (!confirmed) throw new Error('seed: nothing to confirm');
  const { person } = confirmed;
  const next = nextAfter(morningsOf(person, platforms, campaigns, confirmedAt), confirmedAt)?.dueAt;
  const saved = await people.savePerson(
    {
      person,
      expectedVersion: change.person.version,
      personExpiresAt: new Date(person.retainUntil ?? confirmedAt.toISOString()),
      mornings: { next, handledUntil: confirmedAt },
    },
    confirmedAt,
  );
  if (!saved) throw new Error('seed raced');
  return { person };
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

/** Marks platforms of a seeded person done at `at`, straight through the store, as "I've objected" would; their mornings stop with the last one. */
export async function seedDone(stack: Pick<TestStack, 'service'>, personId: string, platforms: readonly PlatformId[], at: Date): Promise<void> {
  const { people, campaigns } = stack.service;
  const { person, mornings } = await people.load(personId, at);
  if (!person) throw new Error('seed: no such person');
  let marked = person;
  for (const platform of platforms) marked = markDone(marked, platform, true, { campaigns, now: at }).person;
  const next = nextAfter(morningsOf(marked, stack.service.platforms, campaigns, at), new Date(mornings.handledUntil ?? at.toISOString()))?.dueAt;
  const saved = await people.savePerson({ person: marked, expectedVersion: person.version, personExpiresAt: new Date(person.retainUntil ?? at.toISOString()), mornings: { next, handledUntil: at } }, at);
  if (!saved) throw new Error('seed raced');
}
