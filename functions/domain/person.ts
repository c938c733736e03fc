import * as z from 'zod';
import { TimeZone } from './campaign.js';
import { DomainError } from './errors.js';
import { Locale } from './locale.js';
import { PlatformId } from './platform.js';

/**
 * The layout of the items this code writes. Every person item carries it, so a later change of
 * shape can tell old items from new and migrate them as it reads them. 3: the platforms with their
 * marks live on the person (before: one subscription item per campaign).
 */
export const TABLE_LAYOUT_VERSION = 3;

/**
 * A person's life. Pending until they confirm a first sign-up; active while the service may mail
 * them; unsubscribed or erased after they left (only the suppression fingerprint stays); suppressed
 * after a hard bounce or a complaint, for good.
 */
export const PersonStatus = z.enum(['pending', 'active', 'unsubscribed', 'erased', 'suppressed']);
export type PersonStatus = z.infer<typeof PersonStatus>;

export const PersonEvent = z.enum(['sign-up', 'confirm', 'unsubscribe', 'erase', 'suppress']);
export type PersonEvent = z.infer<typeof PersonEvent>;

const PERSON_TRANSITIONS: Record<PersonStatus, Partial<Record<PersonEvent, PersonStatus>>> = {
  // Signing up again while pending adds to what waits for the one confirmation; it stays pending.
  pending: { 'sign-up': 'pending', confirm: 'active', unsubscribe: 'unsubscribed', erase: 'erased', suppress: 'suppressed' },
  // A confirmed person who signs up for more stays active; the addition waits for its own confirmation.
  active: { 'sign-up': 'active', confirm: 'active', unsubscribe: 'unsubscribed', erase: 'erased', suppress: 'suppressed' },
  // Leaving is undone only by a new sign-up with a fresh confirmation: it starts anew.
  unsubscribed: { 'sign-up': 'pending', unsubscribe: 'unsubscribed', erase: 'erased', suppress: 'suppressed' },
  erased: { 'sign-up': 'pending', unsubscribe: 'erased', erase: 'erased', suppress: 'suppressed' },
  // A bounced or complaining address is never mailed again.
  suppressed: { unsubscribe: 'suppressed', erase: 'suppressed', suppress: 'suppressed' },
};

/**
 * The person state machine. Refuses illegal moves with a `conflict` DomainError.
 *
 * @example
 * transitionPerson('pending', 'confirm') // 'active'
 */
export function transitionPerson(status: PersonStatus, event: PersonEvent): PersonStatus {
  const next = PERSON_TRANSITIONS[status][event];
  if (!next) throw new DomainError('conflict', 'illegal_transition', `A ${status} person cannot ${event}.`);
  return next;
}

/** What a person agreed to: reminders for the platforms they picked, or the watch for new deadlines. */
export const ConsentKind = z.enum(['reminders', 'watch']);
export type ConsentKind = z.infer<typeof ConsentKind>;

/**
 * Proof of consent (GDPR art. 7): what, when, which text, and how. Each addition keeps its own
 * record, so a later submission (perhaps a stranger's) never rewrites what the owner agreed to.
 */
export const ConsentRecord = z.object({
  kind: ConsentKind,
  /** The platforms this consent was given for. */
  platforms: z.array(PlatformId).optional(),
  at: z.iso.datetime(),
  textVersion: z.string().min(1),
  /** The sign-up form (confirmed by email), or the person's own preferences page (their link is the proof). */
  method: z.enum(['web-form', 'preferences']),
  /** Set when the person confirmed it; a consent never confirmed is no consent. */
  confirmedAt: z.iso.datetime().optional(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/**
 * A platform on a person's list: pending until the person confirms it (by email after a sign-up),
 * then active, with its own date and, once the person said so, the date they acted. Dropping it
 * takes it off the list, with its mark.
 */
export const PlatformState = z.enum(['pending', 'active', 'dropped']);
export type PlatformState = z.infer<typeof PlatformState>;

export const PlatformEvent = z.enum(['ask', 'confirm', 'drop']);
export type PlatformEvent = z.infer<typeof PlatformEvent>;

const PLATFORM_TRANSITIONS: Record<PlatformState, Partial<Record<PlatformEvent, PlatformState>>> = {
  // Asking again for a pending platform adds nothing; it waits for the same confirmation.
  pending: { ask: 'pending', confirm: 'active', drop: 'dropped' },
  // A platform already on the list stays as it is: asking again never resets its mark.
  active: { ask: 'active', drop: 'dropped' },
  // A dropped platform comes back only by being asked for again, and confirmed.
  dropped: { ask: 'pending', drop: 'dropped' },
};

/**
 * The state machine of a platform on a person's list. Refuses illegal moves with a `conflict` DomainError.
 *
 * @example
 * transitionPlatform('pending', 'confirm') // 'active'
 */
export function transitionPlatform(state: PlatformState, event: PlatformEvent): PlatformState {
  const next = PLATFORM_TRANSITIONS[state][event];
  if (!next) throw new DomainError('conflict', state === 'active' && event === 'confirm' ? 'already_confirmed' : 'illegal_transition', `A ${state} platform cannot ${event}.`);
  return next;
}

export const PersonPlatform = z.object({
  id: PlatformId,
  state: PlatformState.exclude(['dropped']),
  /** When the person last asked for it: a pending one lapses PENDING_LIFETIME_DAYS later. */
  askedAt: z.iso.datetime(),
  /** When it became active: a standing action's reminders count from this day. */
  addedAt: z.iso.datetime().optional(),
  /** When the person pressed "I've objected" (or "done" where there is nothing to object to). */
  doneAt: z.iso.datetime().optional(),
});
export type PersonPlatform = z.infer<typeof PersonPlatform>;

/** The confirmation emails sent for the sign-up waiting to be confirmed. */
export const ConfirmationMails = z.object({ count: z.number().int().min(0), lastAt: z.iso.datetime() });
export type ConfirmationMails = z.infer<typeof ConfirmationMails>;

/** One person, keyed by the keyed hash of their address: the unit the service mails. */
export const Person = z.object({
  /** The keyed hash of the address (hashAddress); names the person in keys and links. */
  id: z.string().min(1),
  /**
   * Changes whenever the person starts anew (a sign-up after leaving), so that links from before
   * never act on the new person.
   */
  generation: z.string().min(1),
  status: PersonStatus,
  email: z.string(),
  locale: Locale,
  timeZone: TimeZone,
  /** The platforms they use, each with its state and done mark, in the order they were added. */
  platforms: z.array(PersonPlatform),
  /** Tell them when a new objection deadline opens for their platforms. */
  watch: z.boolean().default(false),
  /** When they last said to keep watching (the confirmation, then each yearly "yes"). */
  watchKeptAt: z.iso.datetime().optional(),
  /** When the yearly question went out, unanswered so far. */
  watchAskedAt: z.iso.datetime().optional(),
  consents: z.array(ConsentRecord).default([]),
  confirmationMails: ConfirmationMails.optional(),
  createdAt: z.iso.datetime(),
  confirmedAt: z.iso.datetime().optional(),
  /** A pending person is ignored from this instant on, before TTL removes them. */
  expiresAt: z.iso.datetime().optional(),
  /** An active person's data is erased at this instant: a grace period after their last reminder, or the watch's year. */
  retainUntil: z.iso.datetime().optional(),
  /** Optimistic lock: every write of a person checks the version it read. */
  version: z.number().int().min(0),
  layout: z.number().int().default(TABLE_LAYOUT_VERSION),
});
export type Person = z.infer<typeof Person>;

/** What stays of a person who left or was suppressed: no address, no choices, only why and when. */
export const PersonFingerprint = z.object({
  id: z.string().min(1),
  status: z.enum(['unsubscribed', 'erased', 'suppressed']),
  /** Why, in a word: how they left, or the SES feedback that suppressed them (bounce, complaint, soft-bounce). */
  reason: z.string().min(1).max(32).optional(),
  changedAt: z.iso.datetime(),
  version: z.number().int().min(0),
});
export type PersonFingerprint = z.infer<typeof PersonFingerprint>;

/** How long an unconfirmed sign-up is kept. */
export const PENDING_LIFETIME_DAYS = 7;

/**
 * The rule against subscription bombing: a pending sign-up gets its first confirmation email at
 * once, then at most MAX_CONFIRMATION_MAILS in all, each resend only after a growing wait (the
 * cooldown, then four times it, then sixteen times). A stranger who keeps submitting someone's
 * address gets them a handful of emails, never a stream.
 */
export const MAX_CONFIRMATION_MAILS = 4;

/**
 * Whether another confirmation email may go out now for the sign-up waiting to be confirmed.
 *
 * @example
 * mayResendConfirmation({ count: 1, lastAt: '2025-05-01T10:00:00Z' }, new Date('2025-05-01T10:16:00Z'), 15) // true
 */
export function mayResendConfirmation(mails: ConfirmationMails | undefined, now: Date, cooldownMinutes: number): boolean {
  if (!mails || mails.count === 0) return true;
  if (mails.count >= MAX_CONFIRMATION_MAILS) return false;
  const waitMs = cooldownMinutes * 60_000 * 4 ** (mails.count - 1);
  return now.getTime() - Date.parse(mails.lastAt) >= waitMs;
}

/** A pending person past their expiry counts as gone, whether or not TTL has removed them yet. */
export function isPendingExpired(person: Pick<Person, 'status' | 'expiresAt'>, now: Date): boolean {
  return person.status === 'pending' && person.expiresAt !== undefined && Date.parse(person.expiresAt) <= now.getTime();
}

/** Whether the service may send this person anything at all. */
export function isMailable(person: Pick<Person, 'status'>): boolean {
  return person.status === 'active' || person.status === 'pending';
}

/** A person's platforms in a given state. */
export function platformsIn(person: Pick<Person, 'platforms'>, state: PersonPlatform['state']): PersonPlatform[] {
  return person.platforms.filter((platform) => platform.state === state);
}

/** Whether a pending platform has waited longer than a sign-up is kept without confirmation. */
export function isPlatformLapsed(platform: Pick<PersonPlatform, 'state' | 'askedAt'>, now: Date): boolean {
  return platform.state === 'pending' && Date.parse(platform.askedAt) + PENDING_LIFETIME_DAYS * 86_400_000 <= now.getTime();
}
