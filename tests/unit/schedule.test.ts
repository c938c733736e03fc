import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign, deadlineOf } from '../../functions/domain/campaign.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { decideDue, morningsFor, SEND_HOUR, type Morning } from '../../functions/domain/schedule.js';
import { platforms } from '../../functions/platforms.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const ZONES = ['Europe/Berlin', 'Europe/London', 'Europe/Lisbon', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata'];
const local = (morning: Morning, zone: string) => DateTime.fromJSDate(morning.dueAt).setZone(zone);
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();
const reader = (timeZone: string, ...list: Array<[PlatformId, Date]>) => ({ timeZone, platforms: list.map(([id, addedAt]) => ({ id, addedAt })) });
/** Facebook added on 20 April 2025, during Meta's countdown. */
const early = new Date('2025-04-20T10:00:00Z');

describe('morningsFor a platform under a deadline', () => {
  it('times the Meta countdown at 09:00 Berlin on each day, then the morning after the deadline', () => {
    expect(morningsFor(reader('Europe/Berlin', ['facebook', early]), platforms, campaigns).map((m) => [m.id, m.dueAt.toISOString()])).toEqual([
      ['2025-05-12', '2025-05-12T07:00:00.000Z'],
      ['2025-05-19', '2025-05-19T07:00:00.000Z'],
      ['2025-05-23', '2025-05-23T07:00:00.000Z'],
      ['2025-05-25', '2025-05-25T07:00:00.000Z'],
      ['2025-05-26', '2025-05-26T07:00:00.000Z'],
      ['2025-05-27', '2025-05-27T07:00:00.000Z'],
    ]);
  });

  it('says why each morning goes out: the countdown, then the deadline that passed', () => {
    const reasons = morningsFor(reader('Europe/Berlin', ['facebook', early]), platforms, campaigns).map((m) => m.reasons.map((r) => r.kind).join());
    expect(reasons).toEqual(['countdown', 'countdown', 'countdown', 'countdown', 'countdown', 'after-deadline']);
  });

  it('sends at 09:00 local time in New York, where the last day ends at 18:00', () => {
    const mornings = morningsFor(reader('America/New_York', ['instagram', early]), platforms, campaigns);
    expect(mornings.map((m) => local(m, 'America/New_York').toFormat('yyyy-MM-dd HH:mm'))).toEqual([
      '2025-05-12 09:00',
      '2025-05-19 09:00',
      '2025-05-23 09:00',
      '2025-05-25 09:00',
      '2025-05-26 09:00',
      '2025-05-27 09:00',
    ]);
  });

  it('drops a last-day morning that would come after the deadline (Tokyo: deadline at 07:00)', () => {
    expect(morningsFor(reader('Asia/Tokyo', ['facebook', early]), platforms, campaigns).map((m) => m.id)).toEqual([
      '2025-05-13',
      '2025-05-20',
      '2025-05-24',
      '2025-05-26',
      '2025-05-27',
    ]);
  });

  it('keeps 09:00 local across a DST change', () => {
    // Europe switches to summer time on 30 March 2025, the US on 9 March.
    const moved = Campaign.parse({ ...meta, announcedAt: '2025-03-01', deadline: { local: '2025-04-03T00:00', timeZone: 'Europe/Berlin' } });
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      for (const morning of morningsFor(reader(zone, ['facebook', new Date('2025-03-01T10:00:00Z')]), platforms, [moved])) expect(local(morning, zone).hour).toBe(9);
    }
    const mornings = morningsFor(reader('Europe/Berlin', ['facebook', new Date('2025-03-01T10:00:00Z')]), platforms, [moved]);
    expect(mornings[1]?.dueAt.toISOString()).toBe('2025-03-26T08:00:00.000Z');
    expect(mornings[3]?.dueAt.toISOString()).toBe('2025-04-01T07:00:00.000Z');
  });

  it('counts down only from the announcement: before it, the platform has its standing mornings', () => {
    const late = Campaign.parse({ ...meta, announcedAt: '2025-05-21' });
    const mornings = morningsFor(reader('Europe/Berlin', ['facebook', early]), platforms, [late]);
    expect(mornings.map((m) => `${m.id} ${m.reasons[0]!.kind}`)).toEqual([
      '2025-04-23 standing',
      '2025-04-30 standing',
      '2025-05-23 countdown',
      '2025-05-25 countdown',
      '2025-05-26 countdown',
      '2025-05-27 after-deadline',
    ]);
  });

  it('leaves out what the welcome just said: nothing within 12 hours of adding a platform', () => {
    // Added at 01:00 Berlin on the 14-days morning: that morning is covered by the welcome.
    const mornings = morningsFor(reader('Europe/Berlin', ['facebook', berlin('2025-05-12T01:00')]), platforms, campaigns);
    expect(mornings[0]?.id).toBe('2025-05-19');
  });

  it('holds for any zone, deadline and offsets: in order, at 09:00, the countdown before the deadline and one morning after it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 6 }),
        (announcedIn, readerZone, instant, offsets) => {
          const localDeadline = DateTime.fromJSDate(instant).setZone(announcedIn).startOf('hour');
          const parsed = Campaign.safeParse({ ...meta, announcedAt: '2023-01-01', deadline: { local: localDeadline.toFormat("yyyy-MM-dd'T'HH:mm"), timeZone: announcedIn }, reminderOffsetsDays: offsets });
          fc.pre(parsed.success);
          const campaign = parsed.data!;
          const mornings = morningsFor(reader(readerZone, ['facebook', new Date('2023-06-01T00:00:00Z')]), platforms, [campaign]);
          const deadline = deadlineOf(campaign)!.getTime();
          for (let i = 1; i < mornings.length; i++) expect(mornings[i]!.dueAt.getTime()).toBeGreaterThan(mornings[i - 1]!.dueAt.getTime());
          expect(new Set(mornings.map((m) => m.id)).size).toBe(mornings.length);
          for (const morning of mornings) {
            // A send hour skipped by DST moves forward by the gap; otherwise it is exact.
            expect([SEND_HOUR, SEND_HOUR + 1]).toContain(local(morning, readerZone).hour);
            for (const reason of morning.reasons) {
              if (reason.kind === 'countdown') expect(morning.dueAt.getTime()).toBeLessThan(deadline);
              else expect(morning.dueAt.getTime()).toBeGreaterThanOrEqual(deadline);
            }
          }
          expect(mornings.filter((m) => m.reasons.some((r) => r.kind === 'after-deadline'))).toHaveLength(1);
        },
      ),
      { numRuns: 150 },
    );
  }, 30_000);
});

describe('morningsFor a platform with no deadline open', () => {
  it('reminds on the Friday after a Tuesday-evening addition and on the Friday a week later, at 09:00 Berlin', () => {
    // Tuesday 1 December 2026, 20:00 in Berlin.
    const mornings = morningsFor(reader('Europe/Berlin', ['x', berlin('2026-12-01T20:00')]), platforms, campaigns);
    expect(mornings.map((m) => local(m, 'Europe/Berlin').toFormat('ccc yyyy-MM-dd HH:mm'))).toEqual(['Fri 2026-12-04 09:00', 'Fri 2026-12-11 09:00']);
    expect(mornings.flatMap((m) => m.reasons.map((r) => r.kind))).toEqual(['standing', 'standing']);
  });

  it('gives a late joiner the standing mornings: Facebook added long after Meta\'s deadline, and no morning about that deadline', () => {
    const mornings = morningsFor(reader('Europe/Berlin', ['facebook', berlin('2026-12-06T10:00')]), platforms, campaigns);
    expect(mornings.map((m) => m.id)).toEqual(['2026-12-09', '2026-12-16']);
    expect(mornings.flatMap((m) => m.reasons.map((r) => r.kind))).toEqual(['standing', 'standing']);
  });

  it('reminds of a platform no campaign covers (ChatGPT) on its own standing days', () => {
    expect(morningsFor(reader('Europe/Berlin', ['chatgpt', berlin('2026-12-06T10:00')]), platforms, campaigns).map((m) => m.id)).toEqual(['2026-12-09', '2026-12-16']);
  });

  it('counts days in the reader\'s zone: adding at 23:30 in New York is the next day in Berlin', () => {
    const addedAt = new Date('2026-12-02T04:30:00Z');
    expect(morningsFor(reader('America/New_York', ['x', addedAt]), platforms, campaigns).map((m) => m.id)).toEqual(['2026-12-04', '2026-12-11']);
    expect(morningsFor(reader('Europe/Berlin', ['x', addedAt]), platforms, campaigns).map((m) => m.id)).toEqual(['2026-12-05', '2026-12-12']);
  });

  it('keeps the send hour across a DST change: 09:00 Berlin before and after 29 March 2026', () => {
    const mornings = morningsFor(reader('Europe/Berlin', ['x', berlin('2026-03-25T12:00')]), platforms, campaigns);
    expect(mornings.map((m) => m.dueAt.toISOString())).toEqual(['2026-03-28T08:00:00.000Z', '2026-04-04T07:00:00.000Z']);
  });

  it('drops a standing morning while a deadline of the platform is open: the countdown speaks for it then', () => {
    // Facebook added on 20 April 2025: 3 and 10 days later Meta's countdown was running.
    const reasons = morningsFor(reader('Europe/Berlin', ['facebook', early]), platforms, campaigns).flatMap((m) => m.reasons.map((r) => r.kind));
    expect(reasons).not.toContain('standing');
  });

  it('holds for any zone, day of adding and days: one morning per day configured, in order, after adding, at 09:00', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES, 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Tehran', 'America/St_Johns'),
        fc.date({ min: new Date('2026-02-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
        (zone, addedAt, days) => {
          const catalog = platforms.map((p) => (p.id === 'chatgpt' ? { ...p, reminderDaysAfterAdded: days } : p));
          const mornings = morningsFor(reader(zone, ['chatgpt', addedAt]), catalog, campaigns);
          expect(new Set(mornings.map((m) => m.id)).size).toBe(mornings.length);
          const addedDay = DateTime.fromJSDate(addedAt).setZone(zone).startOf('day');
          for (const [i, morning] of mornings.entries()) {
            if (i > 0) expect(morning.dueAt.getTime()).toBeGreaterThan(mornings[i - 1]!.dueAt.getTime());
            expect(morning.dueAt.getTime()).toBeGreaterThan(addedAt.getTime());
            const at = local(morning, zone);
            // Calendar days, not hours: where midnight is skipped (Santiago in September) a day lasts 23 hours.
            const calendarDays = DateTime.fromISO(at.toISODate()!, { zone: 'UTC' }).diff(DateTime.fromISO(addedDay.toISODate()!, { zone: 'UTC' }), 'days').days;
            const reason = morning.reasons[0]!;
            expect(reason.kind === 'standing' && reason.daysAfterAdded).toBe(calendarDays);
            const minutes = at.hour * 60 + at.minute - SEND_HOUR * 60;
            expect(minutes >= 0 && minutes <= 60).toBe(true);
          }
          // Only a day within 12 hours of adding is left out (the welcome said it): day 1 after an evening addition.
          expect(mornings.length === days.length || (mornings.length === days.length - 1 && days.includes(1))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);
});

describe('morningsFor several platforms', () => {
  it('makes one morning of what two platforms ask for on the same day, with both reasons', () => {
    // X added on Friday 9 May 2025: its 3-day morning is Meta's 14-days morning for Facebook.
    const mornings = morningsFor(reader('Europe/Berlin', ['facebook', early], ['x', berlin('2025-05-09T10:00')]), platforms, campaigns);
    const monday = mornings.find((m) => m.id === '2025-05-12')!;
    expect(monday.reasons.map((r) => `${r.platform}:${r.kind}`).sort()).toEqual(['facebook:countdown', 'x:standing']);
    expect(mornings.map((m) => m.id)).toEqual(['2025-05-12', '2025-05-19', '2025-05-23', '2025-05-25', '2025-05-26', '2025-05-27']);
  });

  it('has nothing to send for a list with nothing on it', () => {
    expect(morningsFor(reader('Europe/Berlin'), platforms, campaigns)).toEqual([]);
  });

  it('gives the same ids on every call, so a morning enqueued once is never enqueued again under another id', () => {
    const r = reader('Asia/Kolkata', ['x', new Date('2026-12-01T10:00:00Z')], ['gemini', new Date('2026-12-03T10:00:00Z')]);
    expect(morningsFor(r, platforms, campaigns)).toEqual(morningsFor(r, platforms, campaigns));
  });
});

describe('decideDue', () => {
  const mornings = morningsFor(reader('Europe/Berlin', ['facebook', early]), platforms, campaigns);
  const at = (iso: string) => new Date(iso);

  it('waits when nothing is due yet', () => {
    expect(decideDue(mornings, at('2025-05-01T00:00:00Z'), at('2025-05-12T06:59:00Z'))).toMatchObject({ kind: 'wait', next: { id: '2025-05-12' } });
  });

  it('sends the morning that is due, naming the next one', () => {
    expect(decideDue(mornings, at('2025-05-01T00:00:00Z'), at('2025-05-12T07:10:00Z'))).toMatchObject({
      kind: 'send',
      step: { id: '2025-05-12' },
      skipped: [],
      next: { id: '2025-05-19' },
    });
  });

  it('sends only the latest of several missed mornings: no burst of stale reminders', () => {
    expect(decideDue(mornings, at('2025-05-12T07:00:00Z'), at('2025-05-23T07:30:00Z'))).toMatchObject({
      kind: 'send',
      step: { id: '2025-05-23' },
      skipped: [{ id: '2025-05-19' }],
    });
  });

  it('passes over a morning more than 12 hours late rather than send it at night', () => {
    expect(decideDue(mornings, at('2025-05-12T07:00:00Z'), at('2025-05-19T19:30:00Z'))).toMatchObject({
      kind: 'skip',
      skipped: [{ id: '2025-05-19' }],
      next: { id: '2025-05-23' },
    });
  });

  it('is finished after the morning that follows the deadline', () => {
    expect(decideDue(mornings, at('2025-05-27T07:00:00Z'), at('2025-06-30T07:00:00Z'))).toEqual({ kind: 'finished' });
  });

  it('never sends a morning twice and never outside 09:00-21:00 local, whatever the run times', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2025-04-20T00:00:00Z'), max: new Date('2025-06-05T00:00:00Z'), noInvalidDate: true }),
        fc.array(fc.integer({ min: 1, max: 48 * 60 }), { minLength: 1, maxLength: 300 }),
        (zone, addedAt, gapsMinutes) => {
          const zoneMornings = morningsFor(reader(zone, ['facebook', addedAt]), platforms, campaigns);
          let handledUntil = addedAt;
          let now = addedAt.getTime();
          const sent: string[] = [];
          for (const gap of gapsMinutes) {
            now += gap * 60_000;
            const decision = decideDue(zoneMornings, handledUntil, new Date(now));
            if (decision.kind === 'send') {
              sent.push(decision.step.id);
              const hour = DateTime.fromMillis(now).setZone(zone).hour;
              expect(hour >= SEND_HOUR && hour < SEND_HOUR + 12).toBe(true);
              handledUntil = decision.step.dueAt;
            } else if (decision.kind === 'skip') {
              handledUntil = decision.skipped.at(-1)!.dueAt;
            }
          }
          expect(new Set(sent).size).toBe(sent.length);
          for (const id of sent) expect(zoneMornings.find((m) => m.id === id)!.dueAt.getTime()).toBeGreaterThan(addedAt.getTime());
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);
});
