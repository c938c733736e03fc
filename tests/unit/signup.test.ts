import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { localeFromAcceptLanguage } from '../../functions/domain/locale.js';
import { TABLE_LAYOUT_VERSION, type Person } from '../../functions/domain/person.js';
import { formCounts, parseSignup, planSignup, supportedLocale, type Signup } from '../../functions/domain/signup.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE } from '../../functions/domain/stats.js';
import { textFor } from '../../functions/locales/index.js';

const now = new Date('2025-05-12T08:00:00Z');
const valid = { email: ' Ana@Example.ORG ', platforms: ['instagram', 'facebook', 'facebook'], consent: 'yes' };

describe('parseSignup', () => {
  it('normalises the address, de-duplicates platforms, and defaults zone and language', () => {
    const result = parseSignup(valid, campaigns);
    expect(result).toMatchObject({
      ok: true,
      signup: { email: 'ana@example.org', platforms: ['instagram', 'facebook'], timeZone: 'Europe/Berlin', locale: 'en', isBot: false },
    });
  });

  it('takes a single platform as a string, the way a form with one ticked box sends it', () => {
    expect(parseSignup({ ...valid, platforms: 'threads' }, campaigns)).toMatchObject({ ok: true, signup: { platforms: ['threads'] } });
  });

  it('takes every platform the service covers on any day, the AI assistants and those whose deadline passed among them', () => {
    const all = ['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai', 'linkedin', 'copilot', 'x', 'google', 'gemini', 'chatgpt', 'claude'];
    expect(parseSignup({ ...valid, platforms: all }, campaigns)).toMatchObject({ ok: true, signup: { platforms: all } });
  });

  it('names every wrong field with a code that each language words for a person', () => {
    const result = parseSignup({ email: 'nope', platforms: [], website: '' }, campaigns);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toEqual({ email: 'email_invalid', platforms: 'platforms_missing', consent: 'consent_missing' });
    expect(textFor('en').fieldErrors[result.fields.consent!]).toBe('Please tick the box to agree, so that we may send you the reminders.');
    expect(textFor('de').fieldErrors[result.fields.email!]).toBe('Geben Sie eine E-Mail-Adresse wie name@example.org ein.');
  });

  it('keeps working for old links that name campaigns: their platforms, in their language', () => {
    const both = { ...valid, platforms: ['linkedin', 'instagram'], campaign: ['meta-ai-2025', 'linkedin-ai-2025'], locale: 'de-AT' };
    expect(parseSignup(both, campaigns)).toMatchObject({ ok: true, signup: { platforms: ['linkedin', 'instagram'], locale: 'de' } });
  });

  it('refuses a platform that none of the offered campaigns covers', () => {
    expect(parseSignup({ ...valid, platforms: 'linkedin', campaign: 'meta-ai-2025' }, campaigns)).toMatchObject({
      ok: false,
      fields: { platforms: 'platforms_not_offered' },
    });
  });

  it('refuses an unknown campaign and an unknown time zone', () => {
    expect(parseSignup({ ...valid, campaign: 'nope-2030' }, campaigns)).toMatchObject({ ok: false, fields: { campaign: expect.any(String) } });
    expect(parseSignup({ ...valid, timezone: 'Nowhere/Land' }, campaigns)).toMatchObject({ ok: false, fields: { timezone: expect.any(String) } });
  });

  it('flags a filled honeypot as a bot', () => {
    expect(parseSignup({ ...valid, website: 'http://x' }, campaigns)).toMatchObject({ ok: true, signup: { isBot: true } });
  });

  it('never accepts a line break in the address', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('\r', '\n', '\r\n'), fc.string({ maxLength: 20 }), (a, br, b) => {
        const result = parseSignup({ ...valid, email: `${a}x@example.org${br}Bcc: ${b}y@example.org` }, campaigns);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => parseSignup(input, campaigns)).not.toThrow();
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

const signupOf = (input: Record<string, unknown>): Signup => {
  const parsed = parseSignup(input, campaigns);
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
