import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { DomainError } from './errors.js';
import { DEFAULT_LOCALE, Locale } from './locale.js';
import { PlatformId, Source } from './platform.js';

/** Zones found valid: Luxon asks Intl anew on every check, and every person read is checked. */
const knownZones = new Set<string>();
function isKnownZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  const valid = IANAZone.isValidZone(zone);
  if (valid) knownZones.add(zone);
  return valid;
}

/** An IANA time zone name that Luxon (and so Intl) knows. */
export const TimeZone = z.string().min(1).max(64).refine(isKnownZone, { message: 'Pick a valid time zone, such as Europe/Berlin.' });

/** A campaign's words in another language, from templates/campaigns/<id>.<locale>.json. */
export const CampaignText = z
  .object({
    title: z.string().min(1),
    organisation: z.string().min(1).optional(),
    summary: z.string().min(1),
    region: z.string().min(1),
    afterDeadline: z.string().min(1).optional(),
  })
  .strict();
export type CampaignText = z.infer<typeof CampaignText>;

/** A day (`2026-06-10`, read in the campaign's zone) or an instant with its offset. */
export const CampaignTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
export type CampaignTime = z.infer<typeof CampaignTime>;

/** Where a campaign's facts come from; the build checks every link in its words against these hosts. */
export const CampaignSource = Source;
export type CampaignSource = Source;

/** An objection deadline as announced: a local wall-clock time in the zone it was announced in. */
export const Deadline = z
  .object({
    local: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
    timeZone: TimeZone,
    /** Bumped by the operator each time the deadline moves: the calendar event's SEQUENCE. */
    revision: z.number().int().min(0).default(0),
  })
  .strict()
  // Luxon moves a time skipped by DST forward; a deadline must name a time that exists.
  .refine((d) => DateTime.fromISO(d.local, { zone: d.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm") === d.local, {
    message: 'The deadline is not a valid local time in its zone.',
  });
export type Deadline = z.infer<typeof Deadline>;

/** The zone a campaign without a deadline, and without a zone of its own, reads its dates in. */
export const DEFAULT_CAMPAIGN_TIME_ZONE = 'Europe/Berlin';

/**
 * A campaign: a dated event that changes what people can do about some platforms for a while, such
 * as a deadline to object before. A campaign without a deadline is standing: it tells since when a
 * setting matters. The guides are the platforms' own (templates/platforms/); a campaign says when
 * and why, and which platforms it covers.
 */
export const Campaign = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    title: z.string().min(1),
    organisation: z.string().min(1),
    summary: z.string().min(1),
    region: z.string().min(1),
    /** When the platform announced it: the campaign is neither shown nor mailed before. */
    announcedAt: CampaignTime,
    /** Without one the campaign is standing: a setting a person can switch off at any time. */
    deadline: Deadline.optional(),
    /** The zone of a standing campaign's dates; a deadline campaign uses its deadline's zone. */
    timeZone: TimeZone.optional(),
    /** Once the deadline has passed, what it meant, in one sentence of history; a deadline campaign needs it. */
    afterDeadline: z.string().min(1).max(400).optional(),
    /**
     * Whether an "I've objected" made before this campaign was announced still counts for it. False
     * when the platform asks everyone to object again: the platform is on the person's list again.
     */
    earlierMarksCount: z.boolean().default(true),
    reminderOffsetsDays: z.array(z.number().int().min(0).max(90)).min(1).default([14, 7, 3, 1, 0]),
    sources: z.array(CampaignSource).min(1),
    /** The day the facts were last checked against the sources. */
    checkedAt: z.iso.date(),
    platforms: z.array(PlatformId).min(1),
    /** The same words in the other languages; the fields above are English. */
    translations: z.partialRecord(Locale, CampaignText).default({}),
  })
  .strict()
  .refine((c) => new Set(c.platforms).size === c.platforms.length, {
    message: 'A platform is listed twice.',
  })
  .refine((c) => c.deadline === undefined || (c.afterDeadline !== undefined && Object.values(c.translations).every((text) => text?.afterDeadline !== undefined)), {
    message: 'A campaign with a deadline needs its afterDeadline sentence, in every language.',
    path: ['afterDeadline'],
  })
  .refine((c) => c.deadline === undefined || c.timeZone === undefined || c.timeZone === c.deadline.timeZone, {
    message: "A deadline campaign's timeZone is its deadline's; give it once.",
    path: ['timeZone'],
  });
export type Campaign = z.infer<typeof Campaign>;

/** A standing campaign has no deadline: its setting can be switched off at any time. */
export function isStanding(campaign: Campaign): boolean {
  return campaign.deadline === undefined;
}

/** The zone a campaign's dates are read in: its deadline's, else its own, else Berlin. */
export function timeZoneOf(campaign: Campaign): string {
  return campaign.deadline?.timeZone ?? campaign.timeZone ?? DEFAULT_CAMPAIGN_TIME_ZONE;
}

/**
 * The deadline as an instant; undefined for a standing campaign.
 *
 * @example
 * deadlineOf(meta)?.toISOString() // '2025-05-26T22:00:00.000Z'
 */
export function deadlineOf(campaign: Campaign): Date | undefined {
  const { deadline } = instantsOf(campaign);
  return deadline === undefined ? undefined : new Date(deadline);
}

/** When a campaign was announced, as an instant. */
export function announcedAtOf(campaign: Campaign): Date {
  return new Date(instantsOf(campaign).announcedAt);
}

/**
 * A campaign's deadline and announcement as epoch milliseconds, read once per campaign: every
 * schedule asks for them, for every person, and reading a local time in a zone is costly.
 */
const instantsByCampaign = new WeakMap<Campaign, { deadline: number | undefined; announcedAt: number }>();
function instantsOf(campaign: Campaign): { deadline: number | undefined; announcedAt: number } {
  let instants = instantsByCampaign.get(campaign);
  if (!instants) {
    const { deadline } = campaign;
    instants = {
      deadline: deadline ? DateTime.fromISO(deadline.local, { zone: deadline.timeZone }).toMillis() : undefined,
      announcedAt: instantOf(campaign, campaign.announcedAt),
    };
    instantsByCampaign.set(campaign, instants);
  }
  return instants;
}

/** A day (read at its start in the campaign's zone) or an instant, as epoch milliseconds. */
function instantOf(campaign: Campaign, time: CampaignTime): number {
  if (time.length > 10) return Date.parse(time);
  return DateTime.fromISO(time, { zone: timeZoneOf(campaign) }).startOf('day').toMillis();
}

/**
 * Whether the platform has announced the campaign by `now`; before that it is neither shown nor
 * mailed, so a campaign may ship ahead of its announcement.
 */
export function isAnnounced(campaign: Campaign, now: Date): boolean {
  return now.getTime() >= instantsOf(campaign).announcedAt;
}

/** Whether the campaign has a deadline still ahead of `now`. */
export function isOpen(campaign: Campaign, now: Date): boolean {
  const deadline = deadlineOf(campaign);
  return deadline !== undefined && deadline.getTime() > now.getTime();
}

export interface Countdown {
  /** Whole calendar days from today to the last day, in the reader's zone; 0 on the last day. */
  daysLeft: number;
  passed: boolean;
  /** The last moment to object, shown in the reader's zone (the minute before the deadline). */
  lastMoment: DateTime;
}

/**
 * Where `now` stands against the campaign's deadline, in the reader's time zone. Only for a
 * campaign with a deadline: a standing one throws.
 *
 * @example
 * countdownTo(campaign, new Date('2025-05-20T08:00Z'), 'Europe/Berlin').daysLeft // 6
 */
export function countdownTo(campaign: Campaign, now: Date, timeZone: string): Countdown {
  const instant = deadlineOf(campaign);
  // A caller that counts down a standing campaign has a bug: there is nothing to count to.
  if (!instant) throw new DomainError('conflict', 'campaign_standing', `Campaign ${campaign.id} has no deadline to count down to.`);
  const deadline = DateTime.fromJSDate(instant).setZone(timeZone);
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
 * campaignIn(meta, 'de').title // "Widerspruch gegen Metas KI-Training 2025"
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
    ...(text.afterDeadline !== undefined ? { afterDeadline: text.afterDeadline } : {}),
  };
  byLocale.set(locale, result);
  return result;
}

/** Whether the campaign covers the platform. */
export function covers(campaign: Pick<Campaign, 'platforms'>, platform: PlatformId): boolean {
  return campaign.platforms.includes(platform);
}

/**
 * The campaigns announced by `now`, ahead of their deadline first (soonest first), then standing
 * ones (latest announced first), then past ones (latest deadline first): the order a person's
 * pages list them in.
 */
export function campaignsByDeadline(campaigns: readonly Campaign[], now: Date): Campaign[] {
  const at = (c: Campaign) => deadlineOf(c)?.getTime() ?? 0;
  const announced = campaigns.filter((c) => isAnnounced(c, now));
  const open = announced.filter((c) => isOpen(c, now)).sort((a, b) => at(a) - at(b));
  const standing = announced.filter(isStanding).sort((a, b) => announcedAtOf(b).getTime() - announcedAtOf(a).getTime());
  const past = announced.filter((c) => !isStanding(c) && !isOpen(c, now)).sort((a, b) => at(b) - at(a));
  return [...open, ...standing, ...past];
}
