import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { DomainError } from './errors.js';
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
    afterDeadline: z.string().min(1).optional(),
    platforms: z.partialRecord(PlatformId, PlatformText),
  })
  .strict();
export type CampaignText = z.infer<typeof CampaignText>;

/** A day (`2026-06-10`, read in the campaign's zone) or an instant with its offset. */
export const CampaignTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
export type CampaignTime = z.infer<typeof CampaignTime>;

/** Where a campaign's facts come from; the build checks every link of its guides against these hosts. */
export const CampaignSource = z
  .object({
    url: z.url({ protocol: /^https$/ }),
    title: z.string().min(1).max(200),
  })
  .strict();
export type CampaignSource = z.infer<typeof CampaignSource>;

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

export const Campaign = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    title: z.string().min(1),
    organisation: z.string().min(1),
    summary: z.string().min(1),
    region: z.string().min(1),
    /** When the platform announced it: the campaign is neither listed nor mailed before. */
    announcedAt: CampaignTime,
    /** Without one the campaign is standing: a setting a person can switch off at any time. */
    deadline: Deadline.optional(),
    /** The zone of a standing campaign's dates; a deadline campaign uses its deadline's zone. */
    timeZone: TimeZone.optional(),
    /** What still helps once the deadline has passed; a deadline campaign needs it. */
    afterDeadline: z.string().min(1).optional(),
    /** Last day on the form (inclusive); `/c/<id>` keeps opening after it. Unset: listed for good. */
    listedUntil: CampaignTime.optional(),
    reminderOffsetsDays: z.array(z.number().int().min(0).max(90)).min(1).default([14, 7, 3, 1, 0]),
    /** A standing campaign's reminders: this many days after the person confirmed. */
    reminderDaysAfterConfirm: z.array(z.number().int().min(1).max(90)).min(1).max(10).default([3, 10]),
    sendHour: z.number().int().min(0).max(23).default(9),
    sources: z.array(CampaignSource).min(1),
    /** The day the facts of the guides were last checked against the sources. */
    checkedAt: z.iso.date(),
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
    path: ['translations'],
  })
  .refine((c) => c.deadline === undefined || (c.afterDeadline !== undefined && Object.values(c.translations).every((text) => text?.afterDeadline !== undefined)), {
    message: 'A campaign with a deadline needs its afterDeadline guidance, in every language.',
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
  const { deadline } = campaign;
  return deadline ? DateTime.fromISO(deadline.local, { zone: deadline.timeZone }).toJSDate() : undefined;
}

/** A day or an instant as an instant: a day starts, or with `edge: 'end'` ends, in the campaign's zone. */
/** When a campaign was announced, as an instant. */
export function announcedAtOf(campaign: Campaign): Date {
  return new Date(instantOf(campaign, campaign.announcedAt, 'start'));
}

function instantOf(campaign: Campaign, time: CampaignTime, edge: 'start' | 'end'): number {
  if (time.length > 10) return Date.parse(time);
  const day = DateTime.fromISO(time, { zone: timeZoneOf(campaign) });
  return (edge === 'start' ? day.startOf('day') : day.plus({ days: 1 }).startOf('day')).toMillis();
}

/**
 * Whether the platform has announced the campaign by `now`; before that it is neither listed nor
 * mailed, so a campaign may ship ahead of its announcement.
 */
export function isAnnounced(campaign: Campaign, now: Date): boolean {
  return now.getTime() >= instantOf(campaign, campaign.announcedAt, 'start');
}

/**
 * Whether the form at `/` offers the campaign at `now`: announced, and not past its `listedUntil`
 * (a day counts to its end). `/c/<id>` opens whatever this says.
 *
 * @example
 * isListed(meta, new Date('2026-12-01T12:00Z')) // false: its deadline passed long ago
 */
export function isListed(campaign: Campaign, now: Date): boolean {
  if (!isAnnounced(campaign, now)) return false;
  return campaign.listedUntil === undefined || now.getTime() < instantOf(campaign, campaign.listedUntil, 'end');
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
    ...(text.afterDeadline !== undefined ? { afterDeadline: text.afterDeadline } : {}),
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

/** When a campaign was announced, as an instant: the newer standing campaign comes first. */
const announcedMs = (campaign: Campaign) => instantOf(campaign, campaign.announcedAt, 'start');

/**
 * Campaigns still ahead of their deadline first (soonest first), then standing ones (latest
 * announced first), then past ones (latest first).
 */
export function campaignsByDeadline(campaigns: readonly Campaign[], now: Date): Campaign[] {
  const at = (c: Campaign) => deadlineOf(c)?.getTime() ?? 0;
  const open = campaigns.filter((c) => isOpen(c, now)).sort((a, b) => at(a) - at(b));
  const standing = campaigns.filter(isStanding).sort((a, b) => announcedMs(b) - announcedMs(a));
  const past = campaigns.filter((c) => !isStanding(c) && !isOpen(c, now)).sort((a, b) => at(b) - at(a));
  return [...open, ...standing, ...past];
}

/** What a person who uses a platform can do about it now, and from which campaign. */
export type Applicable =
  /** A deadline is open: count down to it. */
  | { kind: 'countdown'; campaign: Campaign }
  /** No deadline open, but a setting can be switched off now. */
  | { kind: 'standing'; campaign: Campaign }
  /** Only past deadlines: objecting late still protects what comes next. */
  | { kind: 'after-deadline'; campaign: Campaign };

/** What one campaign offers at `now`, listed or not: its countdown, its standing guide, or its after-deadline guidance. */
export function applicableOf(campaign: Campaign, now: Date): Applicable {
  return { kind: isOpen(campaign, now) ? 'countdown' : isStanding(campaign) ? 'standing' : 'after-deadline', campaign };
}

/**
 * What applies now to a person who uses `platform`: the listed campaign whose deadline comes
 * soonest, else the newest listed standing guide, else the announced campaign whose deadline
 * passed last (its after-deadline guidance, listed or not). Undefined when no campaign covers it.
 *
 * @example
 * whatAppliesNow(campaigns, 'x', new Date('2026-12-01T12:00Z')) // { kind: 'standing', campaign: x-grok-2026 }
 */
export function whatAppliesNow(campaigns: readonly Campaign[], platform: PlatformId, now: Date): Applicable | undefined {
  const covering = campaigns.filter((c) => isAnnounced(c, now) && c.platforms.some((p) => p.id === platform));
  // A past deadline's guidance still helps after the campaign has left the form.
  const [first] = campaignsByDeadline(covering, now).filter((c) => isListed(c, now) || (!isStanding(c) && !isOpen(c, now)));
  return first && applicableOf(first, now);
}
