import * as z from 'zod';
import { TimeZone } from './campaign.js';
import { DomainError } from './errors.js';
import { Locale } from './locale.js';
import { PlatformId } from './platform.js';

/**
 * The layout of the items this code writes. Every person and subscription item carries it, so a
 * later change of shape can tell old items from new and migrate them as it reads them.
 */
export const TABLE_LAYOUT_VERSION = 2;

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
  // Signing up again while pending takes the newest choices; it stays pending.
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

/** What a person agreed to: the reminders of the campaigns they picked, or the watch for new deadlines. */
export const ConsentKind = z.enum(['reminders', 'watch']);
export type ConsentKind = z.infer<typeof ConsentKind>;

/** Proof of consent (GDPR art. 7): what, when, which text, and how. */
export const ConsentRecord = z.object({
  kind: ConsentKind,
  at: z.iso.datetime(),
  textVersion: z.string().min(1),
  method: z.literal('web-form'),
  /** Set when the person confirmed it by email; a consent never confirmed is no consent. */
  confirmedAt: z.iso.datetime().optional(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

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
  /** The platforms they use, across campaigns. */
  platforms: z.array(PlatformId),
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
  /** An active person's data is erased at this instant: the end of the last of their campaigns' retention. */
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
