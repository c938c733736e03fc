import * as z from 'zod';
import { activeCampaign, TimeZone, type Campaign } from './campaign.js';
import { PlatformId } from './platform.js';
import { Locale } from './subscriber.js';

/** Bumped whenever the consent text changes, so each record says which wording was agreed to. */
export const CONSENT_TEXT_VERSION = '2025-04-v1';
export const CONSENT_TEXT =
  'I agree that optout-countdown stores my email address, the platforms I picked, my time zone and language, ' +
  'to send me a confirmation, objection guides and deadline reminders for this campaign. ' +
  'I can unsubscribe or delete my data at any time with one click.';

const asList = (value: unknown) => (value === undefined || Array.isArray(value) ? value : [value]);

const checked = z.preprocess(
  (value) => (Array.isArray(value) ? value.at(-1) : value),
  z.union([z.literal(true), z.enum(['on', 'yes', 'true', '1'])], {
    error: 'Please tick the box to agree, so that we may send you the reminders.',
  }),
);

/** The sign-up form's fields, as sent by the HTML form or as JSON. */
export const SignupRequest = z.object({
  email: z
    .string({ error: 'Enter your email address.' })
    .trim()
    .min(1, 'Enter your email address.')
    .max(254, 'This email address is too long.')
    .pipe(z.email({ error: 'Enter an email address like name@example.org.' }))
    .transform((email) => email.toLowerCase()),
  platforms: z
    .preprocess(
      asList,
      z
        .array(z.enum(PlatformId.options, { error: 'Pick platforms from the list.' }), { error: 'Pick at least one platform.' })
        .min(1, 'Pick at least one platform.')
        .max(PlatformId.options.length, 'Pick each platform once.'),
    )
    .transform((platforms) => [...new Set(platforms)]),
  timezone: z.string().trim().max(64).optional().transform((zone) => (zone === '' ? undefined : zone)),
  locale: z.string().trim().max(35).optional(),
  campaign: z.string().trim().max(64).optional().transform((id) => (id === '' ? undefined : id)),
  consent: checked,
  website: z.string().max(1000).optional(),
});
export type SignupRequest = z.infer<typeof SignupRequest>;

export interface Signup {
  email: string;
  campaign: Campaign;
  platforms: PlatformId[];
  timeZone: string;
  locale: Locale;
  /** The honeypot was filled: answer as usual, store and send nothing. */
  isBot: boolean;
}

export type FieldErrors = Partial<Record<keyof SignupRequest, string>>;

export type SignupResult = { ok: true; signup: Signup } | { ok: false; fields: FieldErrors; values: Record<string, unknown> };

/** Picks the supported language for a requested one ("de-AT" → "de" when German exists). */
export function supportedLocale(requested: string | undefined): Locale {
  const language = requested?.toLowerCase().split(/[-_]/)[0];
  const parsed = Locale.safeParse(language);
  return parsed.success ? parsed.data : 'en';
}

/**
 * Validates a sign-up against the campaigns on offer at `now`, with one message per field.
 *
 * @example
 * parseSignup({ email: 'a@b.org', platforms: 'facebook', consent: 'on' }, campaigns, now)
 */
export function parseSignup(input: unknown, campaigns: readonly Campaign[], now: Date): SignupResult {
  const values = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const parsed = SignupRequest.safeParse(values);
  const fields: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in SignupRequest.shape && !(field in fields)) {
        fields[field as keyof SignupRequest] = issue.message;
      }
    }
    if (Object.keys(fields).length === 0) fields.email = 'The form could not be read. Please try again.';
    return { ok: false, fields, values };
  }
  const request = parsed.data;
  const campaign = request.campaign === undefined ? activeCampaign(campaigns, now) : campaigns.find((c) => c.id === request.campaign);
  if (!campaign) return { ok: false, fields: { campaign: 'There is no such campaign.' }, values };
  const offered = new Set(campaign.platforms.map((p) => p.id));
  if (!request.platforms.every((platform) => offered.has(platform))) {
    return { ok: false, fields: { platforms: `Pick platforms that ${campaign.title} covers.` }, values };
  }
  let timeZone = campaign.deadline.timeZone;
  if (request.timezone !== undefined) {
    const zone = TimeZone.safeParse(request.timezone);
    if (!zone.success) return { ok: false, fields: { timezone: 'Pick a valid time zone, such as Europe/Berlin.' }, values };
    timeZone = zone.data;
  }
  return {
    ok: true,
    signup: {
      email: request.email,
      campaign,
      platforms: campaign.platforms.map((p) => p.id).filter((id) => request.platforms.includes(id)),
      timeZone,
      locale: supportedLocale(request.locale),
      isBot: request.website !== undefined && request.website.trim() !== '',
    },
  };
}
