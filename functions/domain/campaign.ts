import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { DEFAULT_LOCALE, Locale } from './locale.js';
import { PlatformId } from './platform.js';

/** An IANA time zone name that Luxon (and so Intl) knows. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), { message: 'Pick a valid time zone, such as Europe/Berlin.' });

/** How a person objects on a platform, which decides what "done" means. */
export const ObjectionAction = z.enum(['form', 'setting', 'avoid-feature', 'covered-by', 'letter']);

export const PlatformGuide = z
  .object({
    id: PlatformId,
    name: z.string().min(1),
    action: ObjectionAction,
    formUrl: z.url({ protocol: /^https$/ }).optional(),
    doneMeans: z.string().min(1),
    steps: z.array(z.string().min(1).max(200)).min(1),
    note: z.string().min(1).optional(),
  })
  .strict()
  // A form needs its link; a setting may have a direct one; avoiding a feature has none.
  .refine((guide) => (guide.action === 'form' ? guide.formUrl !== undefined : guide.action === 'setting' || guide.formUrl === undefined), {
    message: 'A platform of action "form" needs a formUrl; only "form" and "setting" may have one.',
  });
export type PlatformGuide = z.infer<typeof PlatformGuide>;

/** A platform's guide in another language: the words only; links and actions stay the campaign's. */
const PlatformText = z
  .object({
    name: z.string().min(1).optional(),
    doneMeans: z.string().min(1),
    steps: z.array(z.string().min(1).max(200)).min(1),
    note: z.string().min(1).optional(),
  })
  .strict();

/** A campaign's words in another language, from templates/campaigns/<id>.<locale>.json. */
export const CampaignText = z
  .object({
    title: z.string().min(1),
    organisation: z.string().min(1).optional(),
    summary: z.string().min(1),
    region: z.string().min(1),
    afterDeadline: z.string().min(1),
    platforms: z.partialRecord(PlatformId, PlatformText),
  })
  .strict();
export type CampaignText = z.infer<typeof CampaignText>;

export const Campaign = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    title: z.string().min(1),
    organisation: z.string().min(1),
    summary: z.string().min(1),
    region: z.string().min(1),
    /** The deadline as announced: a local wall-clock time in the zone it was announced in. */
    deadline: z
      .object({
        local: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
        timeZone: TimeZone,
      })
      .strict()
      // Luxon moves a time skipped by DST forward; a deadline must name a time that exists.
      .refine((d) => DateTime.fromISO(d.local, { zone: d.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm") === d.local, {
        message: 'The deadline is not a valid local time in its zone.',
      }),
    afterDeadline: z.string().min(1),
    reminderOffsetsDays: z.array(z.number().int().min(0).max(90)).min(1).default([14, 7, 3, 1, 0]),
    sendHour: z.number().int().min(0).max(23).default(9),
    platforms: z.array(PlatformGuide).min(1),
    /** The same words in the other languages; the fields above are English. */
    translations: z.partialRecord(Locale, CampaignText).default({}),
  })
  .strict()
  .refine((c) => new Set(c.platforms.map((p) => p.id)).size === c.platforms.length, {
    message: 'A platform is listed twice.',
  })
  .refine((c) => Object.values(c.translations).every((text) => c.platforms.every((p) => text?.platforms[p.id] !== undefined)), {
    message: 'A translation must give the guide of every platform of the campaign.',
  });
export type Campaign = z.infer<typeof Campaign>;

/** The deadline as an instant. */
export function deadlineOf(campaign: Campaign): Date {
  return DateTime.fromISO(campaign.deadline.local, { zone: campaign.deadline.timeZone }).toJSDate();
}

export interface Countdown {
  /** Whole calendar days from today to the last day, in the reader's zone; 0 on the last day. */
  daysLeft: number;
  passed: boolean;
  /** The last moment to object, shown in the reader's zone (the minute before the deadline). */
  lastMoment: DateTime;
}

/**
 * Where `now` stands against the campaign's deadline, in the reader's time zone.
 *
 * @example
 * countdownTo(campaign, new Date('2025-05-20T08:00Z'), 'Europe/Berlin').daysLeft // 6
 */
export function countdownTo(campaign: Campaign, now: Date, timeZone: string): Countdown {
  const deadline = DateTime.fromJSDate(deadlineOf(campaign)).setZone(timeZone);
  const lastMoment = deadline.minus({ minutes: 1 });
  const today = DateTime.fromJSDate(now).setZone(timeZone).startOf('day');
  const daysLeft = Math.round(lastMoment.startOf('day').diff(today, 'days').days);
  return { daysLeft, passed: now.getTime() >= deadline.toMillis(), lastMoment };
}

const localized = new WeakMap<Campaign, Map<Locale, Campaign>>();

/**
 * The campaign with its words in `locale` (English where a translation is missing). The result
 * is cached per campaign object, since every email and page asks for it.
 *
 * @example
 * campaignIn(meta, 'de').platforms[0].steps[0] // "Öffne, bei Facebook angemeldet, …"
 */
export function campaignIn(campaign: Campaign, locale: Locale): Campaign {
  const text = campaign.translations[locale];
  if (locale === DEFAULT_LOCALE || !text) return campaign;
  let byLocale = localized.get(campaign);
  if (!byLocale) localized.set(campaign, (byLocale = new Map()));
  const cached = byLocale.get(locale);
  if (cached) return cached;
  const result: Campaign = {
    ...campaign,
    title: text.title,
    organisation: text.organisation ?? campaign.organisation,
    summary: text.summary,
    region: text.region,
    afterDeadline: text.afterDeadline,
    platforms: campaign.platforms.map((platform) => {
      const words = text.platforms[platform.id];
      if (!words) return platform;
      const { note: _englishNote, ...facts } = platform;
      return { ...facts, name: words.name ?? platform.name, doneMeans: words.doneMeans, steps: words.steps, ...(words.note ? { note: words.note } : {}) };
    }),
  };
  byLocale.set(locale, result);
  return result;
}

/** Campaigns still ahead of their deadline first (soonest first), then past ones (latest first). */
export function campaignsByDeadline(campaigns: readonly Campaign[], now: Date): Campaign[] {
  const open = campaigns.filter((c) => deadlineOf(c).getTime() > now.getTime()).sort((a, b) => deadlineOf(a).getTime() - deadlineOf(b).getTime());
  const past = campaigns.filter((c) => deadlineOf(c).getTime() <= now.getTime()).sort((a, b) => deadlineOf(b).getTime() - deadlineOf(a).getTime());
  return [...open, ...past];
}
