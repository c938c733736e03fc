import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN_COOKIE, adminSessionCookie } from '../../functions/domain/admin-session.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE, type PeopleStats, type PlatformStats } from '../../functions/domain/stats.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subscribeAndConfirm, testAddress, type TestStack } from '../support/stack.js';

const START = '2025-05-20T07:00:00Z';

/** Every operator route, as a method and a path; each one must refuse a stranger. */
const ADMIN_ROUTES: [string, string][] = [
  ['GET', '/admin'],
  ['GET', '/admin/'],
  ['GET', '/admin/stats'],
  ['GET', '/admin/newsletters'],
  ['POST', '/admin/newsletters'],
  ['POST', '/admin/logout'],
  ['GET', '/admin/no-such-page'],
];

const request = (stack: TestStack, method: string, path: string, headers: Record<string, string> = {}) =>
  stack.app.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(method === 'POST' ? { body: JSON.stringify({ issue: '2025-05-meta-last-week' }) } : {}),
  });

async function signIn(stack: TestStack): Promise<{ cookie: string; setCookie: string }> {
  const response = await post(stack.app, '/admin/login', { token: stack.config.ADMIN_TOKEN });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/admin');
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0] ?? '', setCookie };
}

describe('operator authentication', () => {
  it('refuses every /admin route without a token or session, with a wrong token, a forged or an expired cookie', async () => {
    const stack = await createTestStack();
    const strangers: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong-token-0123456789' },
      { Authorization: `Basic ${Buffer.from(`admin:${stack.config.ADMIN_TOKEN}`).toString('base64')}` },
      // The raw token as the cookie, a cookie signed with another token, a well-signed one of no session.
      { Cookie: `${ADMIN_COOKIE}=${stack.config.ADMIN_TOKEN}` },
      { Cookie: `${ADMIN_COOKIE}=${adminSessionCookie('some-other-admin-token-0123', 'a'.repeat(43))}` },
      { Cookie: `${ADMIN_COOKIE}=${adminSessionCookie(stack.config.ADMIN_TOKEN, 'b'.repeat(43))}` },
    ];
    for (const [method, path] of ADMIN_ROUTES) {
      for (const headers of strangers) {
        const response = await request(stack, method, path, headers);
        // Wrong Bearer tokens are guesses: after a few, the answer is 429 instead.
        const refusals = headers.Authorization?.startsWith('Bearer ') ? [401, 429] : [401];
        expect(refusals, `${method} ${path} ${JSON.stringify(headers)}`).toContain(response.status);
      }
    }
    // Nothing was sent by the refused POSTs.
    expect(stack.transport.messages).toHaveLength(0);
  });

  it('lets the bearer token through on every route', async () => {
    const stack = await createTestStack();
    for (const [method, path] of ADMIN_ROUTES) {
      const response = await request(stack, method, path, { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` });
      expect(response.status, `${method} ${path}`).not.toBe(401);
    }
  });

  it('shows the sign-in form to a stranger, and signs in with an HttpOnly, Secure, SameSite=Strict cookie that is not the token', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const form = await stack.app.request('/admin', { headers: { Accept: 'text/html' } });
    expect(form.status).toBe(401);
    const html = await form.text();
    expect(html).toContain('action="/admin/login"');
    expect(html).toContain('type="password"');

    const wrong = await post(stack.app, '/admin/login', { token: 'not-the-token-0123456789' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const { cookie, setCookie } = await signIn(stack);
    expect(setCookie).toMatch(new RegExp(`^${ADMIN_COOKIE}=`));
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect(setCookie).not.toContain(stack.config.ADMIN_TOKEN);
    expect(setCookie).not.toContain(encodeURIComponent(stack.config.ADMIN_TOKEN));

    const page = await stack.app.request('/admin', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect((await stack.app.request('/admin/stats', { headers: { Cookie: cookie } })).status).toBe(200);

    const out = await stack.app.request('/admin/logout', { method: 'POST', headers: { Cookie: cookie } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${ADMIN_COOKIE}=;.*Max-Age=0`, 'i'));
  });

  it('draws the numbers as server-side SVG under the same strict CSP: no script, no inline style', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const { stats } = stack.service;
    await stats.count(PEOPLE_SCOPE, { forms: 5, signups: 4, confirmations: 3, sent_confirm: 4, sent_welcome: 3 }, new Date('2025-05-18T10:00:00Z'));
    await stats.count(PEOPLE_SCOPE, { forms: 2, signups: 2, sent_confirm: 2, sent_morning: 3 }, new Date('2025-05-20T07:00:00Z'));
    await stats.count(PLATFORMS_SCOPE, { asked_facebook: 4, picked_facebook: 3, done_facebook: 2, asked_chatgpt: 1, picked_chatgpt: 1 }, new Date('2025-05-18T10:00:00Z'));
    const { cookie } = await signIn(stack);
    const page = await stack.app.request('/admin', { headers: { Cookie: cookie } });
    const html = await page.text();
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('<polyline');
    expect(html).toContain('7 forms sent, 6 new people, 3 confirmed');
    expect(html).toContain('12 emails queued for the mailer: 6 confirm, 3 welcome, 3 morning, 0 announcement, 0 newsletter');
    // Per platform, grouped by company, with today's action: Meta's deadline was open on 20 May 2025.
    expect(html).toMatch(/<th colspan="7">Meta apps<\/th>[\s\S]*<td>Facebook<\/td><td title="meta-ai-2025">deadline<\/td><td>4<\/td><td>3<\/td><td>2<\/td><td>0<\/td><td>67 %<\/td>/);
    expect(html).toMatch(/<th colspan="7">OpenAI<\/th>[\s\S]*<td>ChatGPT<\/td><td>[a-z]+<\/td><td>1<\/td><td>1<\/td><td>0<\/td>/);
    expect(html).toContain('Done of picked, per platform');
    expect(html).toContain('2 / 3');
    // The campaigns in a few words: a deadline open or passed, standing, or not announced yet.
    expect(html).toContain('(meta-ai-2025): deadline 2025-05-27 00:00 Europe/Berlin, open; Facebook, Instagram, WhatsApp, Threads.');
    expect(html).toMatch(/\(x-grok-2026\): not announced yet \(from 2026-01-15\), standing; X\./);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\sstyle=/i);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('sends a newsletter from the page: a dry run by default, answered on the page', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    await subscribeAndConfirm(stack, { email: testAddress('page'), platforms: ['instagram'], consent: 'on' });
    const { cookie } = await signIn(stack);
    const before = stack.transport.messages.length;
    const response = await post(stack.app, '/admin/newsletters', { issue: '2025-05-meta-last-week', segment: 'platform=instagram', dryRun: 'on' }, { Cookie: cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Dry run of 2025-05-meta-last-week \(campaign meta-ai-2025, locale en, platform instagram, not done\): 1 in the audience, 1 would be sent now/);
    expect(stack.transport.messages).toHaveLength(before);
  });
});

describe('the daily counters behind /admin/stats', () => {
  const read = async (stack: TestStack) => {
    const response = await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, stats: JSON.parse(text) as { people: PeopleStats; platforms: PlatformStats; feedback: unknown } };
  };

  it('count forms, people, confirmations, platforms picked and done, emails by kind, leaving, bounces and complaints, and outlive erasure', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const stay = testAddress('stay');
    const welcome = await subscribeAndConfirm(stack, { email: stay, platforms: ['facebook', 'whatsapp'], consent: 'on', timezone: 'Europe/Berlin' });
    // The first "I've objected" of the guide is Facebook's (the deadline's platforms in form order).
    expect((await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' })).status).toBe(200);
    expect((await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' })).status).toBe(200); // twice: counted once
    const pending = testAddress('pending');
    expect((await signUp(stack.app, { email: pending, platforms: 'instagram', consent: 'on' })).status).toBe(200);
    const leave = testAddress('leave');
    const left = await subscribeAndConfirm(stack, { email: leave, platforms: ['instagram'], consent: 'on', timezone: 'Europe/Berlin' });
    expect((await post(stack.app, linkIn(left, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    // A known person's second form adds X: a form, not a new person; its confirmation adds a platform, not a confirmed person.
    expect((await signUp(stack.app, { email: stay, platforms: 'x', consent: 'on', timezone: 'Europe/Berlin' })).status).toBe(200);
    const again = (await inbox(stay)).filter((mail) => mail.subject.startsWith('Confirm')).at(-1)!;
    expect((await post(stack.app, linkIn(again, 'confirm'), { confirm: 'yes' })).status).toBe(200);

    // Two days on: the 14-days morning to the one who stayed, and SES feedback about three addresses.
    time.set('2025-05-12T07:30:00Z');
    expect((await stack.service.countdown.run()).queued).toBe(1);
    const { feedback } = stack.service;
    await feedback.handleSnsEvent(snsEvent('ses-bounce-permanent', testAddress('gone')));
    await feedback.handleSnsEvent(snsEvent('ses-complaint', testAddress('angry')));
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', testAddress('full')));

    const { stats } = await read(stack);
    expect(stats.people.totals).toEqual({
      forms: 4,
      signups: 3,
      confirmations: 2,
      unsubscribes: 1,
      erasures: 0,
      suppressions: 0,
      sent: 8,
      sentByKind: { confirm: 4, welcome: 3, morning: 1, announcement: 0, newsletter: 0 },
    });
    expect(stats.people.days).toEqual([
      expect.objectContaining({ date: '2025-05-10', forms: 4, signups: 3, confirmations: 2, unsubscribes: 1, sent: 7 }),
      expect.objectContaining({ date: '2025-05-12', forms: 0, sent: 1, sentByKind: { confirm: 0, welcome: 0, morning: 1, announcement: 0, newsletter: 0 } }),
    ]);
    // Every email counted went out, and every email that went out was counted.
    const delivered = (await Promise.all([stay, pending, leave].map(async (address) => (await inbox(address)).length))).reduce((sum, n) => sum + n, 0);
    expect(delivered).toBe(stats.people.totals.sent);
    expect((await inbox(leave)).length).toBe(2);

    const { totals } = stats.platforms;
    expect(totals.facebook).toEqual({ asked: 1, picked: 1, done: 1, dropped: 0 });
    expect(totals.whatsapp).toEqual({ asked: 1, picked: 1, done: 0, dropped: 0 });
    // The one who left keeps their count: the numbers outlive the erasure.
    expect(totals.instagram).toEqual({ asked: 2, picked: 1, done: 0, dropped: 0 });
    expect(totals.x).toEqual({ asked: 1, picked: 1, done: 0, dropped: 0 });
    expect(totals.linkedin).toEqual({ asked: 0, picked: 0, done: 0, dropped: 0 });
    expect(stats.platforms.days.map((day) => day.date)).toEqual(['2025-05-10']);
    expect(stats.feedback).toEqual({
      totals: { bounces: 1, softBounces: 1, complaints: 1 },
      days: [{ date: '2025-05-12', bounces: 1, softBounces: 1, complaints: 1 }],
    });

    // Undo subtracts, on the day it happens; the page and the JSON read the same counters.
    expect((await post(stack.app, linkIn(welcome, 'objected', 0), { undo: '1' })).status).toBe(200);
    const after = await read(stack);
    expect(after.stats.platforms.totals.facebook).toEqual({ asked: 1, picked: 1, done: 0, dropped: 0 });
    expect(after.stats.platforms.days.at(-1)).toEqual({ date: '2025-05-12', platforms: { facebook: { asked: 0, picked: 0, done: -1, dropped: 0 } } });
    const page = await (await stack.app.request('/admin', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } })).text();
    expect(page).toContain('4 forms sent, 3 new people, 2 confirmed, 1 unsubscribed, 0 deleted their data');
    // No personal data on the page or in the JSON: no address, not even its local part.
    for (const text of [page, after.text]) {
      expect(text).not.toContain('@example.org');
      for (const address of [stay, pending, leave]) expect(text).not.toContain(address.split('@')[0]!);
    }
  });
});

function snsEvent(name: 'ses-bounce-permanent' | 'ses-bounce-transient' | 'ses-complaint', address: string) {
  const text = readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8');
  const event = JSON.parse(text.replaceAll('recipient@example.org', address)) as { Records: { Sns: { MessageId: string } }[] };
  event.Records[0]!.Sns.MessageId = randomUUID();
  return event;
}
