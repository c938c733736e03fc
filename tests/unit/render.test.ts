import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { composeMessage } from '../../functions/mail/compose.js';
import { renderEmail } from '../../functions/mail/render.js';
import { compiledTemplates } from '../../functions/generated/templates.js';
import { campaigns as catalogCampaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { checklistOf, summarise } from '../../functions/domain/checklist.js';
import type { Locale } from '../../functions/domain/locale.js';
import type { Person } from '../../functions/domain/person.js';
import { platformIn, type PlatformId } from '../../functions/domain/platform.js';
import { announcementEmail, confirmEmail, keepWatchingEmail, morningEmail, welcomeEmail, type Reader } from '../../functions/mail/emails.js';
import { Links } from '../../functions/mail/links.js';
import { platforms } from '../../functions/platforms.js';

const links = new Links('https://optout.example', 's'.repeat(32));
const today = new Date('2026-12-06T08:00:00Z');

/** A deadline ahead that covers every platform, for the countdown's words. */
const everything2027 = Campaign.parse({
  id: 'everything-2027',
  title: 'Every platform at once',
  organisation: 'Everyone',
  summary: 'A deadline that covers every platform.',
  region: 'Everywhere',
  announcedAt: '2027-01-15',
  deadline: { local: '2027-03-01T00:00', timeZone: 'Europe/Berlin' },
  afterDeadline: 'The deadline was the end of 28 February 2027.',
  sources: [{ url: 'https://www.facebook.com/privacy/policy/', title: 'Meta Privacy Policy' }],
  checkedAt: '2027-01-15',
  platforms: platforms.map((p) => p.id),
  translations: { de: { title: 'Alle Plattformen auf einmal', summary: 'Eine Frist für alle Plattformen.', region: 'Überall', afterDeadline: 'Die Frist endete mit dem 28. Februar 2027.' } },
});
const campaigns = [...catalogCampaigns, everything2027];

/** A person in Vienna with `ids` on their list, pending or active, some done. */
function personWith(ids: readonly PlatformId[], options: { locale?: Locale; state?: 'pending' | 'active'; done?: PlatformId[] } = {}): Person {
  const state = options.state ?? 'active';
  const at = '2026-12-01T08:00:00.000Z';
  return {
    id: 'A'.repeat(43),
    generation: 'Gen12345',
    status: state,
    email: 'a@example.org',
    locale: options.locale ?? 'en',
    timeZone: 'Europe/Vienna',
    platforms: ids.map((id) => ({ id, state, askedAt: at, ...(state === 'active' ? { addedAt: at } : {}), ...(options.done?.includes(id) ? { doneAt: at } : {}) })),
    watch: false,
    consents: [],
    createdAt: at,
    ...(state === 'active' ? { confirmedAt: at } : {}),
    version: 1,
    layout: 3,
  };
}

const readerOf = (person: Person, now: Date): Reader => ({ person, checklist: checklistOf(person, platforms, campaigns, now) });
const morning = (now: Date) => ({ id: now.toISOString().slice(0, 10), dueAt: now, reasons: [] });

describe('renderEmail', () => {
  it('escapes every value it inserts into the HTML', () => {
    const email = renderEmail('confirm', {
      intro: '<script>alert(1)</script> & "quotes"',
      deadlineSentence: 'x',
      confirmUrl: 'https://optout.example/confirm/abc"onmouseover="x',
    });
    expect(email.html).not.toContain('<script>alert(1)</script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(email.html).toContain('href="https://optout.example/confirm/abc&quot;onmouseover=&quot;x"');
  });

  it('keeps line breaks out of the subject', () => {
    const email = renderEmail('confirm', { subject: 'Confirm A\r\nBcc: x@example.org', confirmUrl: 'https://x' });
    expect(email.subject).toBe('Confirm A Bcc: x@example.org');
  });

  it('ships templates already compiled: no MJML tag is left in them', () => {
    for (const template of Object.values(compiledTemplates)) expect(template.html).not.toMatch(/<mj-/);
  });
});

describe('the confirmation', () => {
  it.each([
    ['en', 'Please confirm your address', 'Confirm your guide for Facebook'],
    ['de', 'Bitte bestätigen Sie Ihre Adresse', 'Bitte bestätigen: Anleitung für Facebook'],
  ] as const)("is written in the person's language (%s), with a readable text part", (locale, heading, subject) => {
    const person = personWith(['facebook'], { locale, state: 'pending' });
    const email = confirmEmail(person, checklistOf(person, platforms, campaigns, today), false, links, today);
    expect(email.subject).toBe(subject);
    expect(email.html).toContain(`<html lang="${locale}"`);
    expect(email.text).toContain(heading);
    expect(email.text).toMatch(/\[https:\/\/optout\.example\/confirm\/c\.A{43}\.Gen12345\.\.\.[\w-]+\]/);
    expect(email.text).not.toMatch(/<|\{\{/);
  });

  it('confirms every platform and the watch with one email and one button, naming them', () => {
    const person = personWith(['facebook', 'linkedin', 'x', 'chatgpt'], { state: 'pending' });
    const email = confirmEmail(person, summarise(checklistOf(person, platforms, campaigns, today)).pending, true, links, today);
    expect(email.subject).toBe('Confirm your guides for Facebook, LinkedIn and 2 more');
    expect(email.text).toContain('a guide each for Facebook, LinkedIn, ChatGPT and X');
    expect(email.text).toContain('The same button also says yes to an email when a new objection deadline opens');
    expect(email.html.match(/\/confirm\//g)).toHaveLength(1);
  });

  it('asks about the watch alone when no platform waits', () => {
    const email = confirmEmail(personWith(['x']), [], true, links, today);
    expect(email.subject).toBe('Confirm: tell me about new objection deadlines');
    expect(email.text).toContain('Yes, tell me about new deadlines');
    expect(email.text).not.toContain('guide');
  });
});

describe('subjects', () => {
  // Longest names first: the worst case for every count of platforms.
  const byLength = (locale: Locale) =>
    [...platforms].sort((a, b) => platformIn(b, locale).name.length - platformIn(a, locale).name.length).map((p) => p.id);

  it.each(['en', 'de'] as const)('name platforms and stay under 70 characters for any number of them (%s)', (locale) => {
    const countdown = new Date('2027-01-15T10:00:00Z');
    for (let count = 1; count <= platforms.length; count += 1) {
      const ids = byLength(locale).slice(0, count);
      const pending = personWith(ids, { locale, state: 'pending' });
      const active = personWith(ids, { locale });
      const reader = readerOf(active, today);
      const subjects = [
        confirmEmail(pending, checklistOf(pending, platforms, campaigns, today), false, links, today).subject,
        welcomeEmail(reader, reader.checklist, links, today).subject,
        morningEmail(reader, morning(today), links, today).subject,
        morningEmail(readerOf(active, countdown), morning(countdown), links, countdown).subject,
        announcementEmail(readerOf(active, countdown), everything2027, links, countdown).subject,
        keepWatchingEmail(active, links, today).subject,
      ];
      const names = ids.map((id) => platformIn(platforms.find((p) => p.id === id)!, locale).name);
      for (const subject of subjects) {
        expect(subject.length, subject).toBeLessThan(70);
        expect(names.some((name) => subject.includes(name)), subject).toBe(true);
      }
    }
  });

  it('count down to the nearest deadline with the words of its action', () => {
    const countdown = new Date('2027-02-26T08:00:00Z');
    const objecting = readerOf(personWith(['facebook']), countdown);
    const switching = readerOf(personWith(['linkedin', 'x']), countdown);
    expect(morningEmail(objecting, morning(countdown), links, countdown).subject).toBe('2 days left to object on Facebook');
    expect(morningEmail(switching, morning(countdown), links, countdown).subject).toBe('2 days left to opt out on LinkedIn and X');
    expect(morningEmail(readerOf(personWith(['linkedin', 'x'], { locale: 'de' }), countdown), morning(countdown), links, countdown).subject).toBe(
      'Noch 2 Tage: Einstellung bei LinkedIn und X ausschalten',
    );
    // A platform with no opt-out has nothing to do before a deadline: it is not counted down to.
    expect(morningEmail(readerOf(personWith(['whatsapp']), countdown), morning(countdown), links, countdown).subject).toBe('Still to do: WhatsApp');
  });
});

describe('the guides in an email', () => {
  it("say each step, note and mark once: Instagram's shared steps point back to Facebook", () => {
    const reader = readerOf(personWith(['facebook', 'instagram']), today);
    const { text } = welcomeEmail(reader, reader.checklist, links, today);
    expect(text).toContain('3. Steps 3 to 6 as for Facebook, above.');
    expect(text).toContain('Done means: as for Facebook.');
    expect(text.match(/Objecting now protects what you share from then on/g)).toHaveLength(1);
    expect(text).toContain('If this account is linked to your Facebook in Accounts Center');
  });

  it("tell a passed deadline's history once, and not under a platform with nothing to object with", () => {
    const reader = readerOf(personWith(['whatsapp', 'facebook', 'instagram']), today);
    const { text } = morningEmail(reader, morning(today), links, today);
    expect(text.match(/Meta's deadline for keeping your existing posts out/g)).toHaveLength(1);
    const whatsappOnly = readerOf(personWith(['whatsapp']), today);
    expect(morningEmail(whatsappOnly, morning(today), links, today).text).not.toContain("Meta's deadline");
  });

  it("leave out a platform's standing note while a deadline is open, and say once whom the deadline concerns", () => {
    const during = new Date('2027-02-20T08:00:00Z');
    const reader = readerOf(personWith(['facebook', 'instagram']), during);
    const { text } = welcomeEmail(reader, reader.checklist, links, during);
    expect(text).not.toContain('Objecting now protects what you share from then on');
    expect(text.match(/Who it concerns: Everywhere\./g)).toHaveLength(1);
    expect(text).toContain('8 days left to object on Facebook.');
  });

  it('give each kind of action its button', () => {
    const reader = readerOf(personWith(['facebook', 'whatsapp', 'x']), today);
    const { text } = welcomeEmail(reader, reader.checklist, links, today);
    expect(text).toContain("I've objected on Facebook");
    expect(text).toContain('Mark WhatsApp as done');
    expect(text).toContain("I've switched it off on X");
  });

  it('keep the morning short: no notes, no "done means", and what is done in one line', () => {
    const reader = readerOf(personWith(['facebook', 'x', 'linkedin'], { done: ['x'] }), today);
    const { text } = morningEmail(reader, morning(today), links, today);
    expect(text).not.toMatch(/Done means|For your chats with Meta AI/);
    expect(text).toContain('Done already: X.');
    expect(text).toContain('Still to do: Facebook and LinkedIn.');
  });
});

describe('the announcement', () => {
  it('counts down to the new deadline, with the guides of the platforms it covers', () => {
    const announced = new Date('2027-01-15T10:00:00Z');
    const email = announcementEmail(readerOf(personWith(['facebook', 'x'], { done: ['x'] }), announced), everything2027, links, announced);
    expect(email.subject).toBe('New deadline for Facebook and X: 44 days left');
    expect(email.text).toContain('Add Everyone\'s deadline to my calendar');
    expect(email.text).toContain('Done already: X.');
    expect(email.text).toContain("I've objected on Facebook");
  });

  it('says there is nothing to do when what the watcher did before counts for the new deadline', () => {
    const announced = new Date('2027-01-15T10:00:00Z');
    const email = announcementEmail(readerOf(personWith(['x'], { done: ['x'] }), announced), everything2027, links, announced);
    expect(email.text).toContain('what you did before counts for it, so there is nothing more to do.');
    expect(email.text).not.toMatch(/count down to it|How to object/);
  });

  it('counts nothing down when it goes out after the deadline after all', () => {
    const late = new Date('2027-03-02T10:00:00Z');
    const email = announcementEmail(readerOf(personWith(['facebook']), late), everything2027, links, late);
    expect(email.subject).toBe('Still to do: Facebook');
    expect(email.text).toContain("Everyone's deadline has passed");
    expect(email.text).not.toMatch(/days left|Last day|calendar|in time/i);
  });
});

describe('the keep-watching question', () => {
  it.each([
    ['en', 'Keep watching Facebook, LinkedIn and 2 more for new deadlines?', 'opens for Facebook, LinkedIn, ChatGPT and X.'],
    ['de', 'Neue Fristen für Facebook, LinkedIn und 2 weitere weiter melden?', 'wenn für Facebook, LinkedIn, ChatGPT und X eine neue'],
  ] as const)('names the platforms it watches, in the reader language (%s)', (locale, subject, intro) => {
    const email = keepWatchingEmail(personWith(['x', 'chatgpt', 'linkedin', 'facebook'], { locale }), links, today);
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(intro);
    expect(email.text).not.toMatch(/chatgpt|linkedin/);
  });
});

describe('composeMessage', () => {
  const email = { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' };

  it('adds the RFC 8058 headers to list email', async () => {
    const raw = (await composeMessage(email, { from: 'a@example.org', to: 'b@example.org', unsubscribeUrl: 'https://optout.example/unsubscribe/t' })).toString();
    const headers = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toContain('List-Unsubscribe: <https://optout.example/unsubscribe/t>');
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headers).toMatch(/Content-Type: multipart\/alternative/);
  });

  it('leaves them off the confirmation mail', async () => {
    const raw = (await composeMessage(email, { from: 'a@example.org', to: 'b@example.org' })).toString();
    expect(raw).not.toContain('List-Unsubscribe');
  });
});

describe('loadConfig', () => {
  it('fails fast and names the missing secret', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'admin-token-0123456789' })).toThrow(/SIGNING_SECRET/);
  });

  it('names a secret that is too short', () => {
    expect(() => loadConfig({ SIGNING_SECRET: 'short', ADMIN_TOKEN: 'admin-token-0123456789' })).toThrow(/SIGNING_SECRET must be at least 32/);
  });

  it('fills in defaults and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ SIGNING_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(16), PUBLIC_URL: 'https://optout.example/' });
    expect(config).toMatchObject({ PUBLIC_URL: 'https://optout.example', DUE_SHARDS: 8, CONFIRM_COOLDOWN_MINUTES: 15 });
  });
});
