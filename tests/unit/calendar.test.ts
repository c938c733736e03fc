import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { CALENDAR_PRODUCT_ID, calendarFile, lastDayToObject, type CalendarRequest } from '../../functions/domain/calendar.js';
import { DomainError } from '../../functions/domain/errors.js';
import { textFor } from '../../functions/locales/index.js';
import { parseDeadlineEvent } from '../support/ical.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const words = (locale: 'en' | 'de') => ({ ...textFor(locale).calendar, intlLocale: textFor(locale).intlLocale });

const request = (overrides: Partial<CalendarRequest> = {}): CalendarRequest => ({
  campaign: meta,
  timeZone: 'Europe/Berlin',
  words: words('en'),
  uid: 'deadline-person-1-meta-ai-2025@optout.example',
  sequence: 0,
  link: 'https://optout.example/c/meta-ai-2025',
  now: new Date('2025-05-12T08:00:00Z'),
  ...overrides,
});

describe('calendarFile', () => {
  it('puts one all-day event on the last day to object in the reader zone', () => {
    // 00:00 on 27 May in Berlin is 18:00 on 26 May in New York and 07:00 on 27 May in Tokyo.
    const cases: [string, string][] = [
      ['Europe/Berlin', '20250526'],
      ['America/New_York', '20250526'],
      ['Asia/Tokyo', '20250527'],
    ];
    for (const [timeZone, day] of cases) {
      const { event, lines } = parseDeadlineEvent(calendarFile(request({ timeZone })));
      expect(event.datetype, timeZone).toBe('date');
      expect(lines, timeZone).toContain(`DTSTART;VALUE=DATE:${day}`);
      expect(lines.filter((line) => line.startsWith('DTEND')), timeZone).toHaveLength(1);
    }
  });

  it('rings an alarm at 09:00 on the day before', () => {
    const { event } = parseDeadlineEvent(calendarFile(request()));
    expect(event.alarms).toHaveLength(1);
    expect(event.alarms?.[0]?.action).toBe('DISPLAY');
    expect(event.alarms?.[0]?.trigger).toBe('-PT15H');
    expect(event.alarms?.[0]?.description).toContain('Tomorrow is the last day');
  });

  it('keeps the UID it is given across calls and carries the SEQUENCE it is given', () => {
    const first = parseDeadlineEvent(calendarFile(request({ sequence: 0 })));
    const moved = parseDeadlineEvent(calendarFile(request({ sequence: 3, now: new Date('2025-05-20T08:00:00Z') })));
    expect(first.event.uid).toBe('deadline-person-1-meta-ai-2025@optout.example');
    expect(moved.event.uid).toBe(first.event.uid);
    expect(first.event.sequence).toBe(0);
    expect(moved.event.sequence).toBe(3);
  });

  it('names the objection link and the last moment in the reader words, with our PRODID', () => {
    const text = calendarFile(request({ words: words('de') }));
    const { event, lines } = parseDeadlineEvent(text);
    expect(lines).toContain(`PRODID:${CALENDAR_PRODUCT_ID}`);
    expect(String(event.summary)).toBe('Letzter Tag für den Widerspruch: Meta AI training objection 2025');
    expect(String(event.description)).toContain('https://optout.example/c/meta-ai-2025');
    expect(String(event.description)).toContain('26. Mai 2025');
    expect(String(event.description)).toContain('23:59');
  });

  it('stamps the file with the time it is given, not the machine clock', () => {
    const { lines } = parseDeadlineEvent(calendarFile(request()));
    expect(lines).toContain('DTSTAMP:20250512T080000Z');
  });

  it('refuses a campaign without a deadline', () => {
    const standing = { id: 'x-grok-2026', title: 'X Grok' };
    expect(() => calendarFile(request({ campaign: standing }))).toThrow(DomainError);
  });
});

describe('lastDayToObject', () => {
  it('is the day before a midnight deadline, and the day itself for a deadline later in the day', () => {
    expect(lastDayToObject({ local: '2025-05-27T00:00', timeZone: 'Europe/Berlin' }, 'Europe/Berlin').toISODate()).toBe('2025-05-26');
    expect(lastDayToObject({ local: '2025-05-27T12:00', timeZone: 'Europe/Berlin' }, 'Europe/Berlin').toISODate()).toBe('2025-05-27');
  });
});
