import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
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
  .refine((guide) => (guide.action === 'form') === (guide.formUrl !== undefined), {
    message: 'A platform has a formUrl exactly when its action is "form".',
  });
export type PlatformGuide = z.infer<typeof PlatformGuide>;

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
  })
  .strict()
  .refine((c) => new Set(c.platforms.map((p) => p.id)).size === c.platforms.length, {
    message: 'A platform is listed twice.',
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

/** "7 days left", "1 day left", "Last day" or "The deadline has passed". */
export function describeCountdown(countdown: Countdown): string {
  if (countdown.passed) return 'The deadline has passed';
  if (countdown.daysLeft <= 0) return 'Last day';
  return countdown.daysLeft === 1 ? '1 day left' : `${countdown.daysLeft} days left`;
}

/** The last moment to object, e.g. "Monday 26 May 2025, 23:59 (Europe/Berlin)". */
export function describeLastMoment(countdown: Countdown, locale = 'en-GB'): string {
  const when = countdown.lastMoment.setLocale(locale).toFormat('cccc d LLLL yyyy, HH:mm');
  return `${when} (${countdown.lastMoment.zoneName})`;
}

/** The campaign that is open at `now`, or the one whose deadline is closest if none is. */
export function activeCampaign(campaigns: readonly Campaign[], now: Date): Campaign {
  const open = campaigns
    .filter((c) => deadlineOf(c).getTime() > now.getTime())
    .sort((a, b) => deadlineOf(a).getTime() - deadlineOf(b).getTime());
  const latest = [...campaigns].sort((a, b) => deadlineOf(b).getTime() - deadlineOf(a).getTime());
  const chosen = open[0] ?? latest[0];
  if (!chosen) throw new Error('No campaign is configured.');
  return chosen;
}
