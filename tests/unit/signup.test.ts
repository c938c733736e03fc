import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { localeFromAcceptLanguage, localeOf } from '../../functions/domain/locale.js';
import { TABLE_LAYOUT_VERSION, type Person } from '../../functions/domain/person.js';
import { formCounts, parseSignup, planSignup, type Signup } from '../../functions/domain/signup.js';
import { canonicalTimeZone } from '../../functions/domain/time-zone.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE } from '../../functions/domain/stats.js';
import { textFor } from '../../functions/locales/index.js';

const now = new Date('2025-05-12T08:00:00Z');
const valid = { email: ' Ana@Example.ORG ', platforms: ['instagram', 'facebook', 'facebook'], consent: 'yes' };
/** The browser's language, for a form that names none. */
const browser = { locale: 'en' } as const;

describe('parseSignup', () => {
  it('normalises the address, de-duplicates platforms, and defaults zone and language', () => {
    const result = parseSignup(valid, campaigns, browser);
    expect(result).toMatchObject({
      ok: true,
      signup: { email: 'ana@example.org', platforms: ['instagram', 'facebook'], timeZone: 'Europe/Berlin', locale: 'en', isBot: false },
    });
  });

  it('takes a single platform as a string, the way a form with one ticked box sends it', () => {
    expect(parseSignup({ ...valid, platforms: 'threads' }, campaigns, browser)).toMatchObject({ ok: true, signup: { platforms: ['threads'] } });
  });

  it('takes every platform the service covers on any day, the AI assistants and those whose deadline passed among them', () => {
    const all = ['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai', 'linkedin', 'copilot', 'x', 'google', 'gemini', 'chatgpt', 'claude'];
    expect(parseSignup({ ...valid, platforms: all }, campaigns, browser)).toMatchObject({ ok: true, signup: { platforms: all } });
  });

  it('names every wrong field with a code that each language words for a person', () => {
    const result = parseSignup({ email: 'nope', platforms: [], website: '' }, campaigns, browser);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toEqual({ email: 'email_invalid', platforms: 'platforms_missing', consent: 'consent_missing' });
    expect(textFor('en').fieldErrors[result.fields.consent!]).toBe('Please tick the box to agree, so that we may send you the reminders.');
    expect(textFor('de').fieldErrors[result.fields.email!]).toBe('Geben Sie eine E-Mail-Adresse wie name@example.org ein.');
  });

  it('keeps working for old links that name campaigns: their platforms, in their language', () => {
    const both = { ...valid, platforms: ['linkedin', 'instagram'], campaign: ['meta-ai-2025', 'linkedin-ai-2025'], locale: 'de-AT' };
    expect(parseSignup(both, campaigns, browser)).toMatchObject({ ok: true, signup: { platforms: ['linkedin', 'instagram'], locale: 'de' } });
  });

  it('refuses a platform that none of the offered campaigns covers', () => {
    expect(parseSignup({ ...valid, platforms: 'linkedin', campaign: 'meta-ai-2025' }, campaigns, browser)).toMatchObject({
      ok: false,
      fields: { platforms: 'platforms_not_offered' },
    });
  });

  it('takes the browser\'s language when the form names none, and refuses one it does not speak rather than answer in another', () => {
    expect(parseSignup(valid, campaigns, { locale: 'de' })).toMatchObject({ ok: true, signup: { locale: 'de' } });
    expect(parseSignup({ ...valid, locale: 'en-US' }, campaigns, { locale: 'de' })).toMatchObject({ ok: true, signup: { locale: 'en' } });
    expect(parseSignup({ ...valid, locale: '' }, campaigns, { locale: 'de' })).toMatchObject({ ok: true, signup: { locale: 'de' } });
    expect(parseSignup({ ...valid, locale: 'xx-YY' }, campaigns, browser)).toMatchObject({ ok: false, fields: { locale: 'locale_invalid' } });
  });

  it('refuses a single field given more than once with that field\'s own code, and takes a platform named many times once', () => {
    expect(parseSignup({ ...valid, email: ['a@example.org', 'b@example.org'] }, campaigns, browser)).toMatchObject({ ok: false, fields: { email: 'email_repeated' } });
    expect(parseSignup({ ...valid, timezone: ['UTC', 'UTC'] }, campaigns, browser)).toMatchObject({ ok: false, fields: { timezone: 'timezone_repeated' } });
    expect(parseSignup({ ...valid, locale: ['de', 'en'] }, campaigns, browser)).toMatchObject({ ok: false, fields: { locale: 'locale_repeated' } });
    expect(parseSignup({ ...valid, consent: ['no', 'yes'] }, campaigns, browser)).toMatchObject({ ok: false, fields: { consent: 'consent_repeated' } });
    expect(parseSignup({ ...valid, platforms: Array(17).fill('facebook') }, campaigns, browser)).toMatchObject({ ok: true, signup: { platforms: ['facebook'] } });
  });

  it('stores a time zone by its canonical name', () => {
    expect(parseSignup({ ...valid, timezone: ' america/NEW_york ' }, campaigns, browser)).toMatchObject({ ok: true, signup: { timeZone: 'America/New_York' } });
  });

  it('refuses an unknown campaign and an unknown time zone', () => {
    expect(parseSignup({ ...valid, campaign: 'nope-2030' }, campaigns, browser)).toMatchObject({ ok: false, fields: { campaign: expect.any(String) } });
    expect(parseSignup({ ...valid, timezone: 'Nowhere/Land' }, campaigns, browser)).toMatchObject({ ok: false, fields: { timezone: expect.any(String) } });
  });

  it('flags a filled honeypot as a bot', () => {
    expect(parseSignup({ ...valid, website: 'http://x' }, campaigns, browser)).toMatchObject({ ok: true, signup: { isBot: true } });
  });

  it('never accepts a line break in the address', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('\r', '\n', '\r\n'), fc.string({ maxLength: 20 }), (a, br, b) => {
        const result = parseSignup({ ...valid, email: `${a}x@example.org${br}Bcc: ${b}y@example.org` }, campaigns, browser);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => parseSignup(input, campaigns, browser)).not.toThrow();
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

const signupOf = (input: Record<string, unknown>): Signup => {
  const parsed = parseSignup(input, campaigns, browser);
  if (!parsed.ok) throw new Error('invalid');
  return parsed.signup;
};
const personId = 'p1';
const pendingPerson = (platforms: Person['platforms'], extra: Partial<Person> = {}): Person => ({
  id: personId,
  generation: 'g1',
  status: 'pending',
  email: 'ana@example.org',
  locale: 'en',
  timeZone: 'Europe/Berlin',
  platforms,
  watch: false,
  consents: [{ kind: 'reminders', platforms: platforms.map((p) => p.id), at: '2025-05-12T07:00:00.000Z', textVersion: 'v', method: 'web-form' }],
  confirmationMails: { count: 1, lastAt: '2025-05-12T07:55:00.000Z' },
  createdAt: '2025-05-12T07:00:00.000Z',
  expiresAt: '2025-05-19T07:00:00.000Z',
  version: 1,
  layout: TABLE_LAYOUT_VERSION,
  ...extra,
});
const plan = (person: Person | undefined, input: Record<string, unknown>, at = now) =>
  planSignup({ stored: { person, version: person?.version }, signup: signupOf(input), personId, generation: 'g2', now: at, cooldownMinutes: 15 });

describe('planSignup', () => {
  it('makes a new address a pending person with every platform ticked waiting, and one consent record', () => {
    const result = plan(undefined, { ...valid, platforms: ['facebook', 'x'] });
    expect(result.sendConfirmation).toBe(true);
    expect(result.change?.person.platforms.map((p) => [p.id, p.state])).toEqual([
      ['facebook', 'pending'],
      ['x', 'pending'],
    ]);
    expect(result.change?.person.consents).toEqual([expect.objectContaining({ kind: 'reminders', platforms: ['facebook', 'x'], method: 'web-form' })]);
  });

  it('adds, never replaces: a second sign-up while pending keeps the first picks and adds its own, with its own consent record', () => {
    const first = pendingPerson([
      { id: 'x', state: 'pending', askedAt: '2025-05-12T07:00:00.000Z' },
      { id: 'gemini', state: 'pending', askedAt: '2025-05-12T07:00:00.000Z' },
    ]);
    const second = plan(first, { ...valid, platforms: ['linkedin'], campaign: 'linkedin-ai-2025' });
    expect(second.change?.person.platforms.map((p) => p.id)).toEqual(['x', 'gemini', 'linkedin']);
    expect(second.change?.person.consents.map((c) => c.platforms)).toEqual([['x', 'gemini'], ['linkedin']]);
    // Within the cooldown: no second email; the first one's link confirms everything.
    expect(second.sendConfirmation).toBe(false);
  });

  it('sends a newer confirmation under the resend rule, and changes nothing for a repeat within the cooldown', () => {
    const first = pendingPerson([{ id: 'x', state: 'pending', askedAt: '2025-05-12T07:00:00.000Z' }]);
    expect(plan(first, { ...valid, platforms: ['x'] })).toEqual({ change: undefined, sendConfirmation: false });
    const later = plan(first, { ...valid, platforms: ['x'] }, new Date('2025-05-12T08:11:00Z'));
    expect(later.sendConfirmation).toBe(true);
    expect(later.change?.person.confirmationMails?.count).toBe(2);
  });

  it('lets an active person\'s new platforms wait for this sign-up\'s confirmation, leaving their list and marks alone', () => {
    const activePerson = pendingPerson([{ id: 'facebook', state: 'active', askedAt: '2025-05-01T07:00:00.000Z', addedAt: '2025-05-01T08:00:00.000Z', doneAt: '2025-05-02T08:00:00.000Z' }], {
      status: 'active',
      confirmedAt: '2025-05-01T08:00:00.000Z',
      confirmationMails: undefined,
      expiresAt: undefined,
      timeZone: 'Asia/Tokyo',
      consents: [{ kind: 'reminders', platforms: ['facebook'], at: '2025-05-01T07:00:00.000Z', textVersion: 'v', method: 'web-form', confirmedAt: '2025-05-01T08:00:00.000Z' }],
    });
    const result = plan(activePerson, { ...valid, platforms: ['facebook', 'chatgpt'], timezone: 'Europe/Paris' });
    expect(result.sendConfirmation).toBe(true);
    expect(result.change?.person.platforms).toEqual([activePerson.platforms[0], { id: 'chatgpt', state: 'pending', askedAt: now.toISOString() }]);
    // A stranger's form never rewrites what the owner set or agreed to.
    expect(result.change?.person.timeZone).toBe('Asia/Tokyo');
    expect(result.change?.person.consents.slice(0, 1)).toEqual(activePerson.consents);
    expect(plan(activePerson, { ...valid, platforms: ['facebook'] })).toEqual({ change: undefined, sendConfirmation: false });
  });

  it('gives a suppressed address nothing', () => {
    const result = planSignup({ stored: { version: 3, fingerprint: { id: personId, status: 'suppressed', changedAt: now.toISOString(), version: 3 } }, signup: signupOf(valid), personId, generation: 'g1', now, cooldownMinutes: 15 });
    expect(result).toEqual({ change: undefined, sendConfirmation: false });
  });
});

describe('formCounts', () => {
  const both = signupOf({ ...valid, platforms: ['linkedin', 'instagram'] });

  it('counts every form on the people and every platform asked for, and a new sign-up and its confirmation on top', () => {
    const result = plan(undefined, { ...valid, platforms: ['linkedin', 'instagram'] });
    expect(formCounts(both.platforms, result)).toEqual({
      [PEOPLE_SCOPE]: { forms: 1, signups: 1, sent_confirm: 1 },
      [PLATFORMS_SCOPE]: { asked_linkedin: 1, asked_instagram: 1 },
    });
  });

  it('counts a form that changes nothing (a suppressed or repeated address) on the same scopes, so it makes the same writes', () => {
    const result = planSignup({ stored: { version: 3, fingerprint: { id: personId, status: 'suppressed', changedAt: now.toISOString(), version: 3 } }, signup: both, personId, generation: 'g1', now, cooldownMinutes: 15 });
    expect(formCounts(both.platforms, result)).toEqual({ [PEOPLE_SCOPE]: { forms: 1 }, [PLATFORMS_SCOPE]: { asked_linkedin: 1, asked_instagram: 1 } });
  });
});
