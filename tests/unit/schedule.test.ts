import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign, deadlineOf } from '../../functions/domain/campaign.js';
import { decideStep, stepsFor, type Step } from '../../functions/domain/schedule.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const xGrok = campaigns.find((c) => c.id === 'x-grok-2026')!;
const ZONES = ['Europe/Berlin', 'Europe/London', 'Europe/Lisbon', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata'];
const local = (step: Step, zone: string) => DateTime.fromJSDate(step.dueAt).setZone(zone);

describe('stepsFor', () => {
  it('times the Meta countdown at 09:00 Berlin on each day, then the note the morning after', () => {
    expect(stepsFor(meta, { timeZone: 'Europe/Berlin' }).map((s) => [s.id, s.dueAt.toISOString()])).toEqual([
      ['d14@2025-05-12', '2025-05-12T07:00:00.000Z'],
      ['d7@2025-05-19', '2025-05-19T07:00:00.000Z'],
      ['d3@2025-05-23', '2025-05-23T07:00:00.000Z'],
      ['d1@2025-05-25', '2025-05-25T07:00:00.000Z'],
      ['d0@2025-05-26', '2025-05-26T07:00:00.000Z'],
      ['after@2025-05-27', '2025-05-27T07:00:00.000Z'],
    ]);
  });

  it('sends at 09:00 local time in New York, where the last day ends at 18:00', () => {
    const steps = stepsFor(meta, { timeZone: 'America/New_York' });
    expect(steps.map((s) => local(s, 'America/New_York').toFormat('yyyy-MM-dd HH:mm'))).toEqual([
      '2025-05-12 09:00',
      '2025-05-19 09:00',
      '2025-05-23 09:00',
      '2025-05-25 09:00',
      '2025-05-26 09:00',
      '2025-05-27 09:00',
    ]);
  });

  it('drops a last-day reminder that would come after the deadline (Tokyo: deadline at 07:00)', () => {
    const ids = stepsFor(meta, { timeZone: 'Asia/Tokyo' }).map((s) => s.id);
    expect(ids).toEqual(['d14@2025-05-13', 'd7@2025-05-20', 'd3@2025-05-24', 'd1@2025-05-26', 'after@2025-05-27']);
  });

  it('keeps 09:00 local across a DST change', () => {
    // Europe switches to summer time on 30 March 2025, the US on 9 March.
    const campaign = Campaign.parse({ ...meta, deadline: { local: '2025-04-03T00:00', timeZone: 'Europe/Berlin' } });
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      for (const step of stepsFor(campaign, { timeZone: zone })) expect(local(step, zone).hour).toBe(9);
    }
    const berlin = stepsFor(campaign, { timeZone: 'Europe/Berlin' });
    expect(berlin[1]?.dueAt.toISOString()).toBe('2025-03-26T08:00:00.000Z');
    expect(berlin[3]?.dueAt.toISOString()).toBe('2025-04-01T07:00:00.000Z');
  });

  it('holds for any zone, deadline, offsets and hour: in order, at the send hour, reminders before and the note after the deadline', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 23 }),
        (announcedIn, readerZone, instant, offsets, sendHour) => {
          const localDeadline = DateTime.fromJSDate(instant).setZone(announcedIn).startOf('hour');
          const candidate = { ...meta, deadline: { local: localDeadline.toFormat("yyyy-MM-dd'T'HH:mm"), timeZone: announcedIn }, reminderOffsetsDays: offsets, sendHour };
          const parsed = Campaign.safeParse(candidate);
          fc.pre(parsed.success);
          const campaign = parsed.data!;
          const steps = stepsFor(campaign, { timeZone: readerZone });
          const deadline = deadlineOf(campaign)!.getTime();
          for (let i = 1; i < steps.length; i++) expect(steps[i]!.dueAt.getTime()).toBeGreaterThan(steps[i - 1]!.dueAt.getTime());
          expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
          for (const step of steps) {
            // A send hour skipped by DST moves forward by the gap; otherwise it is exact.
            expect([sendHour, sendHour + 1]).toContain(local(step, readerZone).hour);
            if (step.kind === 'reminder') expect(step.dueAt.getTime()).toBeLessThan(deadline);
            else expect(step.dueAt.getTime()).toBeGreaterThanOrEqual(deadline);
          }
          expect(steps.filter((s) => s.kind === 'after-deadline')).toHaveLength(1);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('decideStep', () => {
  const steps = stepsFor(meta, { timeZone: 'Europe/Berlin' });
  const at = (iso: string) => new Date(iso);

  it('waits when nothing is due yet', () => {
    expect(decideStep(steps, at('2025-05-01T00:00:00Z'), at('2025-05-12T06:59:00Z'))).toMatchObject({ kind: 'wait', next: { id: 'd14@2025-05-12' } });
  });

  it('sends the step that is due, naming the next one', () => {
    expect(decideStep(steps, at('2025-05-01T00:00:00Z'), at('2025-05-12T07:10:00Z'))).toMatchObject({
      kind: 'send',
      step: { id: 'd14@2025-05-12' },
      skipped: [],
      next: { id: 'd7@2025-05-19' },
    });
  });

  it('skips the steps already past for a late confirmation: no burst of stale reminders', () => {
    // Confirmed on 24 May: the 14-, 7- and 3-day reminders are over before they could be sent.
    expect(decideStep(steps, at('2025-05-24T12:00:00Z'), at('2025-05-24T12:15:00Z'))).toMatchObject({ kind: 'wait', next: { id: 'd1@2025-05-25' } });
  });

  it('sends only the latest of several missed steps', () => {
    expect(decideStep(steps, at('2025-05-12T07:00:00Z'), at('2025-05-23T07:30:00Z'))).toMatchObject({
      kind: 'send',
      step: { id: 'd3@2025-05-23' },
      skipped: [{ id: 'd7@2025-05-19' }],
    });
  });

  it('passes over a step more than 12 hours late rather than send it at night', () => {
    expect(decideStep(steps, at('2025-05-12T07:00:00Z'), at('2025-05-19T19:30:00Z'))).toMatchObject({
      kind: 'skip',
      skipped: [{ id: 'd7@2025-05-19' }],
      next: { id: 'd3@2025-05-23' },
    });
  });

  it('is finished after the note that follows the deadline', () => {
    expect(decideStep(steps, at('2025-05-27T07:00:00Z'), at('2025-06-30T07:00:00Z'))).toEqual({ kind: 'finished' });
  });

  it('never sends a step twice and never sends outside 09:00-21:00 local, whatever the run times', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2025-04-20T00:00:00Z'), max: new Date('2025-06-05T00:00:00Z'), noInvalidDate: true }),
        fc.array(fc.integer({ min: 1, max: 48 * 60 }), { minLength: 1, maxLength: 300 }),
        (zone, confirmedAt, gapsMinutes) => {
          const zoneSteps = stepsFor(meta, { timeZone: zone });
          let handledUntil = confirmedAt;
          let now = confirmedAt.getTime();
          const sent: string[] = [];
          for (const gap of gapsMinutes) {
            now += gap * 60_000;
            const decision = decideStep(zoneSteps, handledUntil, new Date(now));
            if (decision.kind === 'send') {
              sent.push(decision.step.id);
              const hour = DateTime.fromMillis(now).setZone(zone).hour;
              expect(hour >= meta.sendHour && hour < meta.sendHour + 12).toBe(true);
              handledUntil = decision.step.dueAt;
            } else if (decision.kind === 'skip') {
              handledUntil = decision.skipped.at(-1)!.dueAt;
            }
          }
          expect(new Set(sent).size).toBe(sent.length);
          for (const id of sent) expect(zoneSteps.find((s) => s.id === id)!.dueAt.getTime()).toBeGreaterThan(confirmedAt.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('stepsFor a standing campaign', () => {
  const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();

  it('reminds on the Friday after a Tuesday-evening confirmation and on the Friday a week later, at 09:00 Berlin', () => {
    // Tuesday 1 December 2026, 20:00 in Berlin.
    const steps = stepsFor(xGrok, { timeZone: 'Europe/Berlin', confirmedAt: berlin('2026-12-01T20:00') });
    expect(steps.map((s) => [s.id, DateTime.fromJSDate(s.dueAt).setZone('Europe/Berlin').toFormat('ccc yyyy-MM-dd HH:mm')])).toEqual([
      ['c3@2026-12-04', 'Fri 2026-12-04 09:00'],
      ['c10@2026-12-11', 'Fri 2026-12-11 09:00'],
    ]);
    expect(steps.every((s) => s.kind === 'reminder')).toBe(true);
  });

  it('sends no after-deadline note and nothing before the person has confirmed', () => {
    expect(stepsFor(xGrok, { timeZone: 'Europe/Berlin', confirmedAt: berlin('2026-12-01T20:00') }).some((s) => s.kind === 'after-deadline')).toBe(false);
    expect(stepsFor(xGrok, { timeZone: 'Europe/Berlin' })).toEqual([]);
  });

  it('counts days in the reader\'s zone: confirming at 23:30 in New York is the next day in Berlin', () => {
    const confirmedAt = new Date('2026-12-02T04:30:00Z');
    expect(stepsFor(xGrok, { timeZone: 'America/New_York', confirmedAt }).map((s) => s.id)).toEqual(['c3@2026-12-04', 'c10@2026-12-11']);
    expect(stepsFor(xGrok, { timeZone: 'Europe/Berlin', confirmedAt }).map((s) => s.id)).toEqual(['c3@2026-12-05', 'c10@2026-12-12']);
  });

  it('keeps the send hour across a DST change: 09:00 Berlin before and after 29 March 2026', () => {
    const steps = stepsFor(xGrok, { timeZone: 'Europe/Berlin', confirmedAt: berlin('2026-03-25T12:00') });
    expect(steps.map((s) => s.dueAt.toISOString())).toEqual(['2026-03-28T08:00:00.000Z', '2026-04-04T07:00:00.000Z']);
  });

  it('keeps a step whose send hour falls in a DST gap, an hour later', () => {
    // 02:00 does not exist in Berlin on 29 March 2026.
    const campaign = Campaign.parse({ ...xGrok, sendHour: 2, reminderDaysAfterConfirm: [3] });
    const [step, ...rest] = stepsFor(campaign, { timeZone: 'Europe/Berlin', confirmedAt: berlin('2026-03-26T12:00') });
    expect(rest).toEqual([]);
    expect(DateTime.fromJSDate(step!.dueAt).setZone('Europe/Berlin').toFormat('yyyy-MM-dd HH:mm')).toBe('2026-03-29 03:00');
  });

  it('ignores the confirmation for a deadline campaign', () => {
    const withConfirmation = stepsFor(meta, { timeZone: 'Europe/Berlin', confirmedAt: new Date('2025-05-20T10:00:00Z') });
    expect(withConfirmation).toEqual(stepsFor(meta, { timeZone: 'Europe/Berlin' }));
  });

  it('holds for any zone, confirmation, days and hour: one step per day configured, in order, after confirming, at the send hour', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES, 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Tehran', 'America/St_Johns'),
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 23 }),
        (zone, confirmedAt, days, sendHour) => {
          const campaign = Campaign.parse({ ...xGrok, reminderDaysAfterConfirm: days, sendHour });
          const steps = stepsFor(campaign, { timeZone: zone, confirmedAt });
          expect(steps).toHaveLength(days.length);
          expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
          const confirmedDay = DateTime.fromJSDate(confirmedAt).setZone(zone).startOf('day');
          for (const [i, step] of steps.entries()) {
            if (i > 0) expect(step.dueAt.getTime()).toBeGreaterThan(steps[i - 1]!.dueAt.getTime());
            expect(step.dueAt.getTime()).toBeGreaterThan(confirmedAt.getTime());
            const at = local(step, zone);
            // On its own local day, N days on; a send hour skipped by DST moves forward by the gap (up to an hour).
            // Calendar days, not hours: where midnight is skipped (Santiago in September) a day lasts 23 hours.
            const calendarDays = DateTime.fromISO(at.toISODate()!, { zone: 'UTC' }).diff(DateTime.fromISO(confirmedDay.toISODate()!, { zone: 'UTC' }), 'days').days;
            expect(calendarDays).toBe(step.daysAfterConfirm);
            const minutes = at.hour * 60 + at.minute - sendHour * 60;
            expect(minutes >= 0 && minutes <= 60).toBe(true);
            expect(step.kind).toBe('reminder');
          }
          expect(steps.map((s) => s.daysAfterConfirm)).toEqual([...days].sort((a, b) => a - b));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same ids on every call, so a step claimed once is never claimed again under another id', () => {
    const reader = { timeZone: 'Asia/Kolkata', confirmedAt: new Date('2026-12-01T10:00:00Z') };
    expect(stepsFor(xGrok, reader)).toEqual(stepsFor(xGrok, reader));
  });
});
