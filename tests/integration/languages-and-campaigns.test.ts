import { beforeAll, describe, expect, it } from 'vitest';
import { PlatformId } from '../../functions/domain/platform.js';
import {
  createTestStack,
  inbox,
  linkIn,
  manualClock,
  post,
  signUp,
  subjectsTo,
  testAddress,
  textOf,
  type StoredEmail,
  type TestStack,
} from '../support/stack.js';

// Meta's deadline open (twelve days left); LinkedIn's campaign not announced yet.
const START = '2025-05-14T08:00:00Z';
const german = { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' };

/** The platform ids the form offers, in the order it lists them. */
const offeredIn = (html: string) => [...html.matchAll(/name="platforms" value="([a-z-]+)"/g)].map((m) => m[1]);

/** The one line of today's action under a platform's box. */
const todayOf = (html: string, platform: string) => textOf(new RegExp(`<p class="[^"]*today[^"]*" id="today-${platform}"[^>]*>([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '').trim();

describe('German, and a deadline open', () => {
  let stack: TestStack;
  const time = manualClock(START);
  beforeAll(async () => {
    stack = await createTestStack({ clock: time.clock });
  });

  it('shows a German browser every platform in German, Meta\'s with its countdown, the others with what they can do today, German preselected', async () => {
    const html = await (await stack.app.request('/', { headers: german })).text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Welche Plattformen nutzen Sie?');
    expect(offeredIn(html)).toHaveLength(PlatformId.options.length);
    for (const platform of ['facebook', 'instagram', 'whatsapp', 'threads']) expect(todayOf(html, platform)).toMatch(/^Noch 12 Tage · Frist: /);
    // Under each countdown, the campaign whose deadline it is.
    expect(textOf(html)).toContain('Widerspruch gegen Metas KI-Training 2025');
    // LinkedIn announced its deadline in September 2025: in May the form offers its setting, without a countdown.
    expect(todayOf(html, 'linkedin')).toContain('Daten zur Verbesserung generativer KI');
    expect(html).not.toContain('LinkedIns KI-Training 2025');
    expect(html).toMatch(/<option value="de" lang="de" selected="">Deutsch<\/option>/);
    // The English page is one link away, and an English browser gets English.
    expect(html).toContain('href="/?lang=en"');
    expect(await (await stack.app.request('/?lang=en', { headers: german })).text()).toContain('Which platforms do you use?');
    expect(await (await stack.app.request('/', { headers: { 'Accept-Language': 'en-GB' } })).text()).toContain('<html lang="en">');
  });

  it('opens the form for one campaign at /c/<campaign>, with its summary and its platforms only, and answers 404 for an unknown one', async () => {
    const html = await (await stack.app.request('/c/linkedin-ai-2025', { headers: german })).text();
    expect(html).toContain('Rechtzeitig widersprechen: LinkedIn will seine KI mit Ihren Daten trainieren');
    expect(html).toContain('name="campaign" value="linkedin-ai-2025"');
    expect(offeredIn(html)).toEqual(['linkedin']);
    expect(textOf(html)).toMatch(/Noch \d+ Tage · Frist: /);
    expect((await stack.app.request('/c/nope-2030')).status).toBe(404);
  });

  it('words form errors in the language picked on the form, in HTML and in JSON', async () => {
    const html = await (await signUp(stack.app, { email: 'nope', campaign: 'meta-ai-2025', locale: 'de', consent: 'yes' })).text();
    expect(html).toContain('Bitte prüfen Sie das Formular');
    expect(html).toContain('Geben Sie eine E-Mail-Adresse wie name@example.org ein.');
    expect(html).toContain('Wählen Sie mindestens eine Plattform.');
    // The form comes back as the campaign's, with the German choice kept.
    expect(offeredIn(html)).toEqual(['facebook', 'instagram', 'whatsapp', 'threads']);
    expect(html).toContain('name="campaign" value="meta-ai-2025"');
    expect(html).toMatch(/<option value="de" lang="de" selected="">/);
    const json = await stack.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...german },
      body: JSON.stringify({ email: 'a@example.org', platforms: ['linkedin'], campaign: 'meta-ai-2025', consent: true }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ fields: { platforms: 'Wählen Sie Plattformen, die zur Kampagne gehören.' } });
  });

  describe('a German-speaking person who picks Instagram and LinkedIn', () => {
    const email = testAddress('de');
    let confirmation: StoredEmail;
    let welcome: StoredEmail;

    beforeAll(async () => {
      const response = await signUp(stack.app, { email, platforms: ['instagram', 'linkedin'], timezone: 'Europe/Vienna', locale: 'de', consent: 'yes' }, german);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Sehen Sie in Ihr Postfach');
      const confirmations = await inbox(email);
      expect(confirmations).toHaveLength(1);
      confirmation = confirmations[0]!;
      const link = linkIn(confirmation, 'confirm');
      // The confirm page speaks the person's language, whatever the browser says.
      expect(textOf(await (await stack.app.request(link, { headers: { 'Accept-Language': 'en' } })).text())).toContain(
        'Mit dem Knopf setzen Sie diese Plattformen auf Ihre Liste; ihre Anleitungen kommen per E-Mail: Instagram LinkedIn',
      );
      expect(await (await post(stack.app, link, { confirm: 'yes' })).text()).toContain('Sie sind dabei');
      welcome = (await inbox(email)).filter((mail) => mail.messageId !== confirmation.messageId)[0]!;
    });

    it('gets one German confirmation, then one German email with both guides', async () => {
      expect(confirmation.body.html).toContain('<html lang="de"');
      expect((await inbox(email)).length).toBe(2);
      const guide = textOf(welcome.body.html ?? '');
      expect(welcome.body.html).toContain('<html lang="de"');
      expect(guide).toContain('Instagram');
      expect(guide).toContain('LinkedIn');
      expect(guide).not.toContain('WhatsApp');
    });

    it('gets German link pages, and English ones after switching the language', async () => {
      const objected = await (await stack.app.request(linkIn(welcome, 'objected'))).text();
      expect(objected).toMatch(/(Instagram|LinkedIn) als erledigt markieren\?/);
      const preferences = await (await stack.app.request(linkIn(welcome, 'preferences'))).text();
      expect(preferences).toContain('Ihre Einstellungen');
      expect(textOf(preferences)).toContain('Noch zu tun: Instagram und LinkedIn.');
      expect(preferences).toMatch(/<option value="de" lang="de" selected="">/);

      time.set('2025-05-19T07:05:00Z'); // 09:05 in Vienna, seven days left
      expect((await stack.service.countdown.run()).queued).toBe(1);
      await stack.deliverMail();
      expect(subjectsTo(stack, email).at(-1)).toContain('Noch 7 Tage');

      const saved = await post(stack.app, linkIn(welcome, 'preferences'), { timezone: 'Europe/Vienna', locale: 'en', save: 'yes' });
      const english = await saved.text();
      expect(english).toContain('Your preferences');
      expect(textOf(english)).toContain('Left to do: Instagram and LinkedIn.');
      time.set('2025-05-23T07:05:00Z'); // three days left
      expect((await stack.service.countdown.run()).queued).toBe(1);
      await stack.deliverMail();
      expect(subjectsTo(stack, email).at(-1)).toContain('3 days left');
    });
  });

  it('shows the privacy page in German when asked', async () => {
    const html = await (await stack.app.request('/privacy?lang=de')).text();
    expect(html).toContain('Was wir speichern, und wozu');
    expect(html).toContain('<html lang="de">');
  });
});

describe('the form on the real clock', () => {
  it('offers all twelve platforms, each with what can be done about it today', async () => {
    const stack = await createTestStack();
    const html = await (await stack.app.request('/?lang=en')).text();
    expect(offeredIn(html)).toHaveLength(12);
    expect(new Set(offeredIn(html))).toEqual(new Set(PlatformId.options));
    for (const platform of PlatformId.options) expect(todayOf(html, platform), platform).not.toBe('');
    stack.dynamo.destroy();
  });
});

describe('the form on today\'s clock, with no deadline open', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock('2026-12-01T10:00:00Z').clock });
  });

  it('says that no deadline is open and gives every platform its action today, with a deadline that passed as history', async () => {
    const html = await (await stack.app.request('/?lang=en')).text();
    expect(textOf(html)).toContain('No objection deadline is open right now: below is what you can do today on each platform.');
    // The bug: Facebook, Instagram, WhatsApp, Threads and LinkedIn had left the form with their campaigns.
    expect(offeredIn(html)).toEqual(['facebook', 'instagram', 'whatsapp', 'threads', 'meta-ai', 'google', 'gemini', 'linkedin', 'copilot', 'chatgpt', 'claude', 'x']);
    expect(html).not.toContain('<strong data-days-left');
    expect(todayOf(html, 'facebook')).toBe("Object with Meta's form: what you share on Facebook from now on stays out of Meta's AI training.");
    expect(textOf(html)).toContain("Meta's deadline for keeping your existing posts out of its AI training was the end of 26 May 2025");
    expect(textOf(html)).toContain("LinkedIn's training began on 3 November 2025");
    // Each guide a click away: its steps, its link, where the facts come from.
    expect(textOf(html)).toContain('Facts checked on 6 December 2026.');
    expect(html).toContain('href="https://x.com/settings/grok_settings"');
    expect(html).toContain('href="https://x.com/en/privacy"');
    // The form posts plain platform ids: no campaign field.
    expect(html).not.toContain('name="campaign"');
  });

  it('offers the watch as its own unticked box', async () => {
    const html = await (await stack.app.request('/?lang=en')).text();
    expect(html).toMatch(/<input type="checkbox" id="watch" name="watch" value="on" aria-describedby="watch-hint"\/>/);
    expect(textOf(html)).toContain('Also write to me when a new objection deadline opens for these platforms.');
  });

  it('words it all in German too', async () => {
    const html = await (await stack.app.request('/?lang=de')).text();
    expect(textOf(html)).toContain('Gerade läuft keine Widerspruchsfrist');
    expect(textOf(html)).toContain('Fakten geprüft am 6. Dezember 2026.');
    expect(todayOf(html, 'instagram')).toBe('Widersprechen Sie mit Metas Formular: Was Sie ab jetzt auf Instagram teilen, bleibt aus Metas KI-Training heraus.');
  });

  it('still opens /c/<id> for a past campaign, with its one sentence of history and its platforms', async () => {
    const response = await stack.app.request('/c/meta-ai-2025?lang=en');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(textOf(html)).toContain('The deadline has passed');
    expect(textOf(html)).toContain('was the end of 26 May 2025; objecting now still keeps what you share from then on out of it.');
    expect(html).toContain('name="campaign" value="meta-ai-2025"');
    expect(offeredIn(html)).toEqual(['facebook', 'instagram', 'whatsapp', 'threads']);
  });

  it('signs up for X alone, gets the X guide, one reminder within four days, and nothing after marking X done', async () => {
    const time = manualClock('2026-12-01T19:00:00Z'); // Tuesday, 20:00 in Berlin
    const own = await createTestStack({ clock: time.clock });
    const email = testAddress('x-alone');
    const response = await signUp(own.app, { email, platforms: 'x', consent: 'yes', timezone: 'Europe/Berlin' }, { Accept: 'application/json' });
    expect(response.status).toBe(200);
    const [confirmation] = await inbox(email);
    expect(confirmation?.subject).toContain('X');
    await post(own.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' });
    const welcome = (await inbox(email)).find((mail) => mail.messageId !== confirmation!.messageId)!;
    const guide = textOf(welcome.body.html ?? '');
    expect(guide).toContain('Third-party Collaborators');
    expect(guide).not.toContain('Facebook');

    time.set('2026-12-04T08:05:00Z'); // Friday 09:05 in Berlin, three days on
    expect((await own.service.countdown.run()).queued).toBe(1);
    await own.deliverMail();
    expect(subjectsTo(own, email)).toHaveLength(3);

    const done = await post(own.app, linkIn(welcome, 'objected'), { sent: 'yes' });
    expect(textOf(await done.text())).toContain('All done: X.');
    time.set('2026-12-11T08:05:00Z'); // the ten-day reminder would be due now
    expect((await own.service.countdown.run()).queued).toBe(0);
    time.set('2027-01-15T08:05:00Z');
    expect((await own.service.countdown.run()).queued).toBe(0);
    expect(subjectsTo(own, email)).toHaveLength(3);
    own.dynamo.destroy();
  });
});

describe('the form just after Meta\'s deadline', () => {
  it('says no deadline is open and gives Meta\'s platforms their form, with the deadline that passed as history', async () => {
    const stack = await createTestStack({ clock: manualClock('2025-06-10T10:00:00Z').clock });
    const html = await (await stack.app.request('/?lang=en')).text();
    expect(textOf(html)).toContain('No objection deadline is open right now');
    expect(todayOf(html, 'facebook')).toContain("Meta's form");
    expect(textOf(html)).toContain("Meta's deadline for keeping your existing posts out of its AI training was the end of 26 May 2025");
    expect(html).not.toContain('<strong data-days-left');
    stack.dynamo.destroy();
  });
});
