import * as z from 'zod';
import { campaignsByDeadline, TimeZone, timeZoneOf, whatAppliesNow, type Campaign } from './campaign.js';
import { supportedLocale, type Locale } from './locale.js';
import { PlatformId } from './platform.js';

export { supportedLocale } from './locale.js';

/**
 * Bumped whenever the consent text changes, so each record says which wording was agreed to.
 * The words themselves live in each language's file (functions/locales/).
 */
export const CONSENT_TEXT_VERSION = '2026-11-v2';

/** Bumped whenever the words of the separate `watch` consent change (new deadlines for these platforms). */
export const WATCH_CONSENT_TEXT_VERSION = '2026-12-v1';

/** What can be wrong with a sign-up field; each language words it (functions/locales/). */
export const SignupErrorCode = z.enum([
  'email_missing',
  'email_too_long',
  'email_invalid',
  'platforms_missing',
  'platforms_unknown',
  'platforms_not_offered',
  'timezone_invalid',
  'locale_invalid',
  'campaign_unknown',
  'consent_missing',
  'form_unreadable',
]);
export type SignupErrorCode = z.infer<typeof SignupErrorCode>;

const asList = (value: unknown) => (value === undefined || Array.isArray(value) ? value : [value]);

const checked = z.preprocess(
  (value) => (Array.isArray(value) ? value.at(-1) : value),
  z.union([z.literal(true), z.enum(['on', 'yes', 'true', '1'])], { error: 'consent_missing' }),
);

/** The sign-up form's fields, as sent by the HTML form or as JSON. Messages are error codes. */
export const SignupRequest = z.object({
  email: z
    .string({ error: 'email_missing' })
    .trim()
    .min(1, 'email_missing')
    .max(254, 'email_too_long')
    .pipe(z.email({ error: 'email_invalid' }))
    .transform((email) => email.toLowerCase()),
  platforms: z
    .preprocess(
      asList,
      z
        .array(z.enum(PlatformId.options, { error: 'platforms_unknown' }), { error: 'platforms_missing' })
        .min(1, 'platforms_missing')
        .max(PlatformId.options.length * 2, 'platforms_unknown'),
    )
    .transform((platforms) => [...new Set(platforms)]),
  timezone: z.string({ error: 'timezone_invalid' }).trim().max(64, 'timezone_invalid').optional().transform((zone) => (zone === '' ? undefined : zone)),
  locale: z.string({ error: 'locale_invalid' }).trim().max(35, 'locale_invalid').optional(),
  /** One or more campaigns; the form sends one per campaign it shows. */
  campaign: z
    .preprocess(asList, z.array(z.string({ error: 'campaign_unknown' }).trim().max(64, 'campaign_unknown'), { error: 'campaign_unknown' }).max(20, 'campaign_unknown'))
    .optional()
    .transform((ids) => ids?.filter((id) => id !== '')),
  consent: checked,
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
 * platform becomes a pick, and a platform that none of them covers is an error.
 *
 * @example
 * parseSignup({ email: 'a@b.org', platforms: 'facebook', consent: 'on' }, campaigns, now)
 */
export function parseSignup(input: unknown, campaigns: readonly Campaign[], now: Date): SignupResult {
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
  let timeZone = timeZoneOf(first.campaign);
  if (request.timezone !== undefined) {
    const zone = TimeZone.safeParse(request.timezone);
    if (!zone.success) return { ok: false, fields: { timezone: 'timezone_invalid' }, values };
    timeZone = zone.data;
  }
  return {
    ok: true,
    signup: {
      email: request.email,
      picks,
      timeZone,
      locale: supportedLocale(request.locale),
      isBot: request.website !== undefined && request.website.trim() !== '',
    },
  };
}
