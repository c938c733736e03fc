import { domainToASCII } from 'node:url';
import * as z from 'zod';
import { DEFAULT_CAMPAIGN_TIME_ZONE, type Campaign } from './campaign.js';
import { localeOf, type Locale } from './locale.js';
import {
  isPlatformLapsed,
  mayResendConfirmation,
  PENDING_LIFETIME_DAYS,
  TABLE_LAYOUT_VERSION,
  transitionPerson,
  transitionPlatform,
  type ConsentRecord,
  type Person,
  type PersonFingerprint,
  type PersonPlatform,
} from './person.js';
import { PlatformId } from './platform.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE } from './stats.js';

import { canonicalTimeZone } from './time-zone.js';

/**
 * Bumped whenever the consent text changes, so each record says which wording was agreed to.
 * The words themselves live in each language's file (functions/locales/).
 */
export const CONSENT_TEXT_VERSION = '2026-12-v4';

/** The separate, optional consent to be told of new deadlines for the platforms a person uses. */
export const WATCH_CONSENT_TEXT_VERSION = '2026-12-w1';

/** What can be wrong with a sign-up field; each language words it (functions/locales/). */
export const SignupErrorCode = z.enum([
  'email_missing',
  'email_too_long',
  'email_invalid',
  'email_local_unsendable',
  'email_repeated',
  'platforms_missing',
  'platforms_unknown',
  'platforms_not_offered',
  'timezone_invalid',
  'timezone_repeated',
  'locale_invalid',
  'locale_repeated',
  'campaign_unknown',
  'consent_missing',
  'consent_repeated',
  'form_unreadable',
]);
export type SignupErrorCode = z.infer<typeof SignupErrorCode>;

const asList = (value: unknown) => (value === undefined || Array.isArray(value) ? value : [value]);

const lastOf = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value);

/**
 * A field that takes one value. A form that sends it twice (or JSON that sends a list) did not say
 * which one it meant: that is an error of its own, never the first or the last silently.
 */
const once = <T extends z.ZodType>(repeated: SignupErrorCode, schema: T) =>
  z.preprocess((value, ctx) => {
    if (!Array.isArray(value)) return value;
    ctx.addIssue({ code: 'custom', message: repeated, input: value });
    return z.NEVER;
  }, schema);

const checked = once('consent_repeated', z.union([z.literal(true), z.enum(['on', 'yes', 'true', '1'])], { error: 'consent_missing' }));

/**
 * A time zone as a person may type it, by its canonical IANA name (america/NEW_york →
 * America/New_York); an empty field is no zone. Its messages are error codes.
 */
export const TimeZoneField = once(
  'timezone_repeated',
  z
    .string({ error: 'timezone_invalid' })
    .trim()
    .max(64, 'timezone_invalid')
    .transform((zone, ctx) => {
      if (zone === '') return undefined;
      const canonical = canonicalTimeZone(zone);
      if (canonical !== undefined) return canonical;
      ctx.addIssue({ code: 'custom', message: 'timezone_invalid', input: zone });
      return z.NEVER;
    }),
);

/**
 * A language as a form or a client names it ("de", "de-AT", "DE"): one the service speaks, or the
 * error `locale_invalid`, never English in its place. An empty field names none.
 */
export const LocaleField = once(
  'locale_repeated',
  z
    .string({ error: 'locale_invalid' })
    .max(35, 'locale_invalid')
    .transform((tag, ctx) => {
      if (tag.trim() === '') return undefined;
      const locale = localeOf(tag);
      if (locale !== undefined) return locale;
      ctx.addIssue({ code: 'custom', message: 'locale_invalid', input: tag });
      return z.NEVER;
    }),
);

/**
 * The platforms a form picked: one value or many, each named once however often it was sent.
 * Its messages are error codes.
 */
export const PlatformsField = z
  .preprocess(asList, z.array(z.enum(PlatformId.options, { error: 'platforms_unknown' }), { error: 'platforms_missing' }).min(1, 'platforms_missing'))
  .transform((platforms) => [...new Set(platforms)]);

/** An optional tick: true only for an explicit yes, so `false`, "0" or a missing field mean no. */
export const explicitYes = z.preprocess((value) => {
  const last = lastOf(value);
  return last === true || (typeof last === 'string' && ['on', 'yes', 'true', '1'].includes(last.trim().toLowerCase()));
}, z.boolean());

/**
 * An email address as SES can send to it: an internationalised domain becomes its punycode
 * (bücher.de → xn--bcher-kva.de), each label at most 63 characters; a local part outside ASCII is
 * refused with its own code, since SES cannot deliver to it.
 *
 * @example
 * normaliseAddress('Probe@Bücher.de') // { ok: true, address: 'probe@xn--bcher-kva.de' }
 */
export function normaliseAddress(input: string): { ok: true; address: string } | { ok: false; code: SignupErrorCode } {
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) return { ok: false, code: 'email_invalid' };
  const local = input.slice(0, at);
  const domain = input.slice(at + 1).normalize('NFC');
  if (/[^\x00-\x7F]/.test(local)) return { ok: false, code: 'email_local_unsendable' };
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.split('.').some((label) => label.length === 0 || label.length > 63)) return { ok: false, code: 'email_invalid' };
  const address = `${local}@${ascii}`.toLowerCase();
  if (address.length > 254) return { ok: false, code: 'email_too_long' };
  return z.email().safeParse(address).success ? { ok: true, address } : { ok: false, code: 'email_invalid' };
}

/** The sign-up form's fields, as sent by the HTML form or as JSON. Messages are error codes. */
export const SignupRequest = z.object({
  email: once(
    'email_repeated',
    z
      .string({ error: 'email_missing' })
      .trim()
      .min(1, 'email_missing')
      .max(254, 'email_too_long')
      .transform((email, ctx) => {
        const normalised = normaliseAddress(email);
        if (normalised.ok) return normalised.address;
        ctx.addIssue({ code: 'custom', message: normalised.code });
        return z.NEVER;
      }),
  ),
  platforms: PlatformsField,
  timezone: TimeZoneField.optional(),
  locale: LocaleField.optional(),
  /** One or more campaigns; the form sends one per campaign it shows. */
  campaign: z
    .preprocess(asList, z.array(z.string({ error: 'campaign_unknown' }).trim().max(64, 'campaign_unknown'), { error: 'campaign_unknown' }).max(20, 'campaign_unknown'))
    .optional()
    .transform((ids) => ids?.filter((id) => id !== '')),
  consent: checked,
  /** The separate consent to be told when a new deadline opens for these platforms. */
  watch: explicitYes.optional(),
  website: z.string({ error: 'form_unreadable' }).max(1000, 'form_unreadable').optional(),
});
export type SignupRequest = z.infer<typeof SignupRequest>;

export interface Signup {
  email: string;
  /** Every platform ticked, in the order given. */
  platforms: PlatformId[];
  timeZone: string;
  locale: Locale;
  /** Asked to be told when a new deadline opens for these platforms. */
  watch: boolean;
  /** The honeypot was filled: answer as usual, store and send nothing. */
  isBot: boolean;
}

export type FieldErrors = Partial<Record<keyof SignupRequest, SignupErrorCode>>;

export type SignupResult = { ok: true; signup: Signup } | { ok: false; fields: FieldErrors; values: Record<string, unknown> };

const FALLBACK_CODES: Record<keyof SignupRequest, SignupErrorCode> = {
  email: 'email_invalid',
  platforms: 'platforms_unknown',
  timezone: 'timezone_invalid',
  locale: 'locale_invalid',
  campaign: 'campaign_unknown',
  consent: 'consent_missing',
  watch: 'form_unreadable',
  website: 'form_unreadable',
};

/**
 * The first error code of each field, from a schema whose messages are codes; a message that is
 * not a code (a check of a shared schema) becomes the field's fallback.
 */
export function fieldErrorsOf<F extends string>(issues: readonly z.core.$ZodIssue[], fallbacks: Record<F, SignupErrorCode>): Partial<Record<F, SignupErrorCode>> {
  const fields: Partial<Record<F, SignupErrorCode>> = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in fallbacks && !(field in fields)) {
      const code = SignupErrorCode.safeParse(issue.message);
      fields[field as F] = code.success ? code.data : fallbacks[field as F];
    }
  }
  return fields;
}

/**
/**
 * Validates a sign-up, with one error code per field. A person ticks the platforms they use, and
 * that is the whole choice. `campaign` (old links, `/c/<id>` pages) names the campaigns whose form
 * the person saw: then every platform must be one of theirs. Without a `locale` field, the
 * person's language is `options.locale` (the browser's).
 *
 * @example
 * parseSignup({ email: 'a@b.org', platforms: ['facebook', 'x'], consent: 'on' }, campaigns, { locale: 'de' })
 */
export function parseSignup(input: unknown, campaigns: readonly Campaign[], options: { locale: Locale }): SignupResult {
  const values = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const parsed = SignupRequest.safeParse(values);
  if (!parsed.success) {
    const fields: FieldErrors = fieldErrorsOf(parsed.error.issues, FALLBACK_CODES);
    if (Object.keys(fields).length === 0) fields.email = 'form_unreadable';
    return { ok: false, fields, values };
  }
  const request = parsed.data;
  if (request.campaign?.length) {
    const named = request.campaign.map((id) => campaigns.find((c) => c.id === id));
    const scope = named.filter((campaign): campaign is Campaign => campaign !== undefined);
    if (scope.length < named.length) return { ok: false, fields: { campaign: 'campaign_unknown' }, values };
    const offered = new Set(scope.flatMap((campaign) => campaign.platforms));
    if (!request.platforms.every((platform) => offered.has(platform))) return { ok: false, fields: { platforms: 'platforms_not_offered' }, values };
  }
  return {
    ok: true,
    signup: {
      email: request.email,
      platforms: request.platforms,
      timeZone: request.timezone ?? DEFAULT_CAMPAIGN_TIME_ZONE,
      locale: request.locale ?? options.locale,
      watch: request.watch === true,
      isBot: request.website !== undefined && request.website.trim() !== '',
    },
  };
}

/** Counters of one scope (PEOPLE_SCOPE, PLATFORMS_SCOPE) that move with the change they count. */
export type Counts = Record<string, Record<string, number>>;

/** A sign-up as the store writes it: the person, guarded by the version read. */
export interface SignupChange {
  person: Person;
  /** When the person item expires (DynamoDB TTL): the pending expiry, or the end of retention. */
  personExpiresAt: Date;
  /** The version read; undefined when nothing is stored for the address. */
  expectedVersion: number | undefined;
  counts: Counts;
}

/** What a sign-up does: the change to write (none for a suppressed or unchanged address), and whether a confirmation email goes out. */
export interface SignupPlan {
  change: SignupChange | undefined;
  sendConfirmation: boolean;
}

/** What the store holds for an address when a sign-up arrives. */
export interface StoredPerson {
  person?: Person | undefined;
  fingerprint?: PersonFingerprint | undefined;
  version: number | undefined;
}

const DAY_MS = 86_400_000;

/** A consent record of one submission of the form. */
function formConsent(kind: ConsentRecord['kind'], platforms: PlatformId[] | undefined, at: string): ConsentRecord {
  return {
    kind,
    ...(platforms ? { platforms } : {}),
    at,
    textVersion: kind === 'watch' ? WATCH_CONSENT_TEXT_VERSION : CONSENT_TEXT_VERSION,
    method: 'web-form',
  };
}

/**
 * The person's list with the platforms of a sign-up asked for: a platform not on it, dropped, or
 * pending past its lapse becomes pending now; one already pending or active stays as it is (asking
 * again never resets a mark). Returns the list and the platforms this sign-up added.
 */
export function askFor(current: readonly PersonPlatform[], asked: readonly PlatformId[], now: Date): { platforms: PersonPlatform[]; added: PlatformId[] } {
  const at = now.toISOString();
  const live = current.filter((entry) => !isPlatformLapsed(entry, now));
  const added = asked.filter((id) => !live.some((entry) => entry.id === id));
  const platforms = [
    ...live.map((entry) => (asked.includes(entry.id) ? { ...entry, state: transitionPlatform(entry.state, 'ask') as PersonPlatform['state'] } : entry)),
    ...added.map((id): PersonPlatform => ({ id, state: transitionPlatform('dropped', 'ask') as PersonPlatform['state'], askedAt: at })),
  ];
  return { platforms, added };
}

/**
 * Decides what a sign-up changes for the person behind an address, by their state. Sign-ups add,
 * never replace: a new (or returning) address becomes a pending person with the platforms ticked;
 * a pending person's list gains what this sign-up adds (the one confirmation link confirms it
 * all) and takes the newest zone and language; an active person's new platforms wait, pending,
 * for this sign-up's confirmation (so a stranger cannot add to their list); a suppressed address
 * gets nothing. Each submission that adds something keeps its own consent record. The
 * confirmation email follows the resend rule (mayResendConfirmation).
 *
 * @example
 * planSignup({ stored: { version: undefined }, signup, personId, generation: 'Gx12abcd', now, cooldownMinutes: 15 })
 */
export function planSignup(options: {
  stored: StoredPerson;
  signup: Signup;
  personId: string;
  /** A fresh generation, used when the person starts anew. */
  generation: string;
  now: Date;
  cooldownMinutes: number;
}): SignupPlan {
  const { stored, signup, personId, now } = options;
  const at = now.toISOString();
  const { person, fingerprint } = stored;
  const consents = (platforms: PlatformId[], watch: boolean) => [
    ...(platforms.length ? [formConsent('reminders', platforms, at)] : []),
    ...(watch ? [formConsent('watch', signup.platforms, at)] : []),
  ];

  if (fingerprint?.status === 'suppressed') return { change: undefined, sendConfirmation: false };

  if (!person) {
    const expiresAt = new Date(now.getTime() + PENDING_LIFETIME_DAYS * DAY_MS);
    const fresh: Person = {
      id: personId,
      generation: options.generation,
      status: transitionPerson(fingerprint?.status ?? 'pending', 'sign-up'),
      email: signup.email,
      locale: signup.locale,
      timeZone: signup.timeZone,
      platforms: askFor([], signup.platforms, now).platforms,
      watch: false,
      consents: consents(signup.platforms, signup.watch),
      confirmationMails: { count: 1, lastAt: at },
      createdAt: at,
      expiresAt: expiresAt.toISOString(),
      version: (stored.version ?? 0) + 1,
      layout: TABLE_LAYOUT_VERSION,
    };
    return {
      change: { person: fresh, personExpiresAt: expiresAt, expectedVersion: stored.version, counts: { [PEOPLE_SCOPE]: { signups: 1 } } },
      sendConfirmation: true,
    };
  }

  const { platforms, added } = askFor(person.platforms, signup.platforms, now);
  const watchAsked = signup.watch && !person.watch && !person.consents.some((c) => c.kind === 'watch' && c.confirmedAt === undefined);
  const settingsChanged = person.status === 'pending' && (person.locale !== signup.locale || person.timeZone !== signup.timeZone);
  const sendConfirmation = mayResendConfirmation(person.confirmationMails, now, options.cooldownMinutes);
  const waiting = platforms.some((p) => p.state === 'pending') || person.consents.some((c) => c.confirmedAt === undefined) || watchAsked;
  // A repeat of what is stored, with no email to send, changes nothing: concurrent repeats (a
  // double click, a storm) then settle at once instead of racing each other. An active person
  // with nothing new waiting gets no confirmation email either.
  if (added.length === 0 && !watchAsked && !settingsChanged && (!sendConfirmation || !waiting)) return { change: undefined, sendConfirmation: false };
  const confirmationMails = sendConfirmation && waiting ? { count: (person.confirmationMails?.count ?? 0) + 1, lastAt: at } : person.confirmationMails;
  const pendingUntil = person.status === 'pending' && person.expiresAt ? Date.parse(person.expiresAt) : now.getTime() + PENDING_LIFETIME_DAYS * DAY_MS;
  const next: Person = {
    ...person,
    status: transitionPerson(person.status, 'sign-up'),
    // Only a pending person's zone and language follow the newest form; an active person changes them on their own page.
    ...(person.status === 'pending' ? { locale: signup.locale, timeZone: signup.timeZone } : {}),
    platforms,
    consents: [...person.consents, ...consents(added, watchAsked)],
    ...(confirmationMails ? { confirmationMails } : {}),
    version: person.version + 1,
  };
  return {
    change: {
      person: next,
      personExpiresAt: new Date(Math.max(Date.parse(person.retainUntil ?? at), pendingUntil)),
      expectedVersion: stored.version,
      counts: {},
    },
    sendConfirmation: sendConfirmation && waiting,
  };
}

/**
 * The day's counts of one accepted form. Every form counts once on the people (`forms`), whatever
 * the address holds, so that a sign-up of a known or suppressed address makes the same writes as a
 * new one and its timing tells nothing. The change's own counts, and `sent_confirm` where a
 * confirmation goes out, come on top; each platform ticked counts as asked for.
 *
 * @example
 * formCounts(['instagram'], { change: undefined, sendConfirmation: false })
 * // { _people: { forms: 1 }, _platforms: { asked_instagram: 1 } }
 */
export function formCounts(platforms: readonly PlatformId[], plan: SignupPlan): Counts {
  const counts: Counts = { [PEOPLE_SCOPE]: { forms: 1 }, [PLATFORMS_SCOPE]: Object.fromEntries(platforms.map((p) => [`asked_${p}`, 1])) };
  const add = (scope: string, increments: Record<string, number>) => {
    const into = (counts[scope] ??= {});
    for (const [name, by] of Object.entries(increments)) into[name] = (into[name] ?? 0) + by;
  };
  const { change } = plan;
  if (!change) return counts;
  for (const [scope, increments] of Object.entries(change.counts)) add(scope, increments);
  if (plan.sendConfirmation) add(PEOPLE_SCOPE, { sent_confirm: 1 });
  return counts;
}
