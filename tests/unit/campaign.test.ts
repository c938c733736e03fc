import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign, campaignIn, campaignsByDeadline, countdownTo, deadlineOf, isAnnounced, isListed, isStanding, whatAppliesNow } from '../../functions/domain/campaign.js';
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

  it('offers Facebook, Instagram, WhatsApp and Threads, with a form URL only where a form exists', () => {
    expect(meta.platforms.map((p) => p.id)).toEqual(['facebook', 'instagram', 'whatsapp', 'threads']);
    expect(meta.platforms.filter((p) => p.formUrl).map((p) => p.id)).toEqual(['facebook', 'instagram']);
    for (const platform of meta.platforms) expect(platform.doneMeans.length).toBeGreaterThan(10);
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

  it('refuses an unknown time zone, a form platform without a URL and a platform listed twice', () => {
    expect(Campaign.safeParse({ ...meta, deadline: { ...meta.deadline, timeZone: 'Mars/Olympus' } }).success).toBe(false);
    const withoutUrl = meta.platforms.map((p) => (p.id === 'facebook' ? { ...p, formUrl: undefined } : p));
    expect(Campaign.safeParse({ ...meta, platforms: withoutUrl }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, platforms: [...meta.platforms, meta.platforms[0]] }).success).toBe(false);
  });

  it('fills in the default reminder offsets and send hour', () => {
    const { reminderOffsetsDays: _o, sendHour: _h, ...bare } = meta;
    const parsed = Campaign.parse(bare);
    expect(parsed.reminderOffsetsDays).toEqual([14, 7, 3, 1, 0]);
    expect(parsed.sendHour).toBe(9);
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

  it('has its deadline at the start of 3 November 2025 and a link straight to the setting', () => {
    expect(deadlineOf(linkedin)?.toISOString()).toBe('2025-11-02T23:00:00.000Z');
    expect(linkedin.platforms.map((p) => [p.id, p.action])).toEqual([['linkedin', 'setting']]);
    expect(linkedin.platforms[0]?.formUrl).toBe('https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement');
  });

  it('comes after Meta when both are open, and first once Meta has passed', () => {
    const withDeadline = campaigns.filter((c) => !isStanding(c));
    expect(campaignsByDeadline(withDeadline, new Date('2025-05-01T00:00:00Z')).map((c) => c.id)).toEqual(['meta-ai-2025', 'linkedin-ai-2025']);
    expect(campaignsByDeadline(withDeadline, new Date('2025-10-01T00:00:00Z')).map((c) => c.id)).toEqual(['linkedin-ai-2025', 'meta-ai-2025']);
  });
});

describe('campaign translations', () => {
  it.each(campaigns.flatMap((c) => Locale.options.map((locale) => [c.id, locale] as const)))('%s has every guide in %s', (id, locale) => {
    const campaign = campaigns.find((c) => c.id === id)!;
    const localized = campaignIn(campaign, locale);
    for (const platform of localized.platforms) {
      expect(platform.steps.length).toBeGreaterThan(0);
      expect(platform.doneMeans).not.toBe('');
    }
    if (locale !== 'en') {
      expect(localized.title).not.toBe(campaign.title);
      expect(localized.platforms.map((p) => p.doneMeans)).not.toEqual(campaign.platforms.map((p) => p.doneMeans));
      // The facts stay the campaign's: same platforms, links and actions.
      expect(localized.platforms.map((p) => [p.id, p.action, p.formUrl])).toEqual(campaign.platforms.map((p) => [p.id, p.action, p.formUrl]));
    }
  });

  it('refuses a translation that leaves a platform out', () => {
    const { facebook: _left, ...rest } = meta.translations.de!.platforms;
    const result = Campaign.safeParse({ ...meta, translations: { de: { ...meta.translations.de, platforms: rest } } });
    expect(result.success).toBe(false);
  });
});

const byId = (id: string) => campaigns.find((c) => c.id === id)!;
const TODAY = new Date('2026-12-01T12:00:00Z');

describe('campaigns that come and go', () => {
  it('ships the five campaigns of the contract with their platforms', () => {
    expect(campaigns.map((c) => [c.id, c.platforms.map((p) => p.id)]).sort()).toEqual([
      ['gemini-keep-activity-2025', ['gemini']],
      ['google-saved-media-2026', ['google']],
      ['linkedin-ai-2025', ['linkedin']],
      ['meta-ai-2025', ['facebook', 'instagram', 'whatsapp', 'threads']],
      ['x-grok-2026', ['x']],
    ]);
  });

  it('treats a campaign without a deadline as standing, with reminders 3 and 10 days after confirming by default', () => {
    expect(campaigns.filter(isStanding).map((c) => c.id).sort()).toEqual(['gemini-keep-activity-2025', 'google-saved-media-2026', 'x-grok-2026']);
    expect(deadlineOf(byId('x-grok-2026'))).toBeUndefined();
    const { reminderDaysAfterConfirm: _days, ...bare } = byId('x-grok-2026');
    expect(Campaign.parse(bare).reminderDaysAfterConfirm).toEqual([3, 10]);
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

  it('refuses a deadline campaign without after-deadline guidance, and a standing one with a second zone', () => {
    const { afterDeadline: _a, ...noGuidance } = meta;
    expect(Campaign.safeParse(noGuidance).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, timeZone: 'Asia/Tokyo' }).success).toBe(false);
  });

  it('is not announced, nor listed, before its announcement day in its zone', () => {
    const google = byId('google-saved-media-2026');
    // 10 June 2026 starts at 22:00 UTC the day before, in Berlin.
    expect(isAnnounced(google, new Date('2026-06-09T21:59:00Z'))).toBe(false);
    expect(isAnnounced(google, new Date('2026-06-09T22:00:00Z'))).toBe(true);
    expect(isListed(google, new Date('2026-06-09T21:59:00Z'))).toBe(false);
    expect(isListed(google, TODAY)).toBe(true);
    const instant = Campaign.parse({ ...google, announcedAt: '2026-06-10T15:00:00+02:00' });
    expect(isAnnounced(instant, new Date('2026-06-10T12:59:00Z'))).toBe(false);
    expect(isAnnounced(instant, new Date('2026-06-10T13:00:00Z'))).toBe(true);
  });

  it('leaves the form after its listedUntil day, which still counts', () => {
    // Meta: listed until 27 November 2025, to the end of that day in Berlin.
    expect(isListed(meta, new Date('2025-11-27T22:59:00Z'))).toBe(true);
    expect(isListed(meta, new Date('2025-11-27T23:00:00Z'))).toBe(false);
    expect(isListed(meta, new Date('2025-05-01T00:00:00Z'))).toBe(true);
    expect(campaigns.filter((c) => isListed(c, TODAY)).map((c) => c.id).sort()).toEqual(['gemini-keep-activity-2025', 'google-saved-media-2026', 'x-grok-2026']);
  });

  it('refuses a date that is not ISO', () => {
    expect(Campaign.safeParse({ ...meta, announcedAt: '14/04/2025' }).success).toBe(false);
    expect(Campaign.safeParse({ ...meta, listedUntil: 'soon' }).success).toBe(false);
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

describe('whatAppliesNow', () => {
  const applies = (platform: Parameters<typeof whatAppliesNow>[1], now: Date, from = campaigns) => {
    const found = whatAppliesNow(from, platform, now);
    return found && [found.kind, found.campaign.id];
  };

  it('offers the countdown while a deadline is open', () => {
    expect(applies('instagram', new Date('2025-05-01T00:00:00Z'))).toEqual(['countdown', 'meta-ai-2025']);
    expect(applies('linkedin', new Date('2025-10-01T00:00:00Z'))).toEqual(['countdown', 'linkedin-ai-2025']);
  });

  it('offers the standing guide when no deadline is open', () => {
    expect(applies('x', TODAY)).toEqual(['standing', 'x-grok-2026']);
    expect(applies('google', TODAY)).toEqual(['standing', 'google-saved-media-2026']);
    expect(applies('gemini', TODAY)).toEqual(['standing', 'gemini-keep-activity-2025']);
  });

  it('falls back to the latest past deadline\'s guidance, even once that campaign has left the form', () => {
    expect(applies('facebook', TODAY)).toEqual(['after-deadline', 'meta-ai-2025']);
    expect(applies('linkedin', TODAY)).toEqual(['after-deadline', 'linkedin-ai-2025']);
  });

  it('puts an open countdown before a standing guide for the same platform', () => {
    const xDeadline = Campaign.parse({ ...meta, id: 'x-deadline-2027', announcedAt: '2026-11-01', listedUntil: undefined, deadline: { local: '2027-01-15T00:00', timeZone: 'Europe/Berlin' }, platforms: byId('x-grok-2026').platforms, translations: {} });
    expect(applies('x', TODAY, [...campaigns, xDeadline])).toEqual(['countdown', 'x-deadline-2027']);
    expect(applies('x', new Date('2027-02-01T00:00:00Z'), [...campaigns, xDeadline])).toEqual(['standing', 'x-grok-2026']);
  });

  it('knows nothing of a campaign before it is announced', () => {
    expect(applies('gemini', new Date('2025-08-01T00:00:00Z'))).toBeUndefined();
    expect(applies('google', new Date('2026-05-01T00:00:00Z'))).toBeUndefined();
  });

  it('drops a standing guide once it has left the form', () => {
    const retired = Campaign.parse({ ...byId('x-grok-2026'), listedUntil: '2026-11-30' });
    expect(applies('x', TODAY, [retired])).toBeUndefined();
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
