import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subjectsTo, testAddress, type StoredEmail, type TestStack } from '../support/stack.js';

// Both campaigns open: twelve days before Meta's deadline, months before LinkedIn's.
const START = '2025-05-14T08:00:00Z';
const BOTH = ['meta-ai-2025', 'linkedin-ai-2025'];
const german = { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' };

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('German, and two campaigns at once', () => {
  let stack: TestStack;
  const time = manualClock(START);
  beforeAll(async () => {
    stack = await createTestStack({ clock: time.clock });
  });

  it('shows a German browser the form in German, with Meta\'s countdown and German preselected, and no LinkedIn before it is announced', async () => {
    const response = await stack.app.request('/', { headers: german });
    const html = await response.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Welche Plattformen nutzen Sie?');
    expect(html).toContain('Widerspruch gegen Metas KI-Training 2025');
    // LinkedIn announced its campaign in September 2025: in May the form does not know of it yet.
    expect(html).not.toContain('Widerspruch gegen LinkedIns KI-Training 2025');
    expect(html).toContain('Noch 12 Tage');
    expect(html).toMatch(/<option value="de" lang="de" selected="">Deutsch<\/option>/);
    expect(html).not.toContain('name="platforms" value="linkedin"');
    expect(html).toContain('name="platforms" value="instagram"');
    // The English page is one link away, and an English browser gets English.
    expect(html).toContain('href="/?lang=en"');
    expect(await (await stack.app.request('/?lang=en', { headers: german })).text()).toContain('Which platforms do you use?');
    expect(await (await stack.app.request('/', { headers: { 'Accept-Language': 'en-GB' } })).text()).toContain('<html lang="en">');
  });

  it('opens the form for one campaign at /c/<campaign>, and answers 404 for an unknown one', async () => {
    const html = await (await stack.app.request('/c/linkedin-ai-2025', { headers: german })).text();
    expect(html).toContain('Rechtzeitig widersprechen: LinkedIn will seine KI mit Ihren Daten trainieren');
    expect(html).toContain('name="campaign" value="linkedin-ai-2025"');
    expect(html).not.toContain('value="meta-ai-2025"');
    expect(html).not.toContain('value="instagram"');
    expect((await stack.app.request('/c/nope-2030')).status).toBe(404);
  });

  it('words form errors in the language picked on the form, in HTML and in JSON', async () => {
    const html = await (await signUp(stack.app, { email: 'nope', campaign: BOTH, locale: 'de', consent: 'yes' })).text();
    expect(html).toContain('Bitte prüfen Sie das Formular');
    expect(html).toContain('Geben Sie eine E-Mail-Adresse wie name@example.org ein.');
    expect(html).toContain('Wählen Sie mindestens eine Plattform.');
    // The form comes back with both campaigns and the German choice kept.
    expect(html).toContain('value="linkedin"');
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
    let confirmations: StoredEmail[];
    let welcomes: StoredEmail[];

    beforeAll(async () => {
      const response = await signUp(
        stack.app,
        { email, platforms: ['instagram', 'linkedin'], campaign: BOTH, timezone: 'Europe/Vienna', locale: 'de', consent: 'yes' },
        german,
      );
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Sehen Sie in Ihr Postfach');
      expect(page).toContain('Eine E-Mail bestätigt alle gewählten Kampagnen');
      confirmations = await inbox(email);
      for (const confirmation of confirmations) {
        const link = linkIn(confirmation, 'confirm');
        // The confirm page speaks the person's language, whatever the browser says.
        expect(await (await stack.app.request(link, { headers: { 'Accept-Language': 'en' } })).text()).toContain('Anmeldung bestätigen');
        const confirmed = await post(stack.app, link, { confirm: 'yes' });
        expect(await confirmed.text()).toContain('Sie sind dabei');
      }
      welcomes = (await inbox(email)).filter((mail) => !confirmations.some((c) => c.messageId === mail.messageId));
    });

    it('gets one German confirmation email for both campaigns', () => {
      expect(confirmations.map((mail) => mail.subject)).toEqual(['Bitte bestätigen: 2 Kampagnen']);
      const text = confirmations[0]!.body.text ?? '';
      expect(text).toContain('Widerspruch gegen Metas KI-Training 2025 und Widerspruch gegen LinkedIns KI-Training 2025');
      expect(confirmations[0]!.body.html).toContain('<html lang="de"');
    });

    it('gets a German welcome per campaign, each with only that campaign\'s guides', () => {
      const meta = welcomes.find((mail) => mail.subject.includes('Meta'));
      const linkedin = welcomes.find((mail) => mail.subject.includes('LinkedIn'));
      expect(welcomes).toHaveLength(2);
      expect(meta?.subject).toBe('Noch 12 Tage: So widersprechen Sie bei Meta');
      const metaText = textOf(meta?.body.html ?? '');
      expect(metaText).toContain('Tippen Sie in der Richtlinie auf den Link zum Widerspruchsrecht.');
      expect(metaText).toContain('Ich habe bei Instagram widersprochen');
      expect(metaText).toContain('bis Montag, 26. Mai 2025 um 23:59 (Europe/Vienna) widersprechen');
      expect(metaText).not.toContain('LinkedIn');
      expect(metaText).not.toMatch(/Facebook-Anleitung|Widerspruchsformular: https:\/\/www\.facebook/);
      const linkedinText = textOf(linkedin?.body.html ?? '');
      expect(linkedinText).toContain('Zur Einstellung: https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement');
      expect(linkedinText).toContain('Ich habe bei LinkedIn widersprochen');
      expect(linkedinText).not.toContain('Instagram');
      expect(linkedinText).toContain('Abmelden');
      expect(linkedinText).toMatch(/Adresse am 14\. Mai 2025 bestätigt/);
    });

    it('gets German reminders, German link pages, and English ones after switching the language', async () => {
      time.set('2025-05-19T07:05:00Z'); // 09:05 in Vienna, seven days left
      expect((await stack.service.countdown.run()).queued).toBe(1);
      await stack.deliverMail();
      expect(subjectsTo(stack, email).at(-1)).toBe('Noch 7 Tage: Widersprechen Sie dem KI-Training von Meta');

      const meta = welcomes.find((mail) => mail.subject.includes('Meta'))!;
      const objected = await stack.app.request(linkIn(meta, 'objected'));
      expect(await objected.text()).toContain('Instagram als erledigt markieren?');
      const preferences = await (await stack.app.request(linkIn(meta, 'preferences'))).text();
      expect(preferences).toContain('Ihre Einstellungen');
      expect(preferences).toMatch(/<option value="de" lang="de" selected="">/);

      const saved = await post(stack.app, linkIn(meta, 'preferences'), { platforms: 'instagram', timezone: 'Europe/Vienna', locale: 'en', save: 'yes' });
      expect(await saved.text()).toContain('Your preferences');
      time.set('2025-05-23T07:05:00Z'); // three days left
      expect((await stack.service.countdown.run()).queued).toBe(1);
      await stack.deliverMail();
      expect(subjectsTo(stack, email).at(-1)).toBe('3 days left to object to Meta AI training');
    });
  });

  it('shows the privacy page in German when asked', async () => {
    const html = await (await stack.app.request('/privacy?lang=de')).text();
    expect(html).toContain('Was wir speichern, und wozu');
    expect(html).toContain('<html lang="de">');
  });
});

describe('the form on today\'s clock, with no deadline open', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock('2026-12-01T10:00:00Z').clock });
  });

  it('says in one sentence that no deadline is open and offers the settings to switch off now', async () => {
    const html = await (await stack.app.request('/?lang=en')).text();
    expect(textOf(html)).toContain('No objection deadline is open right now');
    for (const platform of ['x', 'google', 'gemini']) expect(html).toContain(`name="platforms" value="${platform}"`);
    // Past campaigns have left the form.
    for (const platform of ['facebook', 'instagram', 'whatsapp', 'threads', 'linkedin']) expect(html).not.toContain(`value="${platform}"`);
    expect(html).not.toContain('<strong data-days-left');
    expect(textOf(html)).toContain('Switch it off now');
    expect(textOf(html)).toContain('Facts checked on 1 December 2026.');
    expect(html).toContain('href="https://x.com/en/privacy"');
    // The form posts plain platform ids: no campaign field, so each joins what applies now.
    expect(html).not.toContain('name="campaign"');
  });

  it('offers the watch as its own unticked box', async () => {
    const html = await (await stack.app.request('/?lang=en')).text();
    expect(html).toMatch(/<input type="checkbox" id="watch" name="watch" value="on" aria-describedby="watch-hint"\/>/);
    expect(textOf(html)).toContain('Also write to me when a new objection deadline opens for these platforms.');
  });

  it('words it all in German too', async () => {
    const html = textOf(await (await stack.app.request('/?lang=de')).text());
    expect(html).toContain('Gerade läuft keine Widerspruchsfrist');
    expect(html).toContain('Fakten geprüft am 1. Dezember 2026.');
    expect(html).toContain('Jetzt ausschalten');
  });

  it('still opens /c/<id> for a past campaign, with its after-deadline guidance', async () => {
    const response = await stack.app.request('/c/meta-ai-2025?lang=en');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(textOf(html)).toContain('The deadline has passed');
    expect(textOf(html)).toContain('was the end of 26 May 2025; objecting now still keeps what you share from then on out of it.');
    expect(html).toContain('name="campaign" value="meta-ai-2025"');
    for (const platform of ['facebook', 'instagram', 'whatsapp', 'threads']) expect(html).toContain(`value="${platform}"`);
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

    await post(own.app, linkIn(welcome, 'objected'), { sent: 'yes' });
    time.set('2026-12-11T08:05:00Z'); // the ten-day reminder would be due now
    expect((await own.service.countdown.run()).queued).toBe(0);
    time.set('2027-01-15T08:05:00Z');
    expect((await own.service.countdown.run()).queued).toBe(0);
    expect(subjectsTo(own, email)).toHaveLength(3);
    own.dynamo.destroy();
  });
});

describe('the form just after Meta\'s deadline, before any standing campaign', () => {
  it('says no deadline is open and that objecting late still helps, with Meta\'s after-deadline guidance', async () => {
    const stack = await createTestStack({ clock: manualClock('2025-06-10T10:00:00Z').clock });
    const html = textOf(await (await stack.app.request('/?lang=en')).text());
    expect(html).toContain('No objection deadline is open right now, but objecting late still protects what you share from then on.');
    expect(html).toContain('The deadline has passed');
    expect(html).not.toContain('Switch it off now');
    stack.dynamo.destroy();
  });
});
