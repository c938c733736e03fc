import { DateTime } from 'luxon';
import type { Countdown } from '../domain/campaign.js';
import type { Locale } from '../domain/locale.js';
import type { SignupErrorCode } from '../domain/signup.js';
import { de } from './de.js';
import { en, type Text } from './en.js';

export type { Text } from './en.js';

/** One file per language; adding a language is adding its file here and to `Locale`. */
const TEXTS: Record<Locale, Text> = { en, de };

/**
 * Every word of the pages and emails in `locale`.
 *
 * @example
 * textFor('de').pages.save // 'Speichern'
 */
export function textFor(locale: Locale): Text {
  return TEXTS[locale];
}

/** Field errors as a JSON answer gives them: each code worded in the reader's language. */
export function wordFieldErrors(fields: Partial<Record<string, SignupErrorCode>>, text: Text): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([field, code]) => [field, code ? text.fieldErrors[code] : '']));
}

const LAST_MOMENT: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/**
 * The last moment to object in the reader's language and zone, e.g. "Monday 26 May 2025 at
 * 23:59 (Europe/Berlin)". The same Intl options as the form's script, so both say the same.
 */
export function formatLastMoment(countdown: Countdown, text: Text): string {
  return `${countdown.lastMoment.setLocale(text.intlLocale).toLocaleString(LAST_MOMENT)} (${countdown.lastMoment.zoneName})`;
}

/** A calendar day in the reader's language and zone, e.g. "12 May 2025" or "12. Mai 2025". */
export function formatDay(instant: string, timeZone: string, text: Text): string {
  return DateTime.fromISO(instant, { zone: timeZone }).setLocale(text.intlLocale).toLocaleString(DateTime.DATE_FULL);
}
