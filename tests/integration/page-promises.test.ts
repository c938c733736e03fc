/**
 * What the pages after a link promise a person: one checklist across all their platforms. The
 * confirm page lists exactly what the button confirms; the page after "I've objected" says what is
 * done and what is left, and "all done" only when nothing is; the preferences page shows every
 * platform with its status and adds, drops and watches on its own buttons; "check your inbox"
 * shows the address, with a "did you mean …?" for a slip in a common domain.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestStack,
  inbox,
  linkIn,
  manualClock,
  post,
  signUp,
  subjectsTo,
  subscribeAndConfirm,
  tableSnapshot,
  testAddress,
  textOf,
  type StoredEmail,
  type TestStack,
} from '../support/stack.js';

/** Today's clock: no deadline open, every platform with its standing action. */
const NOW = '2026-12-06T10:00:00Z';

/** The text of the first element matching a simple pattern (an h1, the status region). */
function partOf(html: string, pattern: RegExp): string {
  return textOf(pattern.exec(html)?.[1] ?? '');
}
const headingOf = (html: string) => partOf(html, /<h1>([\s\S]*?)<\/h1>/);
const statusOf = (html: string) => partOf(html, /<div[^>]*role="status"[^>]*>([\s\S]*?)<\/div>/) || partOf(html, /<p[^>]*role="status"[^>]*>([\s\S]*?)<\/p>/);

/** The person a link of theirs is for: the id and generation its token names. */
function personOf(link: string): { id: string; generation: string } {
  const [, id, generation] = (link.split('/')[2] ?? '').split('.');
  return { id: id ?? '', generation: generation ?? '' };
}

async function confirmationsOf(address: string): Promise<StoredEmail[]> {
  return (await inbox(address)).filter((mail) => mail.subject.startsWith('Confirm'));
}

describe('the pages of one checklist', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(NOW).clock });
  });

  const objected = (welcome: StoredEmail, platform: Parameters<TestStack['service']['links']['objected']>[1]) =>
    new URL(stack.service.links.objected(personOf(linkIn(welcome, 'preferences')), platform)).pathname;

  describe('the confirm page', () => {
    it('lists exactly what two sign-ups of a pending address wait for, the watch too, before the button; after it, what was confirmed', async () => {
      const email = testAddress('two-forms');
      await signUp(stack.app, { email, platforms: ['facebook', 'instagram'], consent: 'yes' });
      await signUp(stack.app, { email, platforms: ['x'], watch: 'on', consent: 'yes' });
      const [confirmation] = await confirmationsOf(email);
      const link = linkIn(confirmation!, 'confirm');
      const page = await (await stack.app.request(link)).text();
      const listed = [...(/<ul class="confirming">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1] ?? ''));
      expect(listed).toEqual(['Facebook', 'Instagram', 'X']);
      expect(partOf(page, /<p class="confirming-watch">([\s\S]*?)<\/p>/)).toBe('It also says yes to an email when a new objection deadline opens for a platform on your list.');
      expect(page.indexOf('class="confirming-watch"')).toBeLessThan(page.indexOf('<button'));

      const before = subjectsTo(stack, email).length;
      const confirmed = await (await post(stack.app, link, { confirm: 'yes' })).text();
      expect(headingOf(confirmed)).toBe('You are in');
      expect(statusOf(confirmed)).toBe(
        'Confirmed: Facebook, Instagram and X. The guides for them are on their way, in one email. We will also write to you when a new objection deadline opens for a platform on your list.',
      );
      await stack.deliverMail();
      // One email with every guide, not one per platform or campaign.
      expect(subjectsTo(stack, email).slice(before)).toHaveLength(1);
      expect(headingOf(await (await stack.app.request(link)).text())).toBe('Already confirmed');
    });

    it('lists only the platform a confirmed person adds with the form, not what is on their list already', async () => {
      const email = testAddress('adds');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook'], consent: 'yes' });
      await signUp(stack.app, { email, platforms: ['facebook', 'claude'], consent: 'yes' });
      const confirmations = await confirmationsOf(email);
      expect(confirmations).toHaveLength(2);
      const page = await (await stack.app.request(linkIn(confirmations[1]!, 'confirm'))).text();
      expect(partOf(page, /<ul class="confirming">([\s\S]*?)<\/ul>/)).toBe('Claude');
      // Until it is confirmed, Claude waits: the person's own pages say so, and do not count it done or left.
      const preferences = textOf(await (await stack.app.request(linkIn(welcome, 'preferences'))).text());
      expect(preferences).toContain('Left to do: Facebook. Waiting for your confirmation by email: Claude.');
    });

    it('asks for the watch alone when that is all a sign-up adds', async () => {
      const email = testAddress('watch-only');
      await subscribeAndConfirm(stack, { email, platforms: ['x'], consent: 'yes' });
      await signUp(stack.app, { email, platforms: ['x'], watch: 'on', consent: 'yes' });
      const confirmations = await confirmationsOf(email);
      const page = await (await stack.app.request(linkIn(confirmations.at(-1)!, 'confirm'))).text();
      expect(page).not.toContain('class="confirming"');
      expect(partOf(page, /<p class="confirming-watch">([\s\S]*?)<\/p>/)).toBe('Pressing the button says yes to an email when a new objection deadline opens for a platform on your list.');
      expect(page).toContain('>Yes, tell me about new deadlines</button>');
      const confirmed = await (await post(stack.app, linkIn(confirmations.at(-1)!, 'confirm'), { confirm: 'yes' })).text();
      expect(statusOf(confirmed)).toBe('From now on we write to you when a new objection deadline opens for a platform on your list.');
    });
  });

  describe('the page after "I\'ve objected"', () => {
    it('says what is done and what is left after each of three, and "all done" only after the last', async () => {
      const email = testAddress('three');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'linkedin', 'x'], consent: 'yes' });
      const first = await (await post(stack.app, objected(welcome, 'facebook'), { sent: 'yes' })).text();
      expect(headingOf(first)).toBe('Facebook is marked as done');
      expect(statusOf(first)).toBe('Facebook done; LinkedIn and X left.');
      // The bug: one of three done, and the page said all objections were made.
      expect(`${headingOf(first)} ${statusOf(first)}`).not.toMatch(/\ball\b/i);
      expect(first).not.toContain('reminders stop');

      const second = await (await post(stack.app, objected(welcome, 'x'), { sent: 'yes' })).text();
      expect(statusOf(second)).toBe('Facebook and X done; LinkedIn left.');
      expect(`${headingOf(second)} ${statusOf(second)}`).not.toMatch(/\ball\b/i);

      const last = await (await post(stack.app, objected(welcome, 'linkedin'), { sent: 'yes' })).text();
      expect(headingOf(last)).toBe('Well done: nothing is left');
      expect(statusOf(last)).toBe('All done: Facebook, LinkedIn and X. Nothing is left on your list, so the reminders stop.');

      const undone = await (await post(stack.app, objected(welcome, 'x'), { undo: 'yes' })).text();
      expect(headingOf(undone)).toBe('X is back on your list');
      expect(statusOf(undone)).toBe('We will remind you about X again. Facebook and LinkedIn done; X left.');
    });

    it('does not say "all done" while a platform still waits for its confirmation', async () => {
      const email = testAddress('waiting');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook'], consent: 'yes' });
      await signUp(stack.app, { email, platforms: ['chatgpt'], consent: 'yes' });
      const page = await (await post(stack.app, objected(welcome, 'facebook'), { sent: 'yes' })).text();
      expect(headingOf(page)).toBe('Facebook is marked as done');
      expect(statusOf(page)).toBe('Facebook done. Waiting for your confirmation by email: ChatGPT.');
    });

    it('shows a platform already done with its date and an undo, on a GET that changes nothing', async () => {
      const email = testAddress('done-get');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['whatsapp', 'gemini'], consent: 'yes' });
      await post(stack.app, objected(welcome, 'whatsapp'), { sent: 'yes' });
      const before = await tableSnapshot(stack);
      const page = await (await stack.app.request(objected(welcome, 'whatsapp'))).text();
      expect(headingOf(page)).toBe('WhatsApp is marked as done');
      expect(textOf(page)).toContain('You marked WhatsApp as done on 6 December 2026. WhatsApp done; Gemini left.');
      expect(page).toContain('>Undo: WhatsApp is not done yet</button>');
      expect(await tableSnapshot(stack)).toBe(before);
    });
  });

  describe('the preferences page', () => {
    it('shows every platform the service covers with its status: done with its date, left with today\'s action, waiting, not on the list', async () => {
      const email = testAddress('statuses');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'x'], consent: 'yes' });
      await post(stack.app, objected(welcome, 'facebook'), { sent: 'yes' });
      await signUp(stack.app, { email, platforms: ['claude'], consent: 'yes' });
      const html = await (await stack.app.request(linkIn(welcome, 'preferences'))).text();
      const rows = [...html.matchAll(/<li class="platform-row ([a-z-]+)"><h[34]>([^<]+)<\/h[34]><p class="status">([^<]*)<\/p>/g)].map(([, state, name, status]) => ({ state, name, status: textOf(status ?? '') }));
      expect(rows).toHaveLength(12);
      expect(rows.find((row) => row.name === 'Facebook')).toEqual({ state: 'done', name: 'Facebook', status: 'Done on 6 December 2026' });
      expect(rows.find((row) => row.name === 'X')?.status).toMatch(/^Still to do: Untick the boxes under “Grok & Third-party Collaborators”/);
      expect(rows.find((row) => row.name === 'Claude')).toMatchObject({ state: 'pending', status: 'Waiting for your confirmation by email' });
      expect(rows.filter((row) => row.state === 'not-listed').map((row) => row.status)).toEqual(Array(9).fill('Not on your list'));
      const text = textOf(html);
      expect(text).toContain('Facebook done; X left. Waiting for your confirmation by email: Claude.');
      for (const button of ['Add ChatGPT', 'Add Claude now', 'Drop Claude', 'Drop X', 'Drop Facebook', 'Undo: Facebook is not done yet', "I've objected on X", 'Tell me when a new deadline opens']) {
        expect(html.replace(/&#39;/g, "'"), button).toContain(`>${button}</button>`);
      }
      expect(html).not.toContain('Add Facebook');
    });

    it('adds a platform at once from the person\'s own link, sends its guide once and no confirmation, and drops one', async () => {
      const email = testAddress('add-drop');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['x'], consent: 'yes' });
      const link = linkIn(welcome, 'preferences');
      await stack.deliverMail();
      const before = subjectsTo(stack, email).length;
      const added = await post(stack.app, link, { add: 'chatgpt' });
      expect(added.status).toBe(200);
      const html = await added.text();
      expect(statusOf(html)).toBe('Added: ChatGPT. The guide is on its way by email.');
      expect(textOf(html)).toContain('Left to do: ChatGPT and X.');
      // A double click adds nothing more and sends nothing more.
      expect(statusOf(await (await post(stack.app, link, { add: 'chatgpt' })).text())).toBe('');
      await stack.deliverMail();
      const sent = subjectsTo(stack, email).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('ChatGPT');
      expect(sent[0]).not.toContain('X');
      expect(sent[0]).not.toMatch(/^Confirm/);

      const dropped = await (await post(stack.app, link, { drop: 'x' })).text();
      expect(statusOf(dropped)).toBe('Dropped: X. We no longer remind you about it.');
      expect(textOf(dropped)).toContain('Left to do: ChatGPT.');
      const data = (await (await stack.app.request(`${link}/data`)).json()) as { checklist: { platform: string }[] };
      expect(data.checklist.map((item) => item.platform)).toEqual(['chatgpt']);
    });

    it('stops and starts the watch on its own button, leaving the list as it is', async () => {
      const email = testAddress('watch');
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['gemini', 'copilot'], watch: 'on', consent: 'yes' });
      const link = linkIn(welcome, 'preferences');
      const page = await (await stack.app.request(link)).text();
      expect(page).toContain('>Stop telling me about new deadlines</button>');
      const stopped = await (await post(stack.app, link, { watch: 'off' })).text();
      expect(statusOf(stopped)).toBe('We no longer write to you about new deadlines. Your reminders go on.');
      expect(stopped).toContain('>Tell me when a new deadline opens</button>');
      const data = (await (await stack.app.request(`${link}/data`)).json()) as { person: { watch: boolean }; checklist: { platform: string }[]; watches: string[] };
      expect(data.person.watch).toBe(false);
      expect(data.watches).toEqual([]);
      expect(data.checklist.map((item) => item.platform).sort()).toEqual(['copilot', 'gemini']);
      const started = await (await post(stack.app, link, { watch: 'on' })).text();
      expect(statusOf(started)).toBe('From now on we write to you when a new objection deadline opens for a platform on your list.');
      expect(((await (await stack.app.request(`${link}/data`)).json()) as { person: { watch: boolean } }).person.watch).toBe(true);
    });

    it('changes nothing when a scanner fetches it or submits its forms as they stand', async () => {
      const welcome = await subscribeAndConfirm(stack, { email: testAddress('scanner'), platforms: ['google'], consent: 'yes' });
      const link = linkIn(welcome, 'preferences');
      const before = await tableSnapshot(stack);
      expect((await stack.app.request(link)).status).toBe(200);
      expect((await post(stack.app, link, {})).status).toBe(400);
      expect((await post(stack.app, link, { timezone: 'Europe/Berlin', locale: 'en' })).status).toBe(400);
      expect(await tableSnapshot(stack)).toBe(before);
    });
  });

  describe('"check your inbox"', () => {
    it('shows the address with a "did you mean …?" for a slip in a common domain, and the way back to the form', async () => {
      const html = await (await signUp(stack.app, { email: 'anna.berg@gmial.com', platforms: 'x', consent: 'yes' })).text();
      expect(headingOf(html)).toBe('Check your inbox');
      expect(textOf(html)).toContain('We are writing to: anna.berg@gmial.com');
      expect(textOf(html)).toContain('Did you mean anna.berg@gmail.com? Back to the form');
      expect(html).toContain('<a href="/">Back to the form</a>');
      const json = await stack.app.request('/subscribe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email: 'anna.berg@hotmial.com', platforms: ['x'], consent: true }),
      });
      expect(await json.json()).toMatchObject({ status: 'check_inbox', didYouMean: 'anna.berg@hotmail.com' });
    });

    it('offers no guess for an address that looks fine, in the form\'s language and back to the form it came from', async () => {
      const address = testAddress('fine');
      const html = await (await signUp(stack.app, { email: address, platforms: 'facebook', campaign: 'meta-ai-2025', locale: 'de', consent: 'yes' })).text();
      expect(headingOf(html)).toBe('Sehen Sie in Ihr Postfach');
      expect(textOf(html)).toContain(`Wir schreiben an: ${address}`);
      expect(html).not.toContain('Meinten Sie');
      expect(html).toContain('<a href="/c/meta-ai-2025?lang=de">Zurück zum Formular</a>');
      const slip = await (await signUp(stack.app, { email: 'anna@gmail.con', platforms: 'x', locale: 'de', consent: 'yes' })).text();
      expect(textOf(slip)).toContain('Meinten Sie anna@gmail.com?');
    });
  });
});
