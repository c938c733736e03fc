import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { changeList, planConfirmation } from '../../functions/domain/platform-list.js';
import { formCounts, parseSignup, planSignup, type Counts } from '../../functions/domain/signup.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE, summariseFeedback, summarisePeople, summarisePlatforms } from '../../functions/domain/stats.js';
import { platforms as catalog } from '../../functions/platforms.js';

describe('the people summary', () => {
  it('orders the days, sums every counter and the emails by kind, and reads a missing or broken counter as zero', () => {
    const stats = summarisePeople([
      { date: '2025-05-12', pk: 'STATS#_people', forms: 2, sent_morning: 3, sent_confirm: 'x' },
      { date: '2025-05-10', forms: 4, signups: 3, confirmations: 2, unsubscribes: 1, sent_confirm: 3, sent_welcome: 2 },
    ]);
    expect(stats.days.map((day) => day.date)).toEqual(['2025-05-10', '2025-05-12']);
    expect(stats.days[1]).toEqual({
      date: '2025-05-12',
      forms: 2,
      signups: 0,
      confirmations: 0,
      unsubscribes: 0,
      erasures: 0,
      suppressions: 0,
      sent: 3,
      sentByKind: { confirm: 0, welcome: 0, morning: 3, announcement: 0, newsletter: 0 },
    });
    expect(stats.totals).toEqual({
      forms: 6,
      signups: 3,
      confirmations: 2,
      unsubscribes: 1,
      erasures: 0,
      suppressions: 0,
      sent: 8,
      sentByKind: { confirm: 3, welcome: 2, morning: 3, announcement: 0, newsletter: 0 },
    });
  });
});

describe('the platform summary', () => {
  it('lists per day only the platforms something happened to, and totals every platform of the catalog', () => {
    const stats = summarisePlatforms([
      { date: '2025-05-11', done_facebook: -1 },
      { date: '2025-05-10', asked_facebook: 2, picked_facebook: 1, done_facebook: 1, asked_x: 1, dropped_x: 1 },
    ]);
    expect(stats.days).toEqual([
      { date: '2025-05-10', platforms: { facebook: { asked: 2, picked: 1, done: 1, dropped: 0 }, x: { asked: 1, picked: 0, done: 0, dropped: 1 } } },
      { date: '2025-05-11', platforms: { facebook: { asked: 0, picked: 0, done: -1, dropped: 0 } } },
    ]);
    expect(stats.totals.facebook).toEqual({ asked: 2, picked: 1, done: 0, dropped: 0 });
    expect(stats.totals.claude).toEqual({ asked: 0, picked: 0, done: 0, dropped: 0 });
    expect(Object.keys(stats.totals)).toHaveLength(catalog.length);
  });
});

describe('the feedback summary', () => {
  it('orders the days and sums bounces, soft bounces and complaints', () => {
    expect(summariseFeedback([{ date: '2025-05-12', complaints: 1 }, { date: '2025-05-11', bounces: 2, soft_bounces: 1 }])).toEqual({
      totals: { bounces: 2, softBounces: 1, complaints: 1 },
      days: [
        { date: '2025-05-11', bounces: 2, softBounces: 1, complaints: 0 },
        { date: '2025-05-12', bounces: 0, softBounces: 0, complaints: 1 },
      ],
    });
  });
});

describe('the counters a journey writes', () => {
  it('are the names the summaries read: a form, its confirmation, a change of the list', () => {
    const now = new Date('2025-05-10T10:00:00Z');
    const parsed = parseSignup({ email: 'reader@example.org', platforms: ['facebook', 'x'], consent: 'on', timezone: 'Europe/Berlin' }, campaigns, { locale: 'en' });
    if (!parsed.ok) throw new Error('sign-up refused');
    const plan = planSignup({ stored: { version: undefined }, signup: parsed.signup, personId: 'p1', generation: 'g1', now, cooldownMinutes: 15 });
    const pending = plan.change?.person;
    if (!pending) throw new Error('nothing planned');
    const context = { catalog, campaigns, graceDays: 30, now };
    const confirmed = planConfirmation(pending, context);
    if (!confirmed) throw new Error('nothing to confirm');
    const changed = changeList(confirmed.person, { add: ['chatgpt'], drop: ['x'], timeZone: 'Europe/Berlin', locale: 'en', watch: false }, context);

    const written: Counts[] = [formCounts(parsed.signup.platforms, plan), confirmed.counts, changed.counts];
    const itemsOf = (scope: string) => written.map((counts) => ({ date: '2025-05-10', ...counts[scope] }));
    expect(written.flatMap((counts) => Object.keys(counts)).every((scope) => scope === PEOPLE_SCOPE || scope === PLATFORMS_SCOPE)).toBe(true);
    expect(summarisePeople(itemsOf(PEOPLE_SCOPE)).totals).toMatchObject({ forms: 1, signups: 1, confirmations: 1, sentByKind: { confirm: 1 } });
    const { totals } = summarisePlatforms(itemsOf(PLATFORMS_SCOPE));
    expect(totals.facebook).toEqual({ asked: 1, picked: 1, done: 0, dropped: 0 });
    expect(totals.x).toEqual({ asked: 1, picked: 1, done: 0, dropped: 1 });
    expect(totals.chatgpt).toEqual({ asked: 0, picked: 1, done: 0, dropped: 0 });
  });
});
