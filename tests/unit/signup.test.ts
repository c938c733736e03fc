import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { parseSignup, supportedLocale } from '../../functions/domain/signup.js';

const now = new Date('2025-05-12T08:00:00Z');
const valid = { email: ' Ana@Example.ORG ', platforms: ['instagram', 'facebook', 'facebook'], consent: 'yes' };

describe('parseSignup', () => {
  it('normalises the address, orders and de-duplicates platforms, and defaults zone, language and campaign', () => {
    const result = parseSignup(valid, campaigns, now);
    expect(result).toMatchObject({
      ok: true,
      signup: {
        email: 'ana@example.org',
        platforms: ['facebook', 'instagram'],
        timeZone: 'Europe/Berlin',
        locale: 'en',
        isBot: false,
        campaign: { id: 'meta-ai-2025' },
      },
    });
  });

  it('takes a single platform as a string, the way a form with one ticked box sends it', () => {
    expect(parseSignup({ ...valid, platforms: 'threads' }, campaigns, now)).toMatchObject({ ok: true, signup: { platforms: ['threads'] } });
  });

  it('names every wrong field with a message a person understands', () => {
    const result = parseSignup({ email: 'nope', platforms: [], website: '' }, campaigns, now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toEqual({
      email: 'Enter an email address like name@example.org.',
      platforms: 'Pick at least one platform.',
      consent: 'Please tick the box to agree, so that we may send you the reminders.',
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
  });
});
