import * as z from 'zod';
import { DomainError } from './errors.js';
import { PlatformId } from './platform.js';
import { TABLE_LAYOUT_VERSION } from './person.js';

/**
 * One campaign's side of a person: pending until the person confirms it, confirmed while its
 * countdown runs, ended when the person left just this campaign ("stop only this campaign",
 * "not for me"). Leaving the service altogether erases the subscriptions with the person.
 */
export const SubscriptionState = z.enum(['pending', 'confirmed', 'ended']);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

export const SubscriptionEvent = z.enum(['confirm', 'end', 'rejoin']);
export type SubscriptionEvent = z.infer<typeof SubscriptionEvent>;

const SUBSCRIPTION_TRANSITIONS: Record<SubscriptionState, Partial<Record<SubscriptionEvent, SubscriptionState>>> = {
  pending: { confirm: 'confirmed', end: 'ended', rejoin: 'pending' },
  confirmed: { end: 'ended' },
  // Joining an ended campaign again needs a new confirmation, like any addition.
  ended: { rejoin: 'pending', end: 'ended' },
};

/**
 * The subscription state machine. Refuses illegal moves with a `conflict` DomainError.
 *
 * @example
 * transitionSubscription('pending', 'confirm') // 'confirmed'
 */
export function transitionSubscription(state: SubscriptionState, event: SubscriptionEvent): SubscriptionState {
  const next = SUBSCRIPTION_TRANSITIONS[state][event];
  if (!next) {
    const code = state === 'confirmed' && event === 'confirm' ? 'already_confirmed' : 'illegal_transition';
    throw new DomainError('conflict', code, `A ${state} subscription cannot ${event}.`);
  }
  return next;
}

export const Subscription = z.object({
  personId: z.string().min(1),
  campaignId: z.string().min(1),
  state: SubscriptionState,
  /** The platforms of this campaign the person picked. */
  platforms: z.array(PlatformId),
  /** Platforms a confirmed subscription gains once the person confirms a later sign-up. */
  pendingPlatforms: z.array(PlatformId).optional(),
  /** When each platform was marked done ("I've objected"). */
  objections: z.partialRecord(PlatformId, z.iso.datetime()).default({}),
  createdAt: z.iso.datetime(),
  confirmedAt: z.iso.datetime().optional(),
  endedAt: z.iso.datetime().optional(),
  /** Countdown steps due at or before this instant are over (sent or passed over). */
  handledUntil: z.iso.datetime().optional(),
  /** A pending subscription is ignored from this instant on, before TTL removes it. */
  expiresAt: z.iso.datetime().optional(),
  layout: z.number().int().default(TABLE_LAYOUT_VERSION),
});
export type Subscription = z.infer<typeof Subscription>;

/** The picked platforms not yet marked done, in the order they were picked. */
export function platformsLeft(subscription: Pick<Subscription, 'platforms' | 'objections'>): PlatformId[] {
  return subscription.platforms.filter((platform) => subscription.objections[platform] === undefined);
}

/** Whether a pending subscription has run out of time to be confirmed. */
export function isSubscriptionExpired(subscription: Pick<Subscription, 'state' | 'expiresAt'>, now: Date): boolean {
  return subscription.state === 'pending' && subscription.expiresAt !== undefined && Date.parse(subscription.expiresAt) <= now.getTime();
}

/**
 * Marks one platform done. Idempotent: a second call keeps the first time.
 * Refuses a platform the person did not pick for this campaign.
 */
export function recordObjection<S extends Pick<Subscription, 'platforms' | 'objections'>>(subscription: S, platform: PlatformId, now: Date): S {
  if (!subscription.platforms.includes(platform)) {
    throw new DomainError('input', 'platform_not_picked', 'This platform is not on your list.');
  }
  if (subscription.objections[platform]) return subscription;
  return { ...subscription, objections: { ...subscription.objections, [platform]: now.toISOString() } };
}

/** Undoes a platform's "done", so its reminders resume. */
export function undoObjection<S extends Pick<Subscription, 'objections'>>(subscription: S, platform: PlatformId): S {
  const { [platform]: _removed, ...rest } = subscription.objections;
  return { ...subscription, objections: rest };
}

/** What the schedule needs of a person and their subscription: their zone, and when they confirmed it. */
export function scheduleReaderOf(person: { timeZone: string }, subscription: Pick<Subscription, 'confirmedAt'>): { timeZone: string; confirmedAt?: Date } {
  return { timeZone: person.timeZone, ...(subscription.confirmedAt ? { confirmedAt: new Date(subscription.confirmedAt) } : {}) };
}
