import * as z from 'zod';
import { PlatformId } from './platform.js';

/** The kinds of email the service counts, each on the day its mail job was written. */
export const EmailKind = z.enum(['confirm', 'welcome', 'morning', 'announcement', 'newsletter']);
export type EmailKind = z.infer<typeof EmailKind>;

/**
 * The counters of people, one item per day under PEOPLE_SCOPE. Flat names, because DynamoDB's
 * ADD works on top-level attributes: `forms` (every accepted form, whatever the address holds),
 * `signups` (a new person), `confirmations`, the three ways of leaving, and `sent_<kind>`.
 */
export type PeopleCounter = 'forms' | 'signups' | 'confirmations' | 'unsubscribes' | 'erasures' | 'suppressions' | `sent_${EmailKind}`;

/** What happens to a platform on people's lists, counted per platform and day. */
export const PlatformEvent = z.enum(['asked', 'picked', 'done', 'dropped']);
export type PlatformEvent = z.infer<typeof PlatformEvent>;

/**
 * The counters of platforms, one item per day under PLATFORMS_SCOPE: `asked_<p>` (ticked on a
 * form), `picked_<p>` (joined a confirmed list), `done_<p>` (marked done; an undo subtracts one),
 * `dropped_<p>` (taken off a list).
 */
export type PlatformCounter = `${PlatformEvent}_${PlatformId}`;

/** The service's own counters: SES feedback knows an address, nothing else. */
export type FeedbackCounter = 'bounces' | 'soft_bounces' | 'complaints';

/** The scope of the people counters. */
export const PEOPLE_SCOPE = '_people';

/** The scope of the platform counters: asked for, picked (confirmed), done and dropped, by platform. */
export const PLATFORMS_SCOPE = '_platforms';

/** The scope of the feedback counters. */
export const FEEDBACK_SCOPE = '_feedback';

/** A day as the counters key it: the UTC calendar date. */
export function statsDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const count = z.number().int().catch(0).default(0);
/** One day's counters as the store hands them over: the day, and the counters by name. */
const DayItem = z.looseObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

const PEOPLE_COUNTS = ['forms', 'signups', 'confirmations', 'unsubscribes', 'erasures', 'suppressions'] as const;

/** The people counters of one day, with the emails by kind and their sum. */
export interface PeopleDay {
  date: string;
  forms: number;
  signups: number;
  confirmations: number;
  unsubscribes: number;
  erasures: number;
  suppressions: number;
  sent: number;
  sentByKind: Record<EmailKind, number>;
}

export interface PeopleStats {
  totals: Omit<PeopleDay, 'date'>;
  /** Only the days something was counted, in date order. */
  days: PeopleDay[];
}

/** What happened to one platform, on one day or in total. */
export type PlatformCounts = Record<PlatformEvent, number>;

/** The platforms that had anything counted that day; the others are absent, not zero. */
export interface PlatformDay {
  date: string;
  platforms: Partial<Record<PlatformId, PlatformCounts>>;
}

export interface PlatformStats {
  /** Every platform of the catalog, zero where nothing was counted, so a table lists them all. */
  totals: Record<PlatformId, PlatformCounts>;
  days: PlatformDay[];
}

export interface FeedbackDay {
  date: string;
  bounces: number;
  softBounces: number;
  complaints: number;
}

export interface FeedbackStats {
  totals: Omit<FeedbackDay, 'date'>;
  days: FeedbackDay[];
}

const byDate = <T extends { date: string }>(a: T, b: T) => a.date.localeCompare(b.date);

/**
 * Turns the people's stored day items into days in date order, with totals.
 *
 * @example
 * summarisePeople([{ date: '2026-12-06', forms: 3, signups: 2, sent_confirm: 2 }]).totals.sent // 2
 */
export function summarisePeople(items: readonly Record<string, unknown>[]): PeopleStats {
  const days = items
    .map((raw): PeopleDay => {
      const item = DayItem.parse(raw);
      const get = (name: string) => count.parse(item[name]);
      const sentByKind = Object.fromEntries(EmailKind.options.map((kind) => [kind, get(`sent_${kind}`)])) as Record<EmailKind, number>;
      const people = Object.fromEntries(PEOPLE_COUNTS.map((name) => [name, get(name)])) as Record<(typeof PEOPLE_COUNTS)[number], number>;
      return { date: item.date, ...people, sent: Object.values(sentByKind).reduce((sum, n) => sum + n, 0), sentByKind };
    })
    .sort(byDate);
  const sum = (pick: (day: PeopleDay) => number) => days.reduce((total, day) => total + pick(day), 0);
  return {
    totals: {
      ...(Object.fromEntries(PEOPLE_COUNTS.map((name) => [name, sum((day) => day[name])])) as Record<(typeof PEOPLE_COUNTS)[number], number>),
      sent: sum((day) => day.sent),
      sentByKind: Object.fromEntries(EmailKind.options.map((kind) => [kind, sum((day) => day.sentByKind[kind])])) as Record<EmailKind, number>,
    },
    days,
  };
}

const noCounts = (): PlatformCounts => ({ asked: 0, picked: 0, done: 0, dropped: 0 });

/**
 * Turns the platforms' stored day items into days in date order, with totals per platform.
 *
 * @example
 * summarisePlatforms([{ date: '2026-12-06', asked_x: 2, picked_x: 1 }]).totals.x // { asked: 2, picked: 1, done: 0, dropped: 0 }
 */
export function summarisePlatforms(items: readonly Record<string, unknown>[]): PlatformStats {
  const totals = Object.fromEntries(PlatformId.options.map((platform) => [platform, noCounts()])) as Record<PlatformId, PlatformCounts>;
  const days = items
    .map((raw): PlatformDay => {
      const item = DayItem.parse(raw);
      const platforms: PlatformDay['platforms'] = {};
      for (const platform of PlatformId.options) {
        const counts = Object.fromEntries(PlatformEvent.options.map((event) => [event, count.parse(item[`${event}_${platform}`])])) as PlatformCounts;
        if (PlatformEvent.options.every((event) => counts[event] === 0)) continue;
        platforms[platform] = counts;
        for (const event of PlatformEvent.options) totals[platform][event] += counts[event];
      }
      return { date: item.date, platforms };
    })
    .sort(byDate);
  return { totals, days };
}

/** Turns the feedback day items into days in date order, with totals. */
export function summariseFeedback(items: readonly Record<string, unknown>[]): FeedbackStats {
  const days = items
    .map((raw) => {
      const item = DayItem.parse(raw);
      return { date: item.date, bounces: count.parse(item.bounces), softBounces: count.parse(item.soft_bounces), complaints: count.parse(item.complaints) };
    })
    .sort(byDate);
  const sum = (pick: (day: FeedbackDay) => number) => days.reduce((total, day) => total + pick(day), 0);
  return { totals: { bounces: sum((d) => d.bounces), softBounces: sum((d) => d.softBounces), complaints: sum((d) => d.complaints) }, days };
}
