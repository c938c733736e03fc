import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { actionToday, markCounts } from '../../functions/domain/action.js';
import { Campaign, campaignIn, campaignsByDeadline, countdownTo, deadlineOf, isAnnounced, isStanding } from '../../functions/domain/campaign.js';
import { DomainError } from '../../functions/domain/errors.js';
import { groupByCompany } from '../../functions/domain/platform.js';
import { Locale } from '../../functions/domain/locale.js';
import { formatLastMoment, textFor } from '../../functions/locales/index.js';
import { platforms } from '../../functions/platforms.js';

const describeCountdown = textFor('en').countdown;

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;

describe('campaign meta-ai-2025', () => {
  it('has its deadline at the start of 27 May 2025 in Berlin (end of 26 May)', () => {
    expect(deadlineOf(meta)?.toISOString()).toBe('2025-05-26T22:00:00.000Z');
  });

  it('covers Facebook, Instagram, WhatsApp and Threads, whose guides are the platforms\' own', () => {
    expect(meta.platforms).toEqual(['facebook', 'instagram', 'whatsapp', 'threads']);
  });
});

describe('countdownTo', () => {
  const cases: Array<[string, string, number, string]> = [
    ['2025-05-12T08:00:00Z', 'Europe/Berlin', 14, '14 days left'],
    ['2025-05-20T08:00:00Z', 'Europe/Berlin', 6, '6 days left'],
    ['2025-05-25T21:59:00Z', 'Europe/Berlin', 1, '1 day left'],
    ['2025-05-25T22:00:00Z', 'Europe/Berlin', 0, 'Last day'],
    ['2025-05-26T21:59:59Z', 'Europe/Berlin', 0, 'Last day'],
    ['2025-05-26T22:00:00Z', 'Europe/Berlin', -1, 'The deadline has passed'],
    // In New York the deadline falls at 18:00 on 26 May: 26 May is still the last day there.
    ['2025-05-26T12:00:00Z', 'America/New_York', 0, 'Last day'],
    // In Tokyo the deadline is 07:00 on 27 May, so 27 May (Tokyo) is the last day.
    ['2025-05-26T16:00:00Z', 'Asia/Tokyo', 0, 'Last day'],
    ['2025-05-25T16:00:00Z', 'Asia/Tokyo', 1, '1 day left'],
  ];

  it.each(cases)('at %s in %s it says %i days (%s)', (now, zone, days, text) => {
    const countdown = countdownTo(meta, new Date(now), zone);
    if (days >= 0) expect(countdown.daysLeft).toBe(days);
    expect(describeCountdown(countdown)).toBe(text);
  });

  it('counts calendar days across a DST change', () => {
    // Berlin moves its clocks forward on 30 March 2025: a 23-hour day that must still count as one.
    const campaign = Campaign.parse({ ...meta, deadline: { local: '2025-04-01T00:00', timeZone: 'Europe/Berlin' } });
    expect(countdownTo(campaign, new Date('2025-03-29T12:00:00Z'), 'Europe/Berlin').daysLeft).toBe(2);
    expect(countdownTo(campaign, new Date('2025-03-30T12:00:00Z'), 'Europe/Berlin').daysLeft).toBe(1);
  });

  it('shows the last moment in the reader\'s zone', () => {
    const countdown = countdownTo(meta, new Date('2025-05-20T08:00:00Z'), 'Europe/London');
    expect(formatLastMoment(countdown, textFor('en'))).toBe('Monday, 26 May 2025 at 22:59 (Europe/London)');
    expect(formatLastMoment(countdown, textFor('de'))).toBe('Montag, 26. Mai 2025 um 22:59 (Europe/London)');
  });

  it('counts down in German too', () => {
    const at = (now: string) => textFor('de').countdown(countdownTo(meta, new Date(now), 'Europe/Berlin'));
    expect(at('2025-05-12T08:00:00Z')).toBe('Noch 14 Tage');
    expect(at('2025-05-25T21:59:00Z')).toBe('Noch 1 Tag');
    expect(at('2025-05-25T22:00:00Z')).toBe('Letzter Tag');
    expect(at('2025-05-26T22:00:00Z')).toBe('Die Frist ist abgelaufen');
  });
});

describe('Campaign schema', () => {
  it('refuses a deadline time that does not exist in its zone', () => {
    // 02:30 on 30 March 2025 is skipped in Berlin.
    const result = Campaign.safeParse({ ...meta, deadline: { local: '2025-03-30T02:30', timeZone: 'Europe/Berlin' } });
    expect(result.success).toBe(false);
  });

  it('refuses an unknown time zone, an unknown platform and a platform listed twice', () => {
    expect(Campaign.safeParse({ ...meta, deadline: { ...meta.deadline, timeZone: 'Mars/Olympus' } }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, platforms: ['facebook', 'myspace'] }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, platforms: [...meta.platforms, 'facebook'] }).success).toBe(false);
  });

  it('fills in the default reminder offsets, and that earlier marks still count', () => {
    const { reminderOffsetsDays: _o, earlierMarksCount: _m, ...bare } = meta;
    const parsed = Campaign.parse(bare);
    expect(parsed.reminderOffsetsDays).toEqual([14, 7, 3, 1, 0]);
    expect(parsed.earlierMarksCount).toBe(true);
  });
});

describe('campaignsByDeadline', () => {
  it('puts the open campaign with the nearest deadline first, else the latest past one', () => {
    const later = Campaign.parse({ ...meta, id: 'later-2025', deadline: { local: '2025-11-03T00:00', timeZone: 'Europe/Berlin' } });
    expect(campaignsByDeadline([later, meta], new Date('2025-05-01T00:00:00Z'))[0]?.id).toBe('meta-ai-2025');
    expect(campaignsByDeadline([later, meta], new Date('2025-06-01T00:00:00Z'))[0]?.id).toBe('later-2025');
    expect(campaignsByDeadline([later, meta], new Date('2026-01-01T00:00:00Z'))[0]?.id).toBe('later-2025');
  });
});

describe('campaign linkedin-ai-2025', () => {
  const linkedin = campaigns.find((c) => c.id === 'linkedin-ai-2025')!;

  it('has its deadline at the start of 3 November 2025, and LinkedIn\'s guide links straight to the setting', () => {
    expect(deadlineOf(linkedin)?.toISOString()).toBe('2025-11-02T23:00:00.000Z');
    expect(linkedin.platforms).toEqual(['linkedin']);
    const guide = platforms.find((p) => p.id === 'linkedin')!;
    expect([guide.action, guide.url]).toEqual(['setting', 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement']);
  });

  it('is left out before its announcement, and comes first once Meta has passed', () => {
    const withDeadline = campaigns.filter((c) => !isStanding(c));
    expect(campaignsByDeadline(withDeadline, new Date('2025-05-01T00:00:00Z')).map((c) => c.id)).toEqual(['meta-ai-2025']);
    expect(campaignsByDeadline(withDeadline, new Date('2025-10-01T00:00:00Z')).map((c) => c.id)).toEqual(['linkedin-ai-2025', 'meta-ai-2025']);
  });
});

describe('campaign translations', () => {
  it.each(campaigns.flatMap((c) => Locale.options.map((locale) => [c.id, locale] as const)))('%s has its words in %s', (id, locale) => {
    const campaign = campaigns.find((c) => c.id === id)!;
    const localized = campaignIn(campaign, locale);
    expect(localized.summary).not.toBe('');
    if (campaign.deadline) expect(localized.afterDeadline).toBeTruthy();
    if (locale !== 'en') {
      expect(localized.title).not.toBe(campaign.title);
      expect(localized.summary).not.toBe(campaign.summary);
      // The facts stay the campaign's: same platforms and deadline.
      expect([localized.platforms, localized.deadline]).toEqual([campaign.platforms, campaign.deadline]);
    }
  });

  it('refuses a deadline campaign whose translation lacks its sentence of history', () => {
    const { afterDeadline: _left, ...rest } = meta.translations.de!;
    expect(Campaign.safeParse({ ...meta, translations: { de: rest } }).success).toBe(false);
  });
});

const byId = (id: string) => campaigns.find((c) => c.id === id)!;
const TODAY = new Date('2026-12-01T12:00:00Z');

describe('campaigns that come and go', () => {
  it('ships the five campaigns of the contract with their platforms', () => {
    expect(campaigns.map((c) => [c.id, c.platforms]).sort()).toEqual([
      ['gemini-keep-activity-2025', ['gemini']],
      ['google-saved-media-2026', ['google']],
      ['linkedin-ai-2025', ['linkedin']],
      ['meta-ai-2025', ['facebook', 'instagram', 'whatsapp', 'threads']],
      ['x-grok-2026', ['x']],
    ]);
  });

  it('treats a campaign without a deadline as standing', () => {
    expect(campaigns.filter(isStanding).map((c) => c.id).sort()).toEqual(['gemini-keep-activity-2025', 'google-saved-media-2026', 'x-grok-2026']);
    expect(deadlineOf(byId('x-grok-2026'))).toBeUndefined();
  });

  it('gives a deadline revision 0 unless the operator has moved it', () => {
    expect(meta.deadline?.revision).toBe(0);
    const moved = Campaign.parse({ ...meta, deadline: { local: '2025-06-03T00:00', timeZone: 'Europe/Berlin', revision: 1 } });
    expect(moved.deadline?.revision).toBe(1);
    expect(Campaign.safeParse({ ...meta, deadline: { ...meta.deadline, revision: -1 } }).success).toBe(false);
  });

  it('records sources and the day their facts were checked on every campaign', () => {
    for (const campaign of campaigns) {
      expect(campaign.sources.length).toBeGreaterThan(0);
      expect(campaign.checkedAt).toBe('2026-12-01');
    }
    expect(Campaign.safeParse({ ...meta, sources: [{ url: 'http://example.org/', title: 'plain http' }] }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, sources: [] }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, checkedAt: '1 December 2026' }).success).toBe(false);
  });

  it('refuses a deadline campaign without its sentence of history, and a deadline campaign with a second zone', () => {
    const { afterDeadline: _a, ...noGuidance } = meta;
    expect(Campaign.safeParse(noGuidance).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, timeZone: 'Asia/Tokyo' }).success).toBe(false);
  });

  it('is not announced before its announcement day in its zone', () => {
    const google = byId('google-saved-media-2026');
    // 10 June 2026 starts at 22:00 UTC the day before, in Berlin.
    expect(isAnnounced(google, new Date('2026-06-09T21:59:00Z'))).toBe(false);
    expect(isAnnounced(google, new Date('2026-06-09T22:00:00Z'))).toBe(true);
    const instant = Campaign.parse({ ...google, announcedAt: '2026-06-10T15:00:00+02:00' });
    expect(isAnnounced(instant, new Date('2026-06-10T12:59:00Z'))).toBe(false);
    expect(isAnnounced(instant, new Date('2026-06-10T13:00:00Z'))).toBe(true);
  });

  it('refuses a date that is not ISO, and the retired listedUntil', () => {
    expect(Campaign.safeParse({ ...meta, announcedAt: '14/04/2025' }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, listedUntil: '2025-11-27' }).success).toBe(false);
  });

  it('has no countdown for a standing campaign', () => {
    expect(() => countdownTo(byId('x-grok-2026'), TODAY, 'Europe/Berlin')).toThrow(DomainError);
  });

  it('orders open deadlines first, then standing guides (newest first), then past deadlines', () => {
    expect(campaignsByDeadline(campaigns, TODAY).map((c) => c.id)).toEqual([
      'google-saved-media-2026',
      'x-grok-2026',
      'gemini-keep-activity-2025',
      'linkedin-ai-2025',
      'meta-ai-2025',
    ]);
  });
});

describe('actionToday', () => {
  const guide = (id: string) => platforms.find((p) => p.id === id)!;
  const applies = (id: string, now: Date, from: readonly Campaign[] = campaigns) => {
    const action = actionToday(guide(id), from, now);
    return [action.kind, action.kind === 'deadline' ? action.campaign.id : action.history?.id];
  };

  it('counts down while a deadline is open', () => {
    expect(applies('instagram', new Date('2025-05-01T00:00:00Z'))).toEqual(['deadline', 'meta-ai-2025']);
    expect(applies('linkedin', new Date('2025-10-01T00:00:00Z'))).toEqual(['deadline', 'linkedin-ai-2025']);
  });

  it('gives every platform its standing action once the deadline passed, with that deadline as history', () => {
    expect(applies('facebook', TODAY)).toEqual(['form', 'meta-ai-2025']);
    expect(applies('linkedin', TODAY)).toEqual(['setting', 'linkedin-ai-2025']);
    expect(applies('whatsapp', TODAY)).toEqual(['limit', 'meta-ai-2025']);
  });

  it('gives platforms no deadline ever covered their standing action, with no history', () => {
    expect(applies('x', TODAY)).toEqual(['setting', undefined]);
    expect(applies('chatgpt', TODAY)).toEqual(['setting', undefined]);
    expect(applies('claude', TODAY)).toEqual(['setting', undefined]);
  });

  it('has an action for every platform on every day, before any campaign and long after', () => {
    for (const now of [new Date('2020-01-01T00:00:00Z'), TODAY, new Date('2030-01-01T00:00:00Z')]) {
      for (const platform of platforms) expect(actionToday(platform, campaigns, now).platform.id).toBe(platform.id);
    }
  });

  it('puts the nearest open deadline before the standing action of the same platform', () => {
    const xDeadline = Campaign.parse({ ...meta, id: 'x-deadline-2027', announcedAt: '2026-11-01', deadline: { local: '2027-01-15T00:00', timeZone: 'Europe/Berlin' }, platforms: ['x'], translations: {} });
    expect(applies('x', TODAY, [...campaigns, xDeadline])).toEqual(['deadline', 'x-deadline-2027']);
    expect(applies('x', new Date('2027-02-01T00:00:00Z'), [...campaigns, xDeadline])).toEqual(['setting', 'x-deadline-2027']);
  });

  it('knows nothing of a campaign before it is announced', () => {
    const xDeadline = Campaign.parse({ ...meta, id: 'x-deadline-2027', announcedAt: '2026-12-20', deadline: { local: '2027-01-15T00:00', timeZone: 'Europe/Berlin' }, platforms: ['x'], translations: {} });
    expect(applies('x', TODAY, [xDeadline])).toEqual(['setting', undefined]);
  });
});

describe('markCounts', () => {
  const again = Campaign.parse({ ...meta, id: 'meta-ai-2027', announcedAt: '2027-03-01', deadline: { local: '2027-04-01T00:00', timeZone: 'Europe/Berlin' }, earlierMarksCount: false, translations: {} });

  it('keeps a mark while no newer deadline asks everyone to object again', () => {
    expect(markCounts('facebook', new Date('2025-05-20T08:00:00Z'), campaigns, TODAY)).toBe(true);
    expect(markCounts('facebook', new Date('2025-05-20T08:00:00Z'), [...campaigns, again], TODAY)).toBe(true);
  });

  it('drops a mark made before a deadline that asks everyone again, and keeps one made after it', () => {
    const march = new Date('2027-03-10T00:00:00Z');
    expect(markCounts('facebook', new Date('2025-05-20T08:00:00Z'), [...campaigns, again], march)).toBe(false);
    expect(markCounts('facebook', new Date('2027-03-05T08:00:00Z'), [...campaigns, again], march)).toBe(true);
    expect(markCounts('x', new Date('2025-05-20T08:00:00Z'), [...campaigns, again], march)).toBe(true);
  });
});

describe('groupByCompany', () => {
  it('asks about platforms by company, in form order, leaving out empty groups', () => {
    expect(groupByCompany(['x', 'gemini', 'instagram', 'google', 'facebook'], platforms)).toEqual([
      ['meta', ['facebook', 'instagram']],
      ['google', ['google', 'gemini']],
      ['x', ['x']],
    ]);
  });
});
