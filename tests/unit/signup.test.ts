import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { localeFromAcceptLanguage } from '../../functions/domain/locale.js';
import { formCounts, parseSignup, planSignup, supportedLocale } from '../../functions/domain/signup.js';
import { PEOPLE_SCOPE } from '../../functions/domain/stats.js';
import { textFor } from '../../functions/locales/index.js';

const now = new Date('2025-05-12T08:00:00Z');
const valid = { email: ' Ana@Example.ORG ', platforms: ['instagram', 'facebook', 'facebook'], consent: 'yes' };

describe('parseSignup', () => {
  it('normalises the address, orders and de-duplicates platforms, and defaults zone, language and campaign', () => {
    const result = parseSignup(valid, campaigns, now);
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
    expect(parseSignup({ ...valid, platforms: 'threads' }, campaigns, now)).toMatchObject({ ok: true, signup: { picks: [{ platforms: ['threads'] }] } });
  });

  it('names every wrong field with a code that each language words for a person', () => {
    const result = parseSignup({ email: 'nope', platforms: [], website: '' }, campaigns, now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toEqual({ email: 'email_invalid', platforms: 'platforms_missing', consent: 'consent_missing' });
    expect(textFor('en').fieldErrors[result.fields.consent!]).toBe('Please tick the box to agree, so that we may send you the reminders.');
    expect(textFor('de').fieldErrors[result.fields.email!]).toBe('Geben Sie eine E-Mail-Adresse wie name@example.org ein.');
  });

  it('splits the picks of a form that offers two campaigns into one sign-up per campaign', () => {
    const both = { ...valid, platforms: ['linkedin', 'instagram'], campaign: ['meta-ai-2025', 'linkedin-ai-2025'], locale: 'de-AT' };
    expect(parseSignup(both, campaigns, now)).toMatchObject({
      ok: true,
      signup: {
        picks: [
          { campaign: { id: 'meta-ai-2025' }, platforms: ['instagram'] },
          { campaign: { id: 'linkedin-ai-2025' }, platforms: ['linkedin'] },
        ],
        locale: 'de',
      },
    });
    const onlyLinkedin = parseSignup({ ...both, platforms: 'linkedin' }, campaigns, now);
    expect(onlyLinkedin).toMatchObject({ ok: true, signup: { picks: [{ campaign: { id: 'linkedin-ai-2025' } }] } });
    if (onlyLinkedin.ok) expect(onlyLinkedin.signup.picks).toHaveLength(1);
  });

  it('refuses a platform that none of the offered campaigns covers', () => {
    expect(parseSignup({ ...valid, platforms: 'linkedin', campaign: 'meta-ai-2025' }, campaigns, now)).toMatchObject({
      ok: false,
      fields: { platforms: 'platforms_not_offered' },
    });
  });

  it('refuses an unknown campaign and an unknown time zone', () => {
    expect(parseSignup({ ...valid, campaign: 'nope-2030' }, campaigns, now)).toMatchObject({ ok: false, fields: { campaign: expect.any(String) } });
    expect(parseSignup({ ...valid, timezone: 'Nowhere/Land' }, campaigns, now)).toMatchObject({ ok: false, fields: { timezone: expect.any(String) } });
  });

  it('flags a filled honeypot as a bot', () => {
    expect(parseSignup({ ...valid, website: 'http://x' }, campaigns, now)).toMatchObject({ ok: true, signup: { isBot: true } });
  });

  it('never accepts a line break in the address', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('\r', '\n', '\r\n'), fc.string({ maxLength: 20 }), (a, br, b) => {
        const result = parseSignup({ ...valid, email: `${a}x@example.org${br}Bcc: ${b}y@example.org` }, campaigns, now);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => parseSignup(input, campaigns, now)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('supportedLocale', () => {
  it('falls back to English for a language the service does not speak yet', () => {
    expect(supportedLocale('en-GB')).toBe('en');
    expect(supportedLocale('fr')).toBe('en');
    expect(supportedLocale(undefined)).toBe('en');
    expect(supportedLocale('de-CH')).toBe('de');
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
    const parsed = parseSignup(input, campaigns, now);
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
