import { beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../functions/domain/token.js';
import {
  createTestStack,
  inbox,
  linkIn,
  manualClock,
  post,
  signUp,
  subscribeAndConfirm,
  tableSnapshot,
  testAddress,
  textOf,
  type StoredEmail,
  type TestStack,
} from '../support/stack.js';

/** Today's clock: no deadline open, every platform with its standing action. */
const NOW = '2026-12-06T10:00:00Z';

async function subscribe(stack: TestStack, platforms: string[] = ['facebook', 'x']): Promise<{ email: string; welcome: StoredEmail }> {
  const email = testAddress();
  return { email, welcome: await subscribeAndConfirm(stack, { email, platforms, consent: 'on', timezone: 'Europe/Berlin' }) };
}

/** The person a link of theirs is for: the id and generation its token names. */
function personOf(link: string): { id: string; generation: string } {
  const [, id, generation] = (link.split('/')[2] ?? '').split('.');
  return { id: id ?? '', generation: generation ?? '' };
}

describe('links in emails', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(NOW).clock });
  });

  describe('/objected', () => {
    it('asks before marking a platform done, with today\'s action and its link, and a GET or HEAD changes nothing', async () => {
      const { welcome } = await subscribe(stack);
      const link = new URL(stack.service.links.objected(personOf(linkIn(welcome, 'preferences')), 'x')).pathname;
      const before = await tableSnapshot(stack);
      const page = await stack.app.request(link);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Mark X as done?');
      expect(textOf(html)).toContain('Untick the boxes under “Grok & Third-party Collaborators”');
      expect(html).toContain('href="https://x.com/settings/grok_settings"');
      expect((await stack.app.request(link, { method: 'HEAD' })).status).toBe(200);
      expect(await tableSnapshot(stack)).toBe(before);
    });

    it('marks done only with the ticked box, counts a repeat once, and undoes only on an explicit undo', async () => {
      const { welcome } = await subscribe(stack);
      const person = personOf(linkIn(welcome, 'preferences'));
      const facebook = new URL(stack.service.links.objected(person, 'facebook')).pathname;
      // Without the ticked box ("I have sent the form") nothing is marked: a scanner submits forms as they stand.
      const before = await tableSnapshot(stack);
      const unticked = await post(stack.app, facebook, { done: 'yes' });
      expect(unticked.status).toBe(400);
      expect(await unticked.text()).toContain('tick the box');
      expect(await tableSnapshot(stack)).toBe(before);
      expect(textOf(await (await post(stack.app, facebook, { sent: 'yes' })).text())).toContain('Facebook done; X left.');
      expect(textOf(await (await post(stack.app, facebook, { sent: 'yes' })).text())).toContain('Facebook done; X left.');
      expect(textOf(await (await post(stack.app, facebook, { undo: '0', sent: 'yes' })).text())).toContain('Facebook done; X left.');
      const json = await stack.app.request(facebook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ undo: false, sent: true }) });
      expect(await json.json()).toEqual({ platform: 'facebook', done: true, left: ['x'], allDone: false });
      const undone = textOf(await (await post(stack.app, facebook, { undo: 'yes' })).text());
      expect(undone).toContain('Facebook is back on your list');
      expect(undone).toContain('Left to do: Facebook and X.');
    });

    it('still takes the "I\'ve objected" link of an old email, which names a campaign', async () => {
      const { welcome } = await subscribe(stack, ['facebook', 'instagram']);
      const person = personOf(linkIn(welcome, 'preferences'));
      const old = `/objected/${signToken(stack.config.SIGNING_SECRET, { purpose: 'objected', personId: person.id, generation: person.generation, campaignId: 'meta-ai-2025', platform: 'instagram' })}`;
      expect(await (await stack.app.request(old)).text()).toContain('Mark Instagram as done?');
      expect(textOf(await (await post(stack.app, old, { sent: 'yes' })).text())).toContain('Instagram done; Facebook left.');
    });
  });

  describe('/unsubscribe', () => {
    it('shows a page with a button on GET and keeps the person', async () => {
      const { welcome } = await subscribe(stack);
      const before = await tableSnapshot(stack);
      const page = await stack.app.request(linkIn(welcome, 'unsubscribe'));
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<button type="submit" name="scope" value="all">Unsubscribe from everything</button>');
      // A link of today's emails names no campaign: there is no "stop only" to offer.
      expect(html).not.toContain('Stop only');
      expect(await tableSnapshot(stack)).toBe(before);
    });

    it('unsubscribes at once on the RFC 8058 one-click POST, answers 200 without a redirect, and erases the data', async () => {
      const { email, welcome } = await subscribe(stack);
      const response = await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(404);
      expect((await post(stack.app, linkIn(welcome, 'objected'), { sent: 'yes' })).status).toBe(404);
      expect(await tableSnapshot(stack)).not.toContain(email);
      expect((await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    });

    it('accepts the one-click body as multipart too', async () => {
      const { welcome } = await subscribe(stack);
      const body = new FormData();
      body.set('List-Unsubscribe', 'One-Click');
      const response = await stack.app.request(linkIn(welcome, 'unsubscribe'), { method: 'POST', body });
      expect(response.status).toBe(200);
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(404);
    });

    it('offers "stop only this campaign" on an old link that names one, and drops only its platforms', async () => {
      const { welcome } = await subscribe(stack, ['facebook', 'instagram', 'x']);
      const person = personOf(linkIn(welcome, 'preferences'));
      const old = `/unsubscribe/${signToken(stack.config.SIGNING_SECRET, { purpose: 'unsubscribe', personId: person.id, generation: person.generation, campaignId: 'meta-ai-2025' })}`;
      const page = textOf(await (await stack.app.request(old)).text());
      expect(page).toContain('Facebook and Instagram leave your list, and the rest goes on.');
      expect(page).toContain('Stop only Meta AI training objection 2025');
      const left = await post(stack.app, old, { scope: 'campaign' });
      expect(left.status).toBe(200);
      expect(textOf(await left.text())).toContain('Facebook and Instagram left your list.');
      const preferences = textOf(await (await stack.app.request(linkIn(welcome, 'preferences'))).text());
      expect(preferences).toContain('Left to do: X.');
    });

    it('lets a person who left sign up again with a fresh confirmation', async () => {
      const { email, welcome } = await subscribe(stack);
      await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
      await signUp(stack.app, { email, platforms: 'threads', consent: 'on' });
      const mails = await inbox(email);
      expect(mails.at(-1)?.subject).toMatch(/^Confirm/);
    });
  });

  describe('/preferences', () => {
    it('changes the time zone and language with its own button, and the list stays as it was', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'preferences');
      const saved = await post(stack.app, link, { timezone: 'Asia/Tokyo', locale: 'de', save: 'yes' });
      expect(saved.status).toBe(200);
      const html = await saved.text();
      // The page answers in the language just picked.
      expect(html).toContain('Gespeichert.');
      expect(html).toContain('value="Asia/Tokyo"');
      const data = (await (await stack.app.request(`${link}/data`)).json()) as { person: { timeZone: string; locale: string }; checklist: { platform: string }[] };
      expect(data.person).toMatchObject({ timeZone: 'Asia/Tokyo', locale: 'de' });
      expect(data.checklist.map((item) => item.platform)).toEqual(['facebook', 'x']);
    });

    it('refuses a time zone it does not know, with a message, and keeps the old one', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'preferences');
      const response = await post(stack.app, link, { timezone: 'Nowhere/Land', locale: 'en', save: 'yes' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Pick a valid time zone, such as Europe/Berlin.');
      expect(await (await stack.app.request(`${link}/data`)).json()).toMatchObject({ person: { timeZone: 'Europe/Berlin' } });
    });

    it('sets the whole list from JSON, and refuses an empty one with a reason', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'preferences');
      const json = (body: unknown) => stack.app.request(link, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
      const refused = await json({ platforms: [], timezone: 'Europe/Berlin', save: true });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ fields: { platforms: 'Pick at least one platform.' } });
      const saved = await json({ platforms: ['x', 'claude'], timezone: 'Europe/Berlin', save: true });
      expect(await saved.json()).toEqual({ status: 'saved', added: ['claude'] });
      const data = (await (await stack.app.request(`${link}/data`)).json()) as { checklist: { platform: string }[] };
      expect(data.checklist.map((item) => item.platform).sort()).toEqual(['claude', 'x']);
    });

    it('changes nothing on a POST without a pressed button', async () => {
      const { welcome } = await subscribe(stack);
      const before = await tableSnapshot(stack);
      const response = await post(stack.app, linkIn(welcome, 'preferences'), { timezone: 'Asia/Tokyo', locale: 'de' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('press one of the buttons');
      expect(await tableSnapshot(stack)).toBe(before);
    });

    it('hands out the stored data as a JSON download', async () => {
      const { email, welcome } = await subscribe(stack);
      const response = await stack.app.request(`${linkIn(welcome, 'preferences')}/data`);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('content-disposition')).toContain('attachment');
      expect(await response.json()).toMatchObject({
        person: { email, platforms: [{ id: 'facebook', state: 'active' }, { id: 'x', state: 'active' }] },
        checklist: [{ platform: 'facebook', state: 'active' }, { platform: 'x', state: 'active' }],
      });
    });

    it('deletes the person on "delete me", keeping only a hash of the address', async () => {
      const { email, welcome } = await subscribe(stack);
      const response = await post(stack.app, `${linkIn(welcome, 'preferences')}/delete`, { delete: 'yes' });
      expect(response.status).toBe(200);
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(404);
      const table = await tableSnapshot(stack);
      expect(table).not.toContain(email);
      expect(table).toContain('"erased"');
    });
  });

  describe('bad tokens', () => {
    it('answers a tampered token with a 4xx page and changes nothing', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'unsubscribe');
      const tampered = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
      const response = await post(stack.app, tampered, { 'List-Unsubscribe': 'One-Click' });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This link is not valid');
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(200);
    });

    it('refuses a token made for another purpose', async () => {
      const { welcome } = await subscribe(stack);
      const preferencesToken = linkIn(welcome, 'preferences').split('/')[2];
      expect((await post(stack.app, `/unsubscribe/${preferencesToken}`, { 'List-Unsubscribe': 'One-Click' })).status).toBe(403);
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(200);
    });

    it('answers a well-signed token for an unknown person with 404', async () => {
      const token = signToken(stack.config.SIGNING_SECRET, { purpose: 'preferences', personId: 'A'.repeat(43), generation: 'Gen12345' });
      expect((await stack.app.request(`/preferences/${token}`)).status).toBe(404);
    });

    it('does not let an "I\'ve objected" link for a platform not on the list change anything', async () => {
      const { welcome } = await subscribe(stack, ['facebook']);
      const person = personOf(linkIn(welcome, 'preferences'));
      const before = await tableSnapshot(stack);
      const link = new URL(stack.service.links.objected(person, 'threads')).pathname;
      expect((await post(stack.app, link, { sent: 'yes' })).status).toBe(404);
      expect(await tableSnapshot(stack)).toBe(before);
    });
  });
});

describe('links from an email of an earlier sign-up', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(NOW).clock });
  });

  /** Signs up, leaves, signs up again (with `again`) and confirms: the first welcome's links are an earlier sign-up's. */
  async function cameBack(again: Record<string, string | string[]> = { platforms: ['facebook', 'instagram'] }) {
    const { email, welcome: old } = await subscribe(stack);
    expect((await post(stack.app, linkIn(old, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect((await signUp(stack.app, { email, consent: 'on', timezone: 'Europe/Berlin', ...again })).status).toBe(200);
    const confirmation = (await inbox(email)).at(-1)!;
    expect(confirmation.subject).toMatch(/^Confirm/);
    expect((await post(stack.app, linkIn(confirmation, 'confirm'), { confirm: 'yes' })).status).toBe(200);
    const current = (await inbox(email)).at(-1)!;
    expect(current.subject).toContain('guide');
    expect((await stack.app.request(linkIn(current, 'preferences'))).status).toBe(200);
    return { email, old, current };
  }

  it('stops every email to the address on a one-click unsubscribe from the earlier email, as it says', async () => {
    const { email, old, current } = await cameBack();
    const response = await post(stack.app, linkIn(old, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No more emails will come');
    expect((await stack.app.request(linkIn(current, 'preferences'))).status).toBe(404);
    expect(await tableSnapshot(stack)).not.toContain(email);
  });

  it('stops every email to the address on the unsubscribe page\'s button of the earlier email', async () => {
    const { email, old, current } = await cameBack();
    const page = await stack.app.request(linkIn(old, 'unsubscribe'));
    expect(await page.text()).toContain('Unsubscribe from everything');
    expect((await post(stack.app, linkIn(old, 'unsubscribe'), { scope: 'all' })).status).toBe(200);
    expect((await stack.app.request(linkIn(current, 'preferences'))).status).toBe(404);
    expect(await tableSnapshot(stack)).not.toContain(email);
  });

  it('erases the address\'s data on "delete me" from the earlier email\'s preferences link', async () => {
    const { email, old, current } = await cameBack();
    const response = await post(stack.app, `${linkIn(old, 'preferences')}/delete`, { delete: 'yes' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Your data is deleted');
    expect((await stack.app.request(linkIn(current, 'preferences'))).status).toBe(404);
    expect(await tableSnapshot(stack)).not.toContain(email);
  });

  /** The unsubscribe link of an older email about one campaign, as emails before platform-first carried it. */
  const campaignUnsubscribe = (old: StoredEmail, campaignId: string) => new URL(stack.service.links.unsubscribe(personOf(linkIn(old, 'preferences')), campaignId)).pathname;

  it('stops only that campaign\'s platforms from the earlier email when the new list has them', async () => {
    const { old, current } = await cameBack({ platforms: ['facebook', 'linkedin'] });
    const left = await post(stack.app, campaignUnsubscribe(old, 'meta-ai-2025'), { scope: 'campaign' });
    const text = textOf(await left.text());
    expect(text).toContain('No more emails about Meta AI training objection 2025');
    expect(text).toContain('Facebook left your list');
    const view = await stack.service.journey.openPreferences(linkIn(current, 'preferences').split('/')[2]!);
    expect(view.person.platforms.map((p) => p.id)).toEqual(['linkedin']);
  });

  it('says that nothing changed, and why, when "stop only this campaign" of the earlier email names a campaign none of whose platforms the new list has', async () => {
    const { old, current } = await cameBack({ platforms: 'linkedin' });
    const link = campaignUnsubscribe(old, 'meta-ai-2025');
    const page = await (await stack.app.request(link)).text();
    expect(page).not.toContain('Stop only Meta AI training objection 2025');
    const answer = await post(stack.app, link, { scope: 'campaign' });
    const text = await answer.text();
    expect(text).not.toContain('No more emails about');
    expect(text).toContain('Nothing was changed');
    expect(text).toContain('latest email');
    const json = await stack.app.request(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'scope=campaign',
    });
    expect(await json.json()).toEqual({ status: 'not_subscribed', campaign: 'meta-ai-2025' });
    const view = await stack.service.journey.openPreferences(linkIn(current, 'preferences').split('/')[2]!);
    expect(view.person.platforms.map((p) => p.id)).toEqual(['linkedin']);
  });
});

describe('operator endpoints', () => {
  it('answers /health', async () => {
    const stack = await createTestStack();
    const response = await stack.app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses /admin/stats without the admin token', async () => {
    const stack = await createTestStack();
    expect((await stack.app.request('/admin/stats')).status).toBe(401);
    expect((await stack.app.request('/admin/stats', { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });
});
