import { describe, expect, it } from 'vitest';
import { ADMIN_COOKIE, SIGN_IN_LIMIT } from '../../functions/domain/admin-session.js';
import type { FailedMailSource } from '../../functions/failed-mail.js';
import { createTestStack, manualClock, post, PUBLIC_URL, subscribeAndConfirm, testAddress, type TestStack } from '../support/stack.js';

const wrongToken = 'not-the-token-0123456789';

/** The cookie a successful sign-in sets, as the browser sends it back. */
async function signIn(stack: TestStack, headers: Record<string, string> = {}): Promise<string> {
  const response = await post(stack.app, '/admin/login', { token: stack.config.ADMIN_TOKEN }, headers);
  expect(response.status).toBe(303);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

const bearer = (stack: TestStack) => ({ Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` });

describe('admin sign-in limits', () => {
  it('answers 429 with Retry-After and the wait on the page after a few failed sign-ins, while the Bearer token keeps working', async () => {
    const security = manualClock('2026-12-01T10:00:00Z');
    const stack = await createTestStack({ app: { securityClock: security.clock } });
    for (let attempt = 0; attempt < SIGN_IN_LIMIT.perClient; attempt++) {
      expect((await post(stack.app, '/admin/login', { token: wrongToken })).status).toBe(401);
    }
    const locked = await post(stack.app, '/admin/login', { token: wrongToken });
    expect(locked.status).toBe(429);
    // One more guess is allowed each window ÷ limit: 15 minutes ÷ 5 = 3 minutes.
    expect(locked.headers.get('retry-after')).toBe('180');
    expect(await locked.text()).toContain('Try again in 3 minutes');
    // Even the right token waits on the form; a script with the Bearer token does not.
    expect((await post(stack.app, '/admin/login', { token: stack.config.ADMIN_TOKEN })).status).toBe(429);
    expect((await stack.app.request('/admin/stats', { headers: bearer(stack) })).status).toBe(200);
    // Guessing through the header is limited the same way.
    const guess = await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${wrongToken}` } });
    expect(guess.status).toBe(429);
    expect(guess.headers.get('retry-after')).toBe('180');

    // The wait it names is the real one.
    security.advance(179_000);
    expect((await post(stack.app, '/admin/login', { token: stack.config.ADMIN_TOKEN })).status).toBe(429);
    security.advance(1000);
    await signIn(stack);
  });

  it('lets no burst of twice the limit through around the end of a window', async () => {
    // Two seconds before a quarter-hour edge, where a fixed window would start counting afresh.
    const security = manualClock('2026-12-01T10:14:58Z');
    const stack = await createTestStack({ app: { securityClock: security.clock } });
    for (let attempt = 0; attempt < SIGN_IN_LIMIT.perClient; attempt++) {
      expect((await post(stack.app, '/admin/login', { token: wrongToken })).status).toBe(401);
    }
    security.advance(4_000);
    const statuses = [];
    for (let attempt = 0; attempt < SIGN_IN_LIMIT.perClient; attempt++) statuses.push((await post(stack.app, '/admin/login', { token: wrongToken })).status);
    expect(statuses).toEqual(Array(SIGN_IN_LIMIT.perClient).fill(429));
  });

  it('does not count a right sign-in as a failure', async () => {
    const stack = await createTestStack();
    for (let round = 0; round < SIGN_IN_LIMIT.perClient + 2; round++) await signIn(stack);
    expect((await post(stack.app, '/admin/login', { token: wrongToken })).status).toBe(401);
  });

  it('locks the sign-in form for everyone after many failures from many clients', async () => {
    let client = 0;
    const stack = await createTestStack({ app: { clientIp: () => `203.0.113.${client}` } });
    for (; client < SIGN_IN_LIMIT.overall; client++) {
      expect((await post(stack.app, '/admin/login', { token: wrongToken })).status).toBe(401);
    }
    client = 200;
    const locked = await post(stack.app, '/admin/login', { token: wrongToken });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).not.toBeNull();
    expect((await stack.app.request('/admin/stats', { headers: bearer(stack) })).status).toBe(200);
  });
});

describe('admin sessions', () => {
  it('ends for good at sign-out: a cookie saved before is refused after', async () => {
    const stack = await createTestStack();
    const cookie = await signIn(stack);
    expect((await stack.app.request('/admin/stats', { headers: { Cookie: cookie } })).status).toBe(200);
    const out = await stack.app.request('/admin/logout', { method: 'POST', headers: { Cookie: cookie } });
    expect(out.status).toBe(303);
    const replayed = await stack.app.request('/admin', { headers: { Cookie: cookie, Accept: 'text/html' } });
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).toContain('action="/admin/login"');
    expect((await stack.app.request('/admin/stats', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('expires after eight hours, and carries no token in the cookie', async () => {
    const security = manualClock('2026-12-01T10:00:00Z');
    const stack = await createTestStack({ app: { securityClock: security.clock } });
    const cookie = await signIn(stack);
    expect(cookie.startsWith(`${ADMIN_COOKIE}=`)).toBe(true);
    expect(cookie).not.toContain(stack.config.ADMIN_TOKEN);
    security.advance(8 * 3_600_000 - 1000);
    expect((await stack.app.request('/admin/stats', { headers: { Cookie: cookie } })).status).toBe(200);
    security.advance(2000);
    expect((await stack.app.request('/admin/stats', { headers: { Cookie: cookie } })).status).toBe(401);
  });
});

describe('cross-site requests to /admin', () => {
  it('refuses a POST from another origin or another site with 403, and sends nothing', async () => {
    const stack = await createTestStack({ clock: manualClock('2025-05-20T07:00:00Z').clock });
    await subscribeAndConfirm(stack, { email: testAddress('csrf'), platforms: ['instagram'], consent: 'on' });
    const cookie = await signIn(stack);
    const before = stack.transport.messages.length;
    const send = { issue: '2025-05-meta-last-week', segment: 'platform=instagram' };
    const crossSite: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { Origin: PUBLIC_URL, 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const response = await post(stack.app, '/admin/newsletters', send, { Cookie: cookie, ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect((await post(stack.app, '/admin/logout', {}, { Cookie: cookie, ...headers })).status).toBe(403);
      expect((await post(stack.app, '/admin/login', { token: stack.config.ADMIN_TOKEN }, headers)).status).toBe(403);
    }
    expect(stack.transport.messages).toHaveLength(before);
    // The operator's own page: same origin.
    const own = await post(stack.app, '/admin/newsletters', { ...send, dryRun: 'on' }, { Cookie: cookie, Origin: PUBLIC_URL, 'Sec-Fetch-Site': 'same-origin' });
    expect(own.status).toBe(200);
  });
});

describe('the operator dashboard', () => {
  it('shows people, emails and platforms per day, each campaign with its deadline, and takes today from the app clock', async () => {
    const stack = await createTestStack({ clock: manualClock('2025-05-20T07:00:00Z').clock });
    await subscribeAndConfirm(stack, { email: testAddress('span'), platforms: ['facebook'], consent: 'on' });
    const html = await (await stack.app.request('/admin', { headers: bearer(stack) })).text();
    expect(html).toContain('Today is 2025-05-20');
    expect(html).toContain('1 forms sent, 1 new people, 1 confirmed');
    expect(html).toMatch(/>today</);
    expect(html).toMatch(/<td>Facebook<\/td><td title="meta-ai-2025">deadline<\/td><td>1<\/td><td>1<\/td><td>0<\/td>/);
    expect(html).toContain('(meta-ai-2025): deadline 2025-05-27 00:00 Europe/Berlin, open');
  });

  it('lists the emails that failed for good, with a button that sends one again', async () => {
    const retried: string[] = [];
    const failedMail: FailedMailSource = {
      list: async () => [{ id: 'mail-1', kind: 'welcome', campaignId: 'meta-ai-2025', failedAt: new Date('2025-05-20T06:00:00Z'), reason: 'MessageRejected' }],
      retry: async (id) => void retried.push(id),
    };
    const stack = await createTestStack({ app: { failedMail } });
    const html = await (await stack.app.request('/admin', { headers: bearer(stack) })).text();
    expect(html).toContain('Emails that failed for good');
    expect(html).toContain('MessageRejected');
    expect(html).toContain('action="/admin/failed-mail/retry"');
    expect(html).toContain('name="id" value="mail-1"');
    const retry = await post(stack.app, '/admin/failed-mail/retry', { id: 'mail-1' }, bearer(stack));
    expect(retry.status).toBe(303);
    expect(retried).toEqual(['mail-1']);
  });
});
