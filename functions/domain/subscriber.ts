import * as z from 'zod';
import { TimeZone } from './campaign.js';
import { DomainError } from './errors.js';
import { Locale } from './locale.js';
import { PlatformId } from './platform.js';

/** A subscriber's life: pending until confirmed; leaving erases the personal data. */
export const SubscriberState = z.enum(['pending', 'confirmed', 'unsubscribed', 'erased', 'expired', 'suppressed']);
export type SubscriberState = z.infer<typeof SubscriberState>;

export const SubscriberEvent = z.enum(['confirm', 'unsubscribe', 'erase', 'expire', 'suppress']);
export type SubscriberEvent = z.infer<typeof SubscriberEvent>;

const TRANSITIONS: Record<SubscriberState, Partial<Record<SubscriberEvent, SubscriberState>>> = {
  pending: { confirm: 'confirmed', unsubscribe: 'unsubscribed', erase: 'erased', expire: 'expired', suppress: 'suppressed' },
  confirmed: { unsubscribe: 'unsubscribed', erase: 'erased', suppress: 'suppressed' },
  unsubscribed: {},
  erased: {},
  expired: {},
  suppressed: {},
};

/**
 * The subscriber state machine. Refuses illegal moves with a `conflict` DomainError.
 *
 * @example
 * transition('pending', 'confirm') // 'confirmed'
 */
export function transition(state: SubscriberState, event: SubscriberEvent): SubscriberState {
  const next = TRANSITIONS[state][event];
  if (!next) {
    const code = state === 'confirmed' && event === 'confirm' ? 'already_confirmed' : 'illegal_transition';
    throw new DomainError('conflict', code, `A ${state} subscriber cannot ${event}.`);
  }
  return next;
}

/** Proof of consent (GDPR art. 7): when, which text, and how. */
export const ConsentRecord = z.object({
  at: z.iso.datetime(),
  textVersion: z.string().min(1),
  method: z.literal('web-form'),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** One person's subscription to one campaign: the least data the service needs. */
export const Subscriber = z.object({
  id: z.string(),
  campaignId: z.string(),
  email: z.string(),
  state: SubscriberState,
  platforms: z.array(PlatformId).min(1),
  /** When each platform was marked done ("I've objected"). */
  objections: z.partialRecord(PlatformId, z.iso.datetime()).default({}),
  timeZone: TimeZone,
  locale: Locale,
  consent: ConsentRecord,
  createdAt: z.iso.datetime(),
  confirmedAt: z.iso.datetime().optional(),
  /** A pending sign-up is ignored from this instant on, before TTL removes it. */
  expiresAt: z.iso.datetime().optional(),
});
export type Subscriber = z.infer<typeof Subscriber>;

/** How long an unconfirmed sign-up is kept. */
export const PENDING_LIFETIME_DAYS = 7;

/** A pending sign-up past its expiry counts as gone, whether or not TTL has removed it yet. */
export function isExpired(subscriber: Pick<Subscriber, 'state' | 'expiresAt'>, now: Date): boolean {
  return subscriber.state === 'pending' && subscriber.expiresAt !== undefined && Date.parse(subscriber.expiresAt) <= now.getTime();
}

/** The picked platforms not yet marked done, in the order they were picked. */
export function platformsLeft(subscriber: Pick<Subscriber, 'platforms' | 'objections'>): PlatformId[] {
  return subscriber.platforms.filter((platform) => subscriber.objections[platform] === undefined);
}

/**
 * Marks one platform done. Idempotent: a second call keeps the first time.
 * Refuses a platform the subscriber did not pick.
 */
export function recordObjection<S extends Subscriber>(subscriber: S, platform: PlatformId, now: Date): S {
  if (!subscriber.platforms.includes(platform)) {
    throw new DomainError('input', 'platform_not_picked', 'This platform is not on your list.');
  }
  if (subscriber.objections[platform]) return subscriber;
  return { ...subscriber, objections: { ...subscriber.objections, [platform]: now.toISOString() } };
}

/** Undoes a platform's "done", so its reminders resume. */
export function undoObjection<S extends Subscriber>(subscriber: S, platform: PlatformId): S {
  const { [platform]: _removed, ...rest } = subscriber.objections;
  return { ...subscriber, objections: rest };
}
