import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../functions/domain/token.js';
import { createTestStack, inbox, linkIn, subscribeAndConfirm, manualClock, post, signUp, testAddress, type StoredEmail, type TestStack } from '../support/stack.js';

const START = '2025-05-20T07:00:00Z';

async function subscribe(stack: TestStack, platforms: string[] = ['facebook', 'instagram']): Promise<{ email: string; welcome: StoredEmail }> {
  const email = testAddress();
  return { email, welcome: await subscribeAndConfirm(stack, { email, platforms, consent: 'on', timezone: 'Europe/Berlin' }) };
}

async function tableText(stack: TestStack): Promise<string> {
  const { Items } = await stack.dynamo.send(new ScanCommand({ TableName: stack.config.TABLE_NAME }));
  return JSON.stringify(Items);
}

describe('links in emails', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(START).clock });
  });

  describe('/objected', () => {
    it('asks before marking a platform done, and a GET changes nothing', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'objected', 0);
      const page = await stack.app.request(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Mark Facebook as done?');
      expect(await (await stack.app.request(link)).text()).toContain('Mark Facebook as done?');
    });

    it('records the objection, shows what is left, offers an undo, and says well done at the end', async () => {
      const { welcome } = await subscribe(stack);
      const facebook = linkIn(welcome, 'objected', 0);
      const instagram = linkIn(welcome, 'objected', 1);
      // Without the ticked box ("I have sent the form") nothing is marked: a scanner submits forms as they stand.
      const unticked = await post(stack.app, facebook);
      expect(unticked.status).toBe(400);
      expect(await unticked.text()).toContain('tick the box');
      const first = await (await post(stack.app, facebook, { sent: 'yes' })).text();
      expect(first).toContain('Facebook is marked as done');
      expect(first).toContain('Still to do: Instagram');
      expect(first).toContain('Undo');
      expect(await (await post(stack.app, facebook, { sent: 'yes' })).text()).toContain('Still to do: Instagram');
      expect(await (await post(stack.app, instagram, { sent: 'yes' })).text()).toContain('Well done');
      // Only an explicit undo undoes.
      expect(await (await post(stack.app, instagram, { undo: '0', sent: 'yes' })).text()).toContain('Well done');
      const json = await stack.app.request(instagram, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ undo: false, sent: true }) });
      expect(await json.json()).toMatchObject({ done: true, left: [] });
      expect(await (await post(stack.app, instagram, { undo: '1' })).text()).toContain('Instagram is back on your list');
      const preferences = await (await stack.app.request(linkIn(welcome, 'preferences'))).text();
      expect(preferences).toMatch(/Facebook <span class="status-done">\(done\)/);
      expect(preferences).toMatch(/Instagram <span class="status-done">\(to do\)/);
    });
  });

  describe('/unsubscribe', () => {
    it('shows a page with a button on GET and keeps the subscription', async () => {
      const { welcome } = await subscribe(stack);
      const page = await stack.app.request(linkIn(welcome, 'unsubscribe'));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<button type="submit" name="scope" value="all">Unsubscribe from everything</button>');
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(200);
    });

    it('unsubscribes at once on the RFC 8058 one-click POST, answers 200 without a redirect, and erases the data', async () => {
      const { email, welcome } = await subscribe(stack);
      const response = await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(404);
      expect((await post(stack.app, linkIn(welcome, 'objected'), { sent: 'yes' })).status).toBe(404);
      expect(await tableText(stack)).not.toContain(email);
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

    it('lets a person who left sign up again with a fresh confirmation', async () => {
      const { email, welcome } = await subscribe(stack);
      await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
      await signUp(stack.app, { email, platforms: 'threads', consent: 'on' });
      const mails = await inbox(email);
      expect(mails.at(-1)?.subject).toMatch(/^Confirm/);
    });
  });

  describe('/preferences', () => {
    it('changes platforms, time zone and language', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'preferences');
      const saved = await post(stack.app, link, { platforms: 'threads', timezone: 'Asia/Tokyo', locale: 'en', save: 'yes' });
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain('Saved.');
      const data = (await (await stack.app.request(`${link}/data`)).json()) as Record<string, unknown>;
      expect(data).toMatchObject({ person: { platforms: ['threads'], timeZone: 'Asia/Tokyo', locale: 'en' }, campaigns: [{ platforms: ['threads'] }] });
    });

    it('refuses an empty platform list with a message and keeps the old choice', async () => {
      const { welcome } = await subscribe(stack);
      const link = linkIn(welcome, 'preferences');
      const response = await post(stack.app, link, { timezone: 'Europe/Berlin', save: 'yes' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Pick at least one platform.');
      expect(await (await stack.app.request(`${link}/data`)).json()).toMatchObject({ person: { platforms: ['facebook', 'instagram'] } });
    });

    it('hands out the stored data as a JSON download', async () => {
      const { email, welcome } = await subscribe(stack);
      const response = await stack.app.request(`${linkIn(welcome, 'preferences')}/data`);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('content-disposition')).toContain('attachment');
      expect(await response.json()).toMatchObject({ person: { email, platforms: ['facebook', 'instagram'] }, campaigns: [{ campaignId: 'meta-ai-2025', platforms: ['facebook', 'instagram'] }] });
    });

    it('deletes the person on "delete me", keeping only a hash of the address', async () => {
      const { email, welcome } = await subscribe(stack);
      const response = await post(stack.app, `${linkIn(welcome, 'preferences')}/delete`, { delete: 'yes' });
      expect(response.status).toBe(200);
      expect((await stack.app.request(linkIn(welcome, 'preferences'))).status).toBe(404);
      const table = await tableText(stack);
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

    it('answers a well-signed token for an unknown subscriber with 404', async () => {
      const token = signToken(stack.config.SIGNING_SECRET, { purpose: 'preferences', personId: 'A'.repeat(43), generation: 'Gen12345' });
      expect((await stack.app.request(`/preferences/${token}`)).status).toBe(404);
    });

    it('does not let an objected link for a platform not picked change anything', async () => {
      const { welcome } = await subscribe(stack, ['facebook']);
      const [, personId, generation] = linkIn(welcome, 'objected').split('/')[2]!.split('.') as [string, string, string];
      const token = signToken(stack.config.SIGNING_SECRET, { purpose: 'objected', personId, generation, campaignId: 'meta-ai-2025', platform: 'threads' });
      expect((await post(stack.app, `/objected/${token}`, { sent: 'yes' })).status).toBe(404);
    });
  });
});

describe('links from an email of an earlier sign-up', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(START).clock });
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
    expect(await tableText(stack)).not.toContain(email);
  });

  it('stops every email to the address on the unsubscribe page\'s button of the earlier email', async () => {
    const { email, old, current } = await cameBack();
    const page = await stack.app.request(linkIn(old, 'unsubscribe'));
    expect(await page.text()).toContain('Unsubscribe from everything');
    expect((await post(stack.app, linkIn(old, 'unsubscribe'), { scope: 'all' })).status).toBe(200);
    expect((await stack.app.request(linkIn(current, 'preferences'))).status).toBe(404);
    expect(await tableText(stack)).not.toContain(email);
  });

  it('erases the address\'s data on "delete me" from the earlier email\'s preferences link', async () => {
    const { email, old, current } = await cameBack();
    const response = await post(stack.app, `${linkIn(old, 'preferences')}/delete`, { delete: 'yes' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Your data is deleted');
    expect((await stack.app.request(linkIn(current, 'preferences'))).status).toBe(404);
    expect(await tableText(stack)).not.toContain(email);
  });

  it('stops only that campaign from the earlier email when the new sign-up has it', async () => {
    const { old, current } = await cameBack({ platforms: ['facebook', 'linkedin'], campaign: ['meta-ai-2025', 'linkedin-ai-2025'] });
    const left = await post(stack.app, linkIn(old, 'unsubscribe'), { scope: 'campaign' });
    expect(await left.text()).toContain('No more emails about Meta AI training objection 2025');
    const preferences = await (await stack.app.request(linkIn(current, 'preferences'))).text();
    expect(preferences).toContain('You left this campaign.');
    expect(preferences).toContain('LinkedIn AI training opt-out 2025');
  });

  it('says that nothing changed, and why, when "stop only this campaign" of the earlier email names a campaign the new sign-up does not have', async () => {
    const { old, current } = await cameBack({ platforms: 'linkedin', campaign: 'linkedin-ai-2025' });
    const page = await (await stack.app.request(linkIn(old, 'unsubscribe'))).text();
    expect(page).not.toContain('Stop only Meta AI training objection 2025');
    const answer = await post(stack.app, linkIn(old, 'unsubscribe'), { scope: 'campaign' });
    const text = await answer.text();
    expect(text).not.toContain('No more emails about');
    expect(text).toContain('Nothing was changed');
    expect(text).toContain('latest email');
    const json = await stack.app.request(linkIn(old, 'unsubscribe'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'scope=campaign',
    });
    expect(await json.json()).toEqual({ status: 'not_subscribed', campaign: 'meta-ai-2025' });
    const preferences = await (await stack.app.request(linkIn(current, 'preferences'))).text();
    expect(preferences).not.toContain('You left this campaign.');
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

  it('counts subscribers per state and done per platform', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const { welcome } = await subscribe(stack, ['facebook', 'whatsapp']);
    await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' });
    await signUp(stack.app, { email: testAddress(), platforms: 'facebook', consent: 'on' });
    const left = await subscribe(stack, ['instagram']);
    await post(stack.app, linkIn(left.welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
    const response = await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    // Daily counters, not a scan: who left still counts as signed up and confirmed.
    expect(await response.json()).toMatchObject({
      campaigns: {
        'meta-ai-2025': {
          totals: {
            signups: 3,
            confirmations: 2,
            unsubscribes: 1,
            platforms: { facebook: { picked: 1, done: 1 }, whatsapp: { picked: 1, done: 0 }, instagram: { picked: 1, done: 0 } },
          },
        },
      },
    });
  });
});
