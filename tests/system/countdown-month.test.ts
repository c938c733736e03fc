import { DateTime } from 'luxon';
import { describe, expect, it, onTestFinished } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { morningsFor } from '../../functions/domain/schedule.js';
import { platforms as catalog } from '../../functions/platforms.js';
import { eachLimited, seedConfirmed, seedDone } from '../support/seed.js';
import { HOUR, runCron } from '../support/cron.js';
import { createTestStack, manualClock, privateSes } from '../support/stack.js';


describe('a month of runs', () => {
  it('sends every due morning exactly once, in the morning, to 105 people across time zones, and nothing after they leave or finish', async () => {
    const time = manualClock('2025-05-01T00:00:00Z');
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const stack = await createTestStack({ clock: time.clock, env: { DUE_SHARDS: '8', SES_ENDPOINT: ses.endpoint } });
    const zones = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata'];
    const platforms: PlatformId[][] = [['facebook'], ['instagram', 'threads'], ['facebook', 'instagram', 'whatsapp', 'threads']];
    // 105 = 3 × 5 × 7: every list of platforms (i modulo 3) meets every joining day (modulo 5) and
    // every zone (modulo 7), with leavers and finishers among them (modulo 7 and 11) and joining
    // hours spread over the day (modulo 24); more people add mail, not cases.
    const people = Array.from({ length: 105 }, (_, i) => ({
      email: `month-${i}-${Date.now()}@example.org`,
      timeZone: zones[i % zones.length]!,
      platforms: platforms[i % platforms.length]!,
      // Some confirm early, some mid-way: those skip the mornings already past.
      confirmedAt: new Date(Date.parse('2025-05-01T00:00:00Z') + (i % 5 === 0 ? 18 : 0) * 86_400_000 + (i % 24) * HOUR),
    }));
    const early = people.filter((p) => p.confirmedAt.getTime() <= Date.parse('2025-05-01T23:00:00Z'));
    const seeded = new Map<string, Awaited<ReturnType<typeof seedConfirmed>>>();
    await eachLimited(early, 16, async (person) => void seeded.set(person.email, await seedConfirmed(stack, person)));

    // Some leave on 15 May, some mark every platform done on 20 May.
    const LEAVE_AT = Date.parse('2025-05-15T12:00:00Z');
    const FINISH_AT = Date.parse('2025-05-20T12:00:00Z');
    const leaves = (i: number) => i % 7 === 3;
    const finishes = (i: number) => i % 11 === 4 && !leaves(i);
    const stopsAt = (i: number) => {
      const at = leaves(i) ? LEAVE_AT : finishes(i) ? FINISH_AT : Infinity;
      return people[i]!.confirmedAt.getTime() < at ? at : Infinity;
    };

    // The hourly cron for the month; the steps where a run would find nothing are skipped (support/cron.ts).
    await runCron(stack, time, {
      from: '2025-05-01T00:00:00Z',
      to: '2025-05-31T23:00:00Z',
      visit: [LEAVE_AT, FINISH_AT, ...people.map((p) => p.confirmedAt.getTime())],
      beforeRun: async (t) => {
        if (t === LEAVE_AT || t === FINISH_AT) {
          await eachLimited(people, 16, async (person, i) => {
            const subscriber = seeded.get(person.email);
            if (!subscriber || stopsAt(i) !== t) return;
            if (leaves(i)) return void (await stack.service.people.erase(subscriber.person.id, 'unsubscribed', time.clock()));
            await seedDone(stack, subscriber.person.id, person.platforms, time.clock());
          });
        }
        const joining = people.filter((p) => p.confirmedAt.getTime() <= t && !seeded.has(p.email));
        await eachLimited(joining, 16, async (person) => void seeded.set(person.email, await seedConfirmed(stack, person)));
      },
    });

    const received = new Map<string, { subject: string; at: Date }[]>();
    for (const message of stack.transport.messages) {
      const list = received.get(message.to) ?? [];
      list.push({ subject: message.subject, at: message.at });
      received.set(message.to, list);
    }
    let expectedTotal = 0;
    for (const [i, person] of people.entries()) {
      const sentAt = (dueAt: Date) => Math.ceil(dueAt.getTime() / HOUR) * HOUR;
      const reader = { timeZone: person.timeZone, platforms: person.platforms.map((id) => ({ id, addedAt: person.confirmedAt })) };
      const expected = morningsFor(reader, catalog, campaigns).filter((m) => sentAt(m.dueAt) <= Math.min(Date.parse('2025-05-31T23:00:00Z'), stopsAt(i) - HOUR));
      expectedTotal += expected.length;
      const got = received.get(person.email) ?? [];
      expect(got.map((m) => m.at.toISOString()), person.email).toEqual(
        expected.map((s) => new Date(sentAt(s.dueAt)).toISOString()),
      );
      for (const message of got) {
        const hour = DateTime.fromJSDate(message.at).setZone(person.timeZone).hour;
        expect(hour >= 9 && hour < 21, `${person.email} got mail at ${hour}h`).toBe(true);
      }
    }
    expect(stack.transport.messages).toHaveLength(expectedTotal);
  }, 900_000);
});
