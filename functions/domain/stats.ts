import * as z from 'zod';
import { PlatformId } from './platform.js';

/** The kinds of email the service sends, each counted on the day it went out. */
export const EmailKind = z.enum(['confirm', 'welcome', 'morning', 'announcement', 'newsletter']);
export type EmailKind = z.infer<typeof EmailKind>;

/**
 * The counters of one campaign on one day. Flat names, because DynamoDB's ADD works on top-level
 * attributes: `sent_<kind>`, `picked_<platform>` (at confirmation), `done_<platform>` (an undo
 * subtracts one).
 */
export type CampaignCounter =
  | 'signups'
  | 'confirmations'
  | 'unsubscribes'
  | 'erasures'
  | `sent_${EmailKind}`
  | `picked_${PlatformId}`
  | `done_${PlatformId}`;

/** The service's own counters: SES feedback knows an address, not a campaign. */
export type FeedbackCounter = 'bounces' | 'soft_bounces' | 'complaints';

/** The counters of people, beside each campaign's counters of subscriptions. */
export type PeopleCounter = 'signups' | 'confirmations' | 'unsubscribes' | 'erasures' | 'suppressions';

/** The scope of the people counters. */
export const PEOPLE_SCOPE = '_people';

/** The scope of the platform counters: asked for, picked (confirmed), done and dropped, by platform. */
export const PLATFORMS_SCOPE = '_platforms';

/** The scope of the feedback counters, beside the campaigns' ids (which match /^[a-z0-9]/). */
export const FEEDBACK_SCOPE = '_feedback';

/** A day as the counters key it: the UTC calendar date. */
export function statsDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const count = z.number().int().catch(0).default(0);
/** One day's counters as the store hands them over: the day, and the counters by name. */
const DayItem = z.looseObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export interface CampaignDay {
  date: string;
  signups: number;
  confirmations: number;
  unsubscribes: number;
  erasures: number;
  sent: number;
  sentByKind: Record<EmailKind, number>;
  /** Platforms marked done that day (undos subtract). */
  done: Partial<Record<PlatformId, number>>;
}

export interface CampaignStats {
  totals: Omit<CampaignDay, 'date' | 'done'> & { platforms: Partial<Record<PlatformId, { picked: number; done: number }>> };
  days: CampaignDay[];
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

/** Turns a campaign's stored day items into days in date order, with totals. */
export function summariseCampaign(items: readonly Record<string, unknown>[]): CampaignStats {
  const platformsTotal: CampaignStats['totals']['platforms'] = {};
  const days = items
    .map((raw) => {
      const item = DayItem.parse(raw);
      const get = (name: string) => count.parse(item[name]);
      const sentByKind = Object.fromEntries(EmailKind.options.map((kind) => [kind, get(`sent_${kind}`)])) as Record<EmailKind, number>;
      const done: CampaignDay['done'] = {};
      for (const platform of PlatformId.options) {
        const picked = get(`picked_${platform}`);
        const doneThatDay = get(`done_${platform}`);
        if (doneThatDay !== 0) done[platform] = doneThatDay;
        if (picked !== 0 || doneThatDay !== 0) {
          const total = (platformsTotal[platform] ??= { picked: 0, done: 0 });
          total.picked += picked;
          total.done += doneThatDay;
        }
      }
      return {
        date: item.date,
        signups: get('signups'),
        confirmations: get('confirmations'),
        unsubscribes: get('unsubscribes'),
        erasures: get('erasures'),
        sent: Object.values(sentByKind).reduce((sum, n) => sum + n, 0),
        sentByKind,
        done,
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
  const sum = (pick: (day: CampaignDay) => number) => days.reduce((total, day) => total + pick(day), 0);
  return {
    totals: {
      signups: sum((d) => d.signups),
      confirmations: sum((d) => d.confirmations),
      unsubscribes: sum((d) => d.unsubscribes),
      erasures: sum((d) => d.erasures),
      sent: sum((d) => d.sent),
      sentByKind: Object.fromEntries(EmailKind.options.map((kind) => [kind, sum((d) => d.sentByKind[kind])])) as Record<EmailKind, number>,
      platforms: platformsTotal,
    },
    days,
  };
}

export interface PeopleStats {
  totals: Record<PeopleCounter, number>;
}

/** Adds up the people counters of every day. */
export function summarisePeople(items: readonly Record<string, unknown>[]): PeopleStats {
  const counters: PeopleCounter[] = ['signups', 'confirmations', 'unsubscribes', 'erasures', 'suppressions'];
  const totals = Object.fromEntries(counters.map((name) => [name, items.reduce((sum, item) => sum + count.parse(item[name]), 0)])) as Record<PeopleCounter, number>;
  return { totals };
}

/** Turns the feedback day items into days in date order, with totals. */
export function summariseFeedback(items: readonly Record<string, unknown>[]): FeedbackStats {
  const days = items
    .map((raw) => {
      const item = DayItem.parse(raw);
      return { date: item.date, bounces: count.parse(item.bounces), softBounces: count.parse(item.soft_bounces), complaints: count.parse(item.complaints) };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
  const sum = (pick: (day: FeedbackDay) => number) => days.reduce((total, day) => total + pick(day), 0);
  return { totals: { bounces: sum((d) => d.bounces), softBounces: sum((d) => d.softBounces), complaints: sum((d) => d.complaints) }, days };
}
