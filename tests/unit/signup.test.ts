import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { localeFromAcceptLanguage, localeOf } from '../../functions/domain/locale.js';
import { formCounts, parseSignup, planSignup } from '../../functions/domain/signup.js';
import { canonicalTimeZone } from '../../functions/domain/time-zone.js';
import { PEOPLE_SCOPE } from '../../functions/domain/stats.js';
import { textFor } from '../../functions/locales/index.js';

const now = new Date('2025-05-12T08:00:00Z');
const valid = { email: ' Ana@Example.ORG ', platforms: ['instagram', 'facebook', 'facebook'], consent: 'yes' };
/** The browser's language, for a form that names none. */
const browser = { locale: 'en' } as const;

describe('parseSignup', () => {
  it('normalises the address, orders and de-duplicates platforms, and defaults zone, language and campaign', () => {
    const result = parseSignup(valid, campaigns, now, browser);
    expect(result).toMatchObject({
      ok: true,
      signup: {
        email: 'ana@example.org',
        picks: [{ campaign: { id: 'meta-ai-2025' }, platforms: ['facebook', 'instagram'] }],
        timeZone: 'Europe/Berlin',
        locale: 'en',
        isBot: false,
      },
    });
  });

  it('takes a single platform as a string, the way a form with one ticked box sends it', () => {
    expect(parseSignup({ ...valid, platforms: 'threads' }, campaigns, now, browser)).toMatchObject({ ok: true, signup: { picks: [{ platforms: ['threads'] }] } });
  });

  it('names every wrong field with a code that each language words for a person', () => {
    const result = parseSignup({ email: 'nope', platforms: [], website: '' }, campaigns, now, browser);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toEqual({ email: 'email_invalid', platforms: 'platforms_missing', consent: 'consent_missing' });
    expect(textFor('en').fieldErrors[result.fields.consent!]).toBe('Please tick the box to agree, so that we may send you the reminders.');
    expect(textFor('de').fieldErrors[result.fields.email!]).toBe('Geben Sie eine E-Mail-Adresse wie name@example.org ein.');
  });

  it('splits the picks of a form that offers two campaigns into one sign-up per campaign', () => {
    const both = { ...valid, platforms: ['linkedin', 'instagram'], campaign: ['meta-ai-2025', 'linkedin-ai-2025'], locale: 'de-AT' };
    expect(parseSignup(both, campaigns, now, browser)).toMatchObject({
      ok: true,
      signup: {
        picks: [
          { campaign: { id: 'meta-ai-2025' }, platforms: ['instagram'] },
          { campaign: { id: 'linkedin-ai-2025' }, platforms: ['linkedin'] },
        ],
        locale: 'de',
      },
    });
    const onlyLinkedin = parseSignup({ ...both, platforms: 'linkedin' }, campaigns, now, browser);
    expect(onlyLinkedin).toMatchObject({ ok: true, signup: { picks: [{ campaign: { id: 'linkedin-ai-2025' } }] } });
    if (onlyLinkedin.ok) expect(onlyLinkedin.signup.picks).toHaveLength(1);
  });

  it('refuses a platform that none of the offered campaigns covers', () => {
    expect(parseSignup({ ...valid, platforms: 'linkedin', campaign: 'meta-ai-2025' }, campaigns, now, browser)).toMatchObject({
      ok: false,
      fields: { platforms: 'platforms_not_offered' },
    });
  });

  it('takes the browser\'s language when the form names none, and refuses one it does not speak rather than answer in another', () => {
    expect(parseSignup(valid, campaigns, now, { locale: 'de' })).toMatchObject({ ok: true, signup: { locale: 'de' } });
    expect(parseSignup({ ...valid, locale: 'en-US' }, campaigns, now, { locale: 'de' })).toMatchObject({ ok: true, signup: { locale: 'en' } });
    expect(parseSignup({ ...valid, locale: '' }, campaigns, now, { locale: 'de' })).toMatchObject({ ok: true, signup: { locale: 'de' } });
    expect(parseSignup({ ...valid, locale: 'xx-YY' }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { locale: 'locale_invalid' } });
  });

  it('refuses a single field given more than once with that field\'s own code, and takes a platform named many times once', () => {
    expect(parseSignup({ ...valid, email: ['a@example.org', 'b@example.org'] }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { email: 'email_repeated' } });
    expect(parseSignup({ ...valid, timezone: ['UTC', 'UTC'] }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { timezone: 'timezone_repeated' } });
    expect(parseSignup({ ...valid, locale: ['de', 'en'] }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { locale: 'locale_repeated' } });
    expect(parseSignup({ ...valid, consent: ['no', 'yes'] }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { consent: 'consent_repeated' } });
    expect(parseSignup({ ...valid, platforms: Array(17).fill('facebook') }, campaigns, now, browser)).toMatchObject({ ok: true, signup: { platforms: ['facebook'] } });
  });

  it('stores a time zone by its canonical name', () => {
    expect(parseSignup({ ...valid, timezone: ' america/NEW_york ' }, campaigns, now, browser)).toMatchObject({ ok: true, signup: { timeZone: 'America/New_York' } });
  });

  it('refuses an unknown campaign and an unknown time zone', () => {
    expect(parseSignup({ ...valid, campaign: 'nope-2030' }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { campaign: expect.any(String) } });
    expect(parseSignup({ ...valid, timezone: 'Nowhere/Land' }, campaigns, now, browser)).toMatchObject({ ok: false, fields: { timezone: expect.any(String) } });
  });

  it('flags a filled honeypot as a bot', () => {
    expect(parseSignup({ ...valid, website: 'http://x' }, campaigns, now, browser)).toMatchObject({ ok: true, signup: { isBot: true } });
  });

  it('never accepts a line break in the address', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('\r', '\n', '\r\n'), fc.string({ maxLength: 20 }), (a, br, b) => {
        const result = parseSignup({ ...valid, email: `${a}x@example.org${br}Bcc: ${b}y@example.org` }, campaigns, now, browser);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => parseSignup(input, campaigns, now, browser)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('localeOf', () => {
  it('names the language of a tag the service speaks, and nothing for any other', () => {
    expect(localeOf('en-GB')).toBe('en');
    expect(localeOf('de-CH')).toBe('de');
    expect(localeOf('DE_at')).toBe('de');
    expect(localeOf(' de\r\n')).toBe('de');
    for (const tag of ['fr', 'xx-YY', '', 'de\r\nBcc: x@example.org', 'deutsch', 'd', '*']) expect(localeOf(tag), tag).toBeUndefined();
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['america/NEW_york', 'America/New_York'],
    ['EUROPE/BERLIN', 'Europe/Berlin'],
    ['utc', 'UTC'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('spells %j as %j', (typed, canonical) => {
    expect(canonicalTimeZone(typed)).toBe(canonical);
  });

  it('knows no made-up zone', () => {
    expect(canonicalTimeZone('Nowhere/Land')).toBeUndefined();
    expect(canonicalTimeZone('Europe/Berlin\nBcc: x')).toBeUndefined();
  });
});

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr-CH, fr;q=0.9, de;q=0.8, en;q=0.5', 'de'],
    ['en;q=0.2, de-AT', 'de'],
    ['de;q=0, en', 'en'],
    ['*', 'en'],
    ['', 'en'],
  ] as const)('picks from %j the language %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});

describe('formCounts', () => {
  const signupOf = (input: Record<string, unknown>) => {
    const parsed = parseSignup(input, campaigns, now, browser);
    if (!parsed.ok) throw new Error('invalid');
    return parsed.signup;
  };
  const both = signupOf({ ...valid, platforms: ['linkedin', 'instagram'], campaign: ['meta-ai-2025', 'linkedin-ai-2025'] });
  const stored = { version: undefined, subscriptions: [] };
  const personId = 'p1';

  it('counts every form on the people and on each picked campaign, and a new sign-up and its confirmation on top', () => {
    const plan = planSignup({ stored, signup: both, personId, generation: 'g1', now, cooldownMinutes: 15 });
    expect(formCounts(both.picks, plan)).toEqual({
      [PEOPLE_SCOPE]: { forms: 1, signups: 1 },
      'meta-ai-2025': { forms: 1, signups: 1, sent_confirm: 1 },
      'linkedin-ai-2025': { forms: 1, signups: 1, sent_confirm: 1 },
    });
  });

  it('counts a form that changes nothing (a suppressed or repeated address) on the same scopes, so it makes the same writes', () => {
    const plan = planSignup({ stored: { ...stored, version: 3, fingerprint: { id: personId, status: 'suppressed', changedAt: now.toISOString(), version: 3 } }, signup: both, personId, generation: 'g1', now, cooldownMinutes: 15 });
    expect(plan.change).toBeUndefined();
    expect(Object.keys(formCounts(both.picks, plan)).sort()).toEqual([PEOPLE_SCOPE, 'linkedin-ai-2025', 'meta-ai-2025'].sort());
    expect(formCounts(both.picks, plan)).toEqual({ [PEOPLE_SCOPE]: { forms: 1 }, 'meta-ai-2025': { forms: 1 }, 'linkedin-ai-2025': { forms: 1 } });
  });
});
