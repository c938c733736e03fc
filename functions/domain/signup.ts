import { domainToASCII } from 'node:url';
import * as z from 'zod';
import { campaignsByDeadline, timeZoneOf, whatAppliesNow, type Campaign } from './campaign.js';
import { localeOf, type Locale } from './locale.js';
import {
  mayResendConfirmation,
  PENDING_LIFETIME_DAYS,
  TABLE_LAYOUT_VERSION,
  transitionPerson,
  type Person,
  type PersonFingerprint,
} from './person.js';
import { PlatformId } from './platform.js';
import { PEOPLE_SCOPE } from './stats.js';
import { transitionSubscription, type Subscription } from './subscription.js';

import { canonicalTimeZone } from './time-zone.js';

/**
 * Bumped whenever the consent text changes, so each record says which wording was agreed to.
 * The words themselves live in each language's file (functions/locales/).
 */
export const CONSENT_TEXT_VERSION = '2026-12-v3';

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

/** The platforms picked for one campaign. */
export interface CampaignPick {
  campaign: Campaign;
  platforms: PlatformId[];
}

export interface Signup {
  email: string;
  /** One entry per campaign that got at least one platform, in the order offered. */
  picks: CampaignPick[];
  timeZone: string;
  locale: Locale;
  /** Asked to be told when a new deadline opens for these platforms. */
  watch: boolean;
  /** Every platform ticked, whichever campaign took it. */
  platforms: PlatformId[];
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
 * Validates a sign-up against the campaigns on offer at `now`, with one error code per field.
 * The campaigns named in `campaign` are the ones the person could pick from (with none named,
 * each platform goes to the most current campaign covering it); each campaign that got a
 * platform becomes a pick, and a platform that none of them covers is an error. Without a
 * `locale` field, the person's language is `options.locale` (the browser's).
 *
 * @example
 * parseSignup({ email: 'a@b.org', platforms: 'facebook', consent: 'on' }, campaigns, now, { locale: 'de' })
 */
export function parseSignup(input: unknown, campaigns: readonly Campaign[], now: Date, options: { locale: Locale }): SignupResult {
  const values = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const parsed = SignupRequest.safeParse(values);
  if (!parsed.success) {
    const fields: FieldErrors = fieldErrorsOf(parsed.error.issues, FALLBACK_CODES);
    if (Object.keys(fields).length === 0) fields.email = 'form_unreadable';
    return { ok: false, fields, values };
  }
  const request = parsed.data;
  let picks: CampaignPick[];
  if (request.campaign?.length) {
    const named = request.campaign.map((id) => campaigns.find((c) => c.id === id));
    const scope = named.filter((campaign): campaign is Campaign => campaign !== undefined);
    if (scope.length < named.length) return { ok: false, fields: { campaign: 'campaign_unknown' }, values };
    picks = [...new Set(scope)].map((campaign) => ({ campaign, platforms: campaign.platforms.map((p) => p.id).filter((id) => request.platforms.includes(id)) }));
  } else {
    // No campaign named: each platform goes to what applies to it now.
    const order = campaignsByDeadline(campaigns, now);
    const owner = (platform: PlatformId) => whatAppliesNow(campaigns, platform, now)?.campaign;
    picks = order.map((campaign) => ({ campaign, platforms: campaign.platforms.map((p) => p.id).filter((id) => request.platforms.includes(id) && owner(id) === campaign) }));
  }
  picks = picks.filter((pick) => pick.platforms.length > 0);
  const covered = new Set(picks.flatMap((pick) => pick.platforms));
  const [first] = picks;
  if (!first || !request.platforms.every((platform) => covered.has(platform))) {
    return { ok: false, fields: { platforms: 'platforms_not_offered' }, values };
  }
  return {
    ok: true,
    signup: {
      email: request.email,
      picks,
      timeZone: request.timezone ?? timeZoneOf(first.campaign),
      locale: request.locale ?? options.locale,
      watch: request.watch === true,
      platforms: request.platforms,
      isBot: request.website !== undefined && request.website.trim() !== '',
    },
  };
}

/** Counters of one scope (a campaign, or PEOPLE_SCOPE) that move in the same write as the change they count. */
export type Counts = Record<string, Record<string, number>>;

/** A sign-up as the store writes it: one transaction, guarded by the version read. */
export interface SignupChange {
  person: Person;
  /** When the person item expires (DynamoDB TTL): the pending expiry, or the end of retention. */
  personExpiresAt: Date;
  /** The version read; undefined when nothing is stored for the address. */
  expectedVersion: number | undefined;
  /** New or renewed pending subscriptions. */
  put: Subscription[];
  /** Platforms that confirmed subscriptions gain once the person confirms. */
  pendingPlatforms: { campaignId: string; platforms: PlatformId[] }[];
  /** Campaigns whose pending subscription the newest sign-up no longer asks for. */
  remove: string[];
  counts: Counts;
}

/** What a sign-up does: the change to write (none for a suppressed or unchanged address), and whether a confirmation email goes out. */
export interface SignupPlan {
  change: SignupChange | undefined;
  sendConfirmation: boolean;
}

/** What the store holds for an address when a sign-up arrives. */
export interface StoredPerson {
  person?: Person;
  fingerprint?: PersonFingerprint;
  version: number | undefined;
  subscriptions: Subscription[];
}

const DAY_MS = 86_400_000;

const sameSet = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((item) => b.includes(item));

/**
 * Decides what a sign-up changes for the person behind an address, by their state: a new (or
 * returning) address becomes a pending person with a pending subscription per campaign; a pending
 * person takes the newest platforms, zone and language; an active person's new campaigns and
 * platforms wait, pending, for the confirmation of this sign-up (so a stranger cannot enrol them);
 * a suppressed address gets nothing. The confirmation email follows the resend rule
 * (mayResendConfirmation).
 *
 * @example
 * planSignup({ stored: { version: undefined, subscriptions: [] }, signup, personId, generation: 'Gx12abcd', now, cooldownMinutes: 15 })
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
  const consent = (kind: 'reminders' | 'watch') => ({
    kind,
    at,
    textVersion: kind === 'watch' ? WATCH_CONSENT_TEXT_VERSION : CONSENT_TEXT_VERSION,
    method: 'web-form' as const,
  });
  const asked = [consent('reminders'), ...(signup.watch ? [consent('watch')] : [])];
  const pendingSubscription = (pick: CampaignPick, expiresAt: string, createdAt = at): Subscription => ({
    personId,
    campaignId: pick.campaign.id,
    state: 'pending',
    platforms: pick.platforms,
    objections: {},
    createdAt,
    expiresAt,
    layout: TABLE_LAYOUT_VERSION,
  });
  const signupCounts = (campaignIds: string[], newPerson: boolean): Counts => ({
    ...(newPerson ? { [PEOPLE_SCOPE]: { signups: 1 } } : {}),
    ...Object.fromEntries(campaignIds.map((id) => [id, { signups: 1 }])),
  });
  const { person, fingerprint } = stored;

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
      platforms: signup.platforms,
      watch: false,
      consents: asked,
      confirmationMails: { count: 1, lastAt: at },
      createdAt: at,
      expiresAt: expiresAt.toISOString(),
      version: (stored.version ?? 0) + 1,
      layout: TABLE_LAYOUT_VERSION,
    };
    const put = signup.picks.map((pick) => pendingSubscription(pick, expiresAt.toISOString()));
    return {
      change: {
        person: fresh,
        personExpiresAt: expiresAt,
        expectedVersion: stored.version,
        put,
        pendingPlatforms: [],
        // Left by an expired pending sign-up: the new one replaces them.
        remove: stored.subscriptions.map((s) => s.campaignId).filter((id) => !put.some((p) => p.campaignId === id)),
        counts: signupCounts(put.map((s) => s.campaignId), true),
      },
      sendConfirmation: true,
    };
  }

  const sendConfirmation = mayResendConfirmation(person.confirmationMails, now, options.cooldownMinutes);
  const confirmationMails = sendConfirmation ? { count: (person.confirmationMails?.count ?? 0) + 1, lastAt: at } : person.confirmationMails;
  const existing = new Map(stored.subscriptions.map((s) => [s.campaignId, s]));

  if (person.status === 'pending') {
    // A repeat of what is stored, with no email to send, changes nothing: concurrent repeats (a
    // double click, a storm) then settle at once instead of racing each other.
    const same =
      person.locale === signup.locale &&
      person.timeZone === signup.timeZone &&
      sameSet(person.platforms, signup.platforms) &&
      person.consents.some((c) => c.kind === 'watch') === signup.watch &&
      stored.subscriptions.length === signup.picks.length &&
      signup.picks.every((pick) => sameSet(existing.get(pick.campaign.id)?.platforms ?? [], pick.platforms));
    if (same && !sendConfirmation) return { change: undefined, sendConfirmation: false };
    // Not confirmed yet: the newest sign-up is what the person wants.
    const expiresAt = person.expiresAt ?? new Date(now.getTime() + PENDING_LIFETIME_DAYS * DAY_MS).toISOString();
    const put = signup.picks.map((pick) => pendingSubscription(pick, expiresAt, existing.get(pick.campaign.id)?.createdAt));
    return {
      change: {
        person: {
          ...person,
          status: transitionPerson(person.status, 'sign-up'),
          locale: signup.locale,
          timeZone: signup.timeZone,
          platforms: signup.platforms,
          consents: asked,
          ...(confirmationMails ? { confirmationMails } : {}),
          version: person.version + 1,
        },
        personExpiresAt: new Date(expiresAt),
        expectedVersion: stored.version,
        put,
        pendingPlatforms: [],
        remove: [...existing.keys()].filter((id) => !put.some((p) => p.campaignId === id)),
        counts: signupCounts(put.map((s) => s.campaignId).filter((id) => !existing.has(id)), false),
      },
      sendConfirmation,
    };
  }

  // Active: what is new waits for this sign-up's confirmation.
  const expiresAt = new Date(now.getTime() + PENDING_LIFETIME_DAYS * DAY_MS).toISOString();
  const put: Subscription[] = [];
  const pendingPlatforms: SignupChange['pendingPlatforms'] = [];
  for (const pick of signup.picks) {
    const current = existing.get(pick.campaign.id);
    if (current?.state === 'confirmed') {
      const added = pick.platforms.filter((p) => !current.platforms.includes(p));
      const all = [...new Set([...(current.pendingPlatforms ?? []), ...added])];
      if (added.length > 0) pendingPlatforms.push({ campaignId: current.campaignId, platforms: all });
    } else {
      if (current) transitionSubscription(current.state, 'rejoin');
      put.push(pendingSubscription(pick, expiresAt, current?.state === 'pending' ? current.createdAt : at));
    }
  }
  const watchAsked = signup.watch && !person.watch;
  if (put.length === 0 && pendingPlatforms.length === 0 && !watchAsked) return { change: undefined, sendConfirmation: false };
  const confirmedConsents = person.consents.filter((c) => c.confirmedAt !== undefined);
  const newConsents = [...(put.length || pendingPlatforms.length ? [consent('reminders')] : []), ...(watchAsked ? [consent('watch')] : [])];
  return {
    change: {
      person: {
        ...person,
        status: transitionPerson(person.status, 'sign-up'),
        consents: [...confirmedConsents, ...newConsents],
        ...(confirmationMails ? { confirmationMails } : {}),
        version: person.version + 1,
      },
      personExpiresAt: new Date(Math.max(Date.parse(person.retainUntil ?? expiresAt), Date.parse(expiresAt))),
      expectedVersion: stored.version,
      put,
      pendingPlatforms,
      remove: [],
      counts: signupCounts(put.filter((s) => existing.get(s.campaignId)?.state !== 'pending').map((s) => s.campaignId), false),
    },
    sendConfirmation,
  };
}

/**
 * The day's counts of one accepted form. Every form counts once on the people and on each
 * campaign it picked (`forms`), whatever the address holds, so that a sign-up of a known or
 * suppressed address makes the same writes as a new one and its timing tells nothing. The
 * change's own counts, and `sent_confirm` where a confirmation goes out, come on top.
 *
 * @example
 * formCounts([{ campaign, platforms: ['instagram'] }], { change: undefined, sendConfirmation: false })
 * // { _people: { forms: 1 }, 'meta-ai-2025': { forms: 1 } }
 */
export function formCounts(picks: readonly CampaignPick[], plan: SignupPlan): Counts {
  const counts: Counts = { [PEOPLE_SCOPE]: { forms: 1 }, ...Object.fromEntries(picks.map((pick) => [pick.campaign.id, { forms: 1 }])) };
  const add = (scope: string, increments: Record<string, number>) => {
    const into = (counts[scope] ??= {});
    for (const [name, by] of Object.entries(increments)) into[name] = (into[name] ?? 0) + by;
  };
  const { change } = plan;
  if (!change) return counts;
  for (const [scope, increments] of Object.entries(change.counts)) add(scope, increments);
  if (plan.sendConfirmation) {
    for (const campaignId of new Set([...change.put.map((s) => s.campaignId), ...change.pendingPlatforms.map((p) => p.campaignId)])) add(campaignId, { sent_confirm: 1 });
  }
  return counts;
}
