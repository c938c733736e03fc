import { createEvents, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import type { Campaign } from './campaign.js';
import { DomainError } from './errors.js';

/** Our PRODID: calendars show it as the file's origin. */
export const CALENDAR_PRODUCT_ID = '-//optout-countdown//deadline calendar//EN';

/** The alarm rings at this local hour on the day before the last day. */
const ALARM_HOUR = 9;

/** The words of the event in the reader's language (the locales' `calendar` block implements them). */
export interface CalendarWords {
  /** The event's title, e.g. "Last day to object: Meta AI training objection 2025". */
  summary: (title: string) => string;
  /** The event's text: the last moment, said in the reader's zone, and the link to act on. */
  description: (title: string, lastMoment: string, link: string) => string;
  /** What the alarm the day before says. */
  alarm: (title: string) => string;
  /** BCP 47 tag for the last moment's wording. */
  intlLocale: string;
}

/** A campaign as the calendar needs it: the deadline may be missing (a standing opt-out has none). */
export type CalendarCampaign = Pick<Campaign, 'id' | 'title'> & { deadline?: Campaign['deadline'] | undefined };

export interface CalendarRequest {
  campaign: CalendarCampaign;
  /** The reader's IANA zone: the last day is the calendar day of the last moment there. */
  timeZone: string;
  words: CalendarWords;
  /** Stable per (person, campaign), or per campaign for the public feed: the same UID updates the event. */
  uid: string;
  /** Rises when the deadline moves, so that calendars replace the event instead of keeping the old one. */
  sequence: number;
  /**
   * Where the reader finds the forms, put in the description and as the event's URL: a public page,
   * never a link with a token (calendars get synced and shared).
   */
  link: string;
  /** When the file is made (DTSTAMP). */
  now: Date;
}

const LAST_MOMENT: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/**
 * The last day to object, as a date in `timeZone`: the day of the minute before the deadline
 * (a deadline at 00:00 makes the day before the last one).
 *
 * @example
 * lastDayToObject({ local: '2025-05-27T00:00', timeZone: 'Europe/Berlin' }, 'Asia/Tokyo').toISODate() // '2025-05-27'
 */
export function lastDayToObject(deadline: Pick<NonNullable<Campaign['deadline']>, 'local' | 'timeZone'>, timeZone: string): DateTime {
  return DateTime.fromISO(deadline.local, { zone: deadline.timeZone }).setZone(timeZone).minus({ minutes: 1 });
}

/**
 * The deadline as a text/calendar file: one all-day event on the last day to object in the
 * reader's zone, an alarm at 09:00 the day before, the link in the description, our PRODID.
 * Pure: the UID, the SEQUENCE and the time of making are inputs.
 *
 * @throws DomainError not_found `campaign_without_deadline` for a standing opt-out.
 * @example
 * calendarFile({ campaign, timeZone: 'Europe/Berlin', words: textFor('en').calendar, uid, sequence: 0, link, now })
 */
export function calendarFile(request: CalendarRequest): string {
  const { campaign, timeZone, words, now } = request;
  if (!campaign.deadline) throw new DomainError('not_found', 'campaign_without_deadline', `Campaign "${campaign.id}" has no deadline.`);
  const lastMoment = lastDayToObject(campaign.deadline, timeZone);
  const day = lastMoment.startOf('day');
  const next = day.plus({ days: 1 });
  // ics does not type DTSTAMP's `timestamp`, and defaults it to Date.now(): ours comes from `now`.
  const event: EventAttributes & { timestamp: number } = {
    uid: request.uid,
    sequence: request.sequence,
    timestamp: now.getTime(),
    productId: CALENDAR_PRODUCT_ID,
    title: words.summary(campaign.title),
    description: words.description(campaign.title, `${lastMoment.setLocale(words.intlLocale).toLocaleString(LAST_MOMENT)} (${timeZone})`, request.link),
    url: request.link,
    start: [day.year, day.month, day.day],
    end: [next.year, next.month, next.day],
    // An all-day event starts at 00:00 local: 15 hours before is 09:00 the day before.
    alarms: [{ action: 'display', description: words.alarm(campaign.title), trigger: { hours: 24 - ALARM_HOUR, before: true } }],
    transp: 'TRANSPARENT',
    status: 'CONFIRMED',
  };
  const { error, value } = createEvents([event], { productId: CALENDAR_PRODUCT_ID, method: 'PUBLISH' });
  if (error || value === null) throw new DomainError('input', 'calendar_invalid', 'The calendar file could not be made.', { cause: error });
  return value;
}
