/**
 * Input whose meaning must not change on the way in: a value is either taken as the person meant
 * it (in its canonical form) or refused with the field's own message, never swapped silently for
 * another one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { textFor } from '../../functions/locales/index.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subscribeAndConfirm, testAddress, type TestStack } from '../support/stack.js';

const START = '2025-05-14T08:00:00Z';
const en = textFor('en');
const de = textFor('de');
const asJson = { Accept: 'application/json' };

/** Everything stored about the person behind a preferences link. */
async function stored(stack: TestStack, preferences: string): Promise<{ person: { locale: string; timeZone: string; platforms: string[] } }> {
  const data = (await (await stack.app.request(`${preferences}/data`)).json()) as { person: { locale: string; timeZone: string; platforms: { id: string }[] } };
  // The platforms a person uses, by id: what the form's field set.
  return { person: { ...data.person, platforms: data.person.platforms.map((platform) => platform.id) } };
}

describe('what a field means', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(START).clock, env: { IP_SIGNUP_LIMIT: '1000' } });
  });

  /** Signs up and confirms; returns the preferences link. */
  const person = async (fields: Record<string, string | string[]> = {}) =>
    linkIn(await subscribeAndConfirm(stack, { email: testAddress('meaning'), platforms: ['facebook', 'instagram'], consent: 'yes', ...fields }), 'preferences');

  describe('on the preferences page', () => {
    it('keeps German for "de" with a line break after it, and refuses a language it does not speak with the language\'s own message', async () => {
      const preferences = await person();
      const saved = await post(stack.app, preferences, { platforms: 'facebook', timezone: 'Europe/Berlin', locale: 'de\r\n', save: 'yes' });
      expect(saved.status).toBe(200);
      expect((await stored(stack, preferences)).person.locale).toBe('de');
      for (const locale of ['fr', 'xx-YY', 'de\r\nBcc: x@example.org']) {
        const refused = await post(stack.app, preferences, { platforms: 'facebook', timezone: 'Europe/Berlin', locale, save: 'yes' }, asJson);
        expect(refused.status, locale).toBe(400);
        expect(await refused.json(), locale).toMatchObject({ fields: { locale: de.fieldErrors.locale_invalid } });
      }
      expect((await stored(stack, preferences)).person.locale).toBe('de');
      // A form without the field keeps the language: it does not fall back to English.
      expect((await post(stack.app, preferences, { platforms: 'facebook', timezone: 'Europe/Berlin', save: 'yes' })).status).toBe(200);
      expect((await stored(stack, preferences)).person.locale).toBe('de');
    });

    it('stores a time zone by its canonical name, however it was typed', async () => {
      const preferences = await person();
      expect((await post(stack.app, preferences, { platforms: 'facebook', timezone: ' america/NEW_york ', locale: 'en', save: 'yes' })).status).toBe(200);
      expect((await stored(stack, preferences)).person.timeZone).toBe('America/New_York');
    });

    it('refuses a time zone or a language given twice, each with its own message', async () => {
      const preferences = await person();
      /** The preferences form with repeated fields, as a script may send it. */
      const send = (body: string) => stack.app.request(preferences, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...asJson }, body });
      const zones = await send('platforms=facebook&timezone=Europe%2FBerlin&timezone=Asia%2FTokyo&locale=en&save=yes');
      expect(zones.status).toBe(400);
      expect(await zones.json()).toMatchObject({ fields: { timezone: en.fieldErrors.timezone_repeated } });
      const languages = await send('platforms=facebook&timezone=UTC&locale=en&locale=de&save=yes');
      expect(languages.status).toBe(400);
      expect(await languages.json()).toMatchObject({ fields: { locale: en.fieldErrors.locale_repeated } });
      expect((await stored(stack, preferences)).person).toMatchObject({ timeZone: 'Europe/Berlin', locale: 'en', platforms: ['facebook', 'instagram'] });
    });
  });

  describe('on the sign-up form', () => {
    /** A form body with repeated fields, as a browser or a script may send it. */
    const raw = (body: string) =>
      stack.app.request('/subscribe', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...asJson }, body });

    it('refuses a language it does not speak, in the words of the language field', async () => {
      const email = testAddress('xx');
      const response = await signUp(stack.app, { email, platforms: 'facebook', consent: 'yes', locale: 'xx-YY' }, asJson);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ fields: { locale: en.fieldErrors.locale_invalid } });
      expect(await inbox(email)).toEqual([]);
    });

    it('takes a regional tag as its language, and without a language field the browser\'s Accept-Language', async () => {
      const regional = testAddress('de-at');
      expect((await signUp(stack.app, { email: regional, platforms: 'facebook', consent: 'yes', locale: 'de-AT' })).status).toBe(200);
      expect((await inbox(regional))[0]?.subject).toMatch(/^Bitte bestätigen/);
      const email = testAddress('accept-language');
      expect((await signUp(stack.app, { email, platforms: 'facebook', consent: 'yes' }, { 'Accept-Language': 'de-CH, de;q=0.9, en;q=0.5' })).status).toBe(200);
      const [confirmation] = await inbox(email);
      expect(confirmation?.subject).toMatch(/^Bitte bestätigen/);
    });

    it('stores the canonical name of a time zone typed in any case', async () => {
      const preferences = await person({ timezone: 'america/NEW_york' });
      expect((await stored(stack, preferences)).person.timeZone).toBe('America/New_York');
    });

    it('refuses an address, a zone, a language or the consent given twice, each with its own message', async () => {
      const email = testAddress('twice');
      const cases: [string, string, string][] = [
        [`email=${encodeURIComponent(email)}&email=${encodeURIComponent(testAddress('other'))}&platforms=facebook&consent=yes`, 'email', en.fieldErrors.email_repeated],
        [`email=${encodeURIComponent(email)}&platforms=facebook&consent=yes&timezone=UTC&timezone=Asia%2FTokyo`, 'timezone', en.fieldErrors.timezone_repeated],
        [`email=${encodeURIComponent(email)}&platforms=facebook&consent=yes&locale=de&locale=en`, 'locale', en.fieldErrors.locale_repeated],
        [`email=${encodeURIComponent(email)}&platforms=facebook&consent=no&consent=yes`, 'consent', en.fieldErrors.consent_repeated],
      ];
      for (const [body, field, message] of cases) {
        const response = await raw(body);
        expect(response.status, field).toBe(400);
        expect(await response.json(), field).toMatchObject({ fields: { [field]: message } });
      }
      expect(await inbox(email)).toEqual([]);
    });

    it('takes seventeen copies of one platform as that platform', async () => {
      const email = testAddress('seventeen');
      const response = await raw(`email=${encodeURIComponent(email)}&consent=yes&${Array.from({ length: 17 }, () => 'platforms=facebook').join('&')}`);
      expect(response.status).toBe(200);
      const [confirmation] = await inbox(email);
      const confirmed = await post(stack.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' });
      expect(confirmed.status).toBe(200);
      const welcome = (await inbox(email)).find((mail) => mail.subject.startsWith('Your guide'))!;
      expect((await stored(stack, linkIn(welcome, 'preferences'))).person.platforms).toEqual(['facebook']);
    });
  });
});
