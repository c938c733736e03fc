import { AsyncLocalStorage } from 'node:async_hooks';
import { CONSENT_TEXT_VERSION } from '../../functions/domain/signup.js';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { injectTransactionConflicts } from '../support/transaction-conflicts.js';
import { hashAddress } from '../../functions/domain/token.js';
import { textFor } from '../../functions/locales/index.js';
import { createTestStack, inbox, subscribeAndConfirm, unfoldHeaders, linkIn, manualClock, post, signUp, testAddress, type TestStack } from '../support/stack.js';

// Twelve days before the Meta deadline (2025-05-27T00:00 Europe/Berlin).
const START = '2025-05-14T08:00:00Z';

const form = (email: string, extra: Record<string, string | string[]> = {}) => ({
  email,
  platforms: ['facebook', 'instagram'],
  timezone: 'Europe/Berlin',
  consent: 'yes',
  ...extra,
});

const confirmedSubscriber = (stack: TestStack, email: string, extra: Record<string, string | string[]> = {}) => subscribeAndConfirm(stack, form(email, extra));

describe('sign-up and double opt-in', () => {
  let stack: TestStack;
  const time = manualClock(START);
  beforeAll(async () => {
    stack = await createTestStack({ clock: time.clock });
  });

  it('answers a browser with "check your inbox" and sends one confirmation email with one link', async () => {
    const email = testAddress();
    const response = await signUp(stack.app, form(email));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Check your inbox');
    const mails = await inbox(email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe('Confirm your guides for Facebook and Instagram');
    expect([...(mail?.body.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual([
      expect.stringMatching(/^https:\/\/optout\.example\/confirm\//),
    ]);
    expect(mail?.body.text).toContain('/confirm/');
    expect(stack.transport.to(email)[0]).not.toMatch(/^List-Unsubscribe/m);
  });

  it('takes JSON as well as a form', async () => {
    const email = testAddress();
    const response = await stack.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, platforms: ['whatsapp'], consent: true }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'check_inbox' });
    expect(await inbox(email)).toHaveLength(1);
  });

  it('gives the same answer whether the address is new, pending or confirmed', async () => {
    const email = testAddress();
    const asJson = { Accept: 'application/json' };
    const fresh = await signUp(stack.app, form(email), asJson);
    const pending = await signUp(stack.app, form(email), asJson);
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const confirmed = await signUp(stack.app, form(email), asJson);
    const bodies = await Promise.all([fresh, pending, confirmed].map((r) => r.text()));
    expect([fresh.status, pending.status, confirmed.status]).toEqual([200, 200, 200]);
    expect(new Set(bodies).size).toBe(1);
  });

  it('sends at most one confirmation per address in 15 minutes, then another one', async () => {
    const email = testAddress();
    await signUp(stack.app, form(email));
    time.advance(14 * 60_000);
    await signUp(stack.app, form(email));
    expect(await inbox(email)).toHaveLength(1);
    time.advance(2 * 60_000);
    await signUp(stack.app, form(email));
    expect(await inbox(email)).toHaveLength(2);
    time.set(START);
  });

  it('stores and sends nothing when the honeypot is filled, yet answers as usual', async () => {
    const email = testAddress();
    const response = await signUp(stack.app, form(email, { website: 'https://spam.example' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Check your inbox');
    expect(await inbox(email)).toHaveLength(0);
    const items = await stack.dynamo.send(new ScanCommand({ TableName: stack.config.TABLE_NAME }));
    expect(JSON.stringify(items.Items)).not.toContain(email);
  });

  it('answers bad input with 400 and a message per field, as JSON', async () => {
    const response = await stack.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'email=not-an-address&platforms=myspace&timezone=Mars/Olympus',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; fields: Record<string, string> };
    expect(body.code).toBe('invalid_input');
    // Every wrong field at once, the time zone among them.
    expect(Object.keys(body.fields).sort()).toEqual(['consent', 'email', 'platforms', 'timezone']);
    expect(body.fields.email).toMatch(/email address/i);
  });

  it('refuses an unknown time zone with a message for that field', async () => {
    const response = await signUp(stack.app, form(testAddress(), { timezone: 'Mars/Olympus' }), { Accept: 'application/json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ fields: { timezone: expect.stringMatching(/time zone/) } });
  });

  it('re-renders the form with the values kept and the errors announced', async () => {
    const email = testAddress();
    const response = await signUp(stack.app, { email, platforms: 'instagram', timezone: 'Europe/Vienna' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain(`value="${email}"`);
    expect(html).toMatch(/id="platform-instagram"[^>]*checked/);
    expect(html).toContain('value="Europe/Vienna"');
    expect(html).toMatch(/id="consent-error"[^>]*>Please tick the box/);
    expect(await inbox(email)).toHaveLength(0);
  });

  it('refuses header injection in the address', async () => {
    const response = await signUp(stack.app, form('victim@example.org\r\nBcc: all@example.org'), { Accept: 'application/json' });
    expect(response.status).toBe(400);
  });

  it('answers a multipart body it cannot read with 400 and a reason, not 500', async () => {
    const response = await stack.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=', Accept: 'application/json' },
      body: 'email=a@example.org',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'body_unreadable', message: expect.stringContaining('could not be read') });
  });

  it('answers an oversized body with 413', async () => {
    const response = await signUp(stack.app, form(testAddress(), { timezone: 'x'.repeat(40_000) }));
    expect(response.status).toBe(413);
  });

  it('confirms only on POST: the GET shows a button and changes nothing', async () => {
    const email = testAddress();
    await signUp(stack.app, form(email));
    const link = linkIn((await inbox(email))[0]!, 'confirm');
    for (let i = 0; i < 2; i++) {
      const page = await stack.app.request(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(new RegExp(`<form method="post" action="${link}">`));
    }
    expect(await inbox(email)).toHaveLength(1);
    // A scanner that submits the form as it stands sends no button: nothing changes.
    const scanned = await post(stack.app, link);
    expect(scanned.status).toBe(400);
    expect(await scanned.text()).toContain('press one of the buttons');
    expect(await inbox(email)).toHaveLength(1);
    const confirmed = await post(stack.app, link, { confirm: 'yes' });
    expect(await confirmed.text()).toContain('You are in');
    const again = await post(stack.app, link, { confirm: 'yes' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Already confirmed');
    expect(await inbox(email)).toHaveLength(2);
  });

  it('takes a double click on the confirm button as one confirmation and one welcome', async () => {
    const email = testAddress();
    await signUp(stack.app, form(email));
    const link = linkIn((await inbox(email))[0]!, 'confirm');
    const responses = await Promise.all([post(stack.app, link, { confirm: 'yes' }), post(stack.app, link, { confirm: 'yes' })]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await inbox(email)).toHaveLength(2);
  });

  it('sends one email with the countdown and a guide and button for exactly the picked platforms', async () => {
    const email = testAddress();
    const welcome = await confirmedSubscriber(stack, email, { platforms: ['facebook', 'whatsapp'], timezone: 'America/New_York' });
    expect(welcome.subject).toBe('Your guides for Facebook and WhatsApp');
    const text = (welcome.body.text ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('12 days left to object on Facebook');
    expect(text).toMatch(/Monday, 26 May 2025 at 17:59 \(America\/New_York\)/);
    expect(text).toContain('https://www.facebook.com/help/contact/712876720715583');
    expect(text).toContain("I've objected on Facebook");
    expect(text).toContain('Mark WhatsApp as done');
    expect(text).not.toContain('Instagram');
    expect(text).toMatch(/because you asked optout-countdown/);
    expect(linkIn(welcome, 'objected', 0)).toContain('.facebook.');
    expect(linkIn(welcome, 'objected', 1)).toContain('.whatsapp.');
    linkIn(welcome, 'preferences');
    const unsubscribe = linkIn(welcome, 'unsubscribe');
    const raw = unfoldHeaders(stack.transport.to(email).find((message) => /^Subject: Your guides for/m.test(message)) ?? '');
    expect(raw).toMatch(new RegExp(`^List-Unsubscribe: <https://optout\\.example${unsubscribe.replace(/\./g, '\\.')}>`, 'm'));
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  });

  it('forgets an unconfirmed sign-up after 7 days: its link stops working and a new sign-up starts over', async () => {
    const email = testAddress();
    await signUp(stack.app, form(email));
    const link = linkIn((await inbox(email))[0]!, 'confirm');
    time.advance(7 * 86_400_000 + 1000);
    expect((await post(stack.app, link, { confirm: 'yes' })).status).toBe(404);
    await signUp(stack.app, form(email));
    const mails = await inbox(email);
    expect(mails).toHaveLength(2);
    expect((await post(stack.app, linkIn(mails[1]!, 'confirm'), { confirm: 'yes' })).status).toBe(200);
    time.set(START);
  });

  it('records consent with its time and text version', async () => {
    const email = testAddress();
    const welcome = await confirmedSubscriber(stack, email);
    const data = await stack.app.request(`${linkIn(welcome, 'preferences')}/data`);
    expect(data.headers.get('content-disposition')).toContain('attachment');
    const at = new Date(START).toISOString();
    expect(await data.json()).toMatchObject({
      person: {
        email,
        status: 'active',
        platforms: [
          { id: 'facebook', state: 'active', askedAt: at, addedAt: at },
          { id: 'instagram', state: 'active', askedAt: at, addedAt: at },
        ],
        consents: [{ kind: 'reminders', platforms: ['facebook', 'instagram'], at, textVersion: CONSENT_TEXT_VERSION, method: 'web-form', confirmedAt: at }],
      },
      checklist: [
        { platform: 'facebook', state: 'active', todaysAction: expect.stringContaining('meta-ai-2025') },
        { platform: 'instagram', state: 'active', todaysAction: expect.stringContaining('meta-ai-2025') },
      ],
    });
  });

  it('stores each address once and sends one confirmation when many sign-ups race', async () => {
    const stack = await createTestStack({ clock: time.clock, env: { IP_SIGNUP_LIMIT: '1000' } });
    const emails = Array.from({ length: 10 }, () => testAddress('storm'));
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signUp(stack.app, form(emails[i % emails.length]!), { Accept: 'application/json' })),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (const email of emails) expect(await inbox(email)).toHaveLength(1);
  });

  it('loses and duplicates nothing when the racing sign-ups\' transactions conflict', async () => {
    const stack = await createTestStack({ clock: time.clock, env: { IP_SIGNUP_LIMIT: '1000' } });
    // Every third transaction of the sign-ups races another's.
    const transactions = injectTransactionConflicts(stack.service.db, 3, ['TransactionConflict']);
    const emails = Array.from({ length: 10 }, () => testAddress('conflict'));
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signUp(stack.app, form(emails[i % emails.length]!), { Accept: 'application/json' })),
    );
    expect(transactions()).toBeGreaterThan(10);
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (const email of emails) expect((await inbox(email)).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Confirm/)]);
  });
});

describe('the work a sign-up does', () => {
  it('is the same DynamoDB requests whether the address is new, pending, confirmed or suppressed, so its timing tells nothing', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    // Only the requests made on behalf of the sign-up, not the mailer's meanwhile.
    const requests = new AsyncLocalStorage<string[]>();
    stack.service.db.middlewareStack.add(
      (next, context) => async (args) => {
        requests.getStore()?.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'recordSignupRequests' },
    );
    const requestsOf = async (email: string) => {
      const made: string[] = [];
      const response = await requests.run(made, () => signUp(stack.app, form(email), { Accept: 'application/json' }));
      expect(response.status).toBe(200);
      return made;
    };
    const email = testAddress('same-work');
    const fresh = await requestsOf(email);
    const pending = await requestsOf(email);
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const confirmed = await requestsOf(email);
    const suppressedEmail = testAddress('same-work-suppressed');
    await requestsOf(suppressedEmail);
    expect(await inbox(suppressedEmail)).toHaveLength(1);
    await stack.service.people.erase(hashAddress(stack.config.SIGNING_SECRET, suppressedEmail), 'suppressed', new Date(START));
    const suppressed = await requestsOf(suppressedEmail);
    // One query and one read of the network's limit (at once), one transaction (with the limit's
    // place and the person's version as conditions), and the day's counters: on the people and on
    // the form's one campaign.
    expect(fresh).toEqual(['QueryCommand', 'GetItemCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    expect({ pending, confirmed, suppressed }).toEqual({ pending: fresh, confirmed: fresh, suppressed: fresh });
    // Only the new address got a confirmation (the pending one is within the resend cooldown), and
    // the suppressed one nothing more.
    expect((await inbox(email)).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Confirm/), expect.stringMatching(/^Welcome|guide/i)]);
    expect(await inbox(suppressedEmail)).toHaveLength(1);
  });
});

describe('per-IP limit', () => {
  it('answers 429 once one network sends too many sign-ups, shared through the table', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock, env: { IP_SIGNUP_LIMIT: '3' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await signUp(stack.app, form(testAddress()), { Accept: 'application/json' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('lets no burst of twice the limit through around a window edge, and a retry after Retry-After is accepted', async () => {
    // Two seconds before a ten-minute edge: a fixed window would start counting afresh at 08:10:00.
    const time = manualClock('2025-05-14T08:09:58Z');
    const stack = await createTestStack({ clock: time.clock, env: { IP_SIGNUP_LIMIT: '3', IP_SIGNUP_WINDOW_MINUTES: '10' } });
    const attempt = (accept: 'json' | 'html' = 'json') =>
      signUp(stack.app, form(testAddress('edge')), accept === 'json' ? { Accept: 'application/json' } : { Accept: 'text/html' });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(200);
    time.advance(4_000);
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push((await attempt()).status);
    expect(burst).toEqual([429, 429, 429]);

    // The wait it names is the real one: a second less is refused, the named wait is accepted.
    const refused = await attempt('html');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThan(10 * 60);
    expect(await refused.text()).toContain(textFor('en').pages.tryAgainIn(wait));
    time.advance((wait - 1) * 1000);
    const early = await attempt();
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('1');
    time.advance(1000);
    expect((await attempt()).status).toBe(200);
    expect((await attempt()).status).toBe(429);
  });
});

describe('a confirmation email that fails to send', () => {
  it('answers as usual without waiting on SES, and the mailer sends it once after a refused first try', async () => {
    let failNext = true;
    const stack = await createTestStack({
      clock: manualClock(START).clock,
      transport: (real) => ({
        sendRaw: async (raw) => {
          if (failNext) {
            failNext = false;
            throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 400 } });
          }
          return real.sendRaw(raw);
        },
      }),
    });
    const email = testAddress();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect((await signUp(stack.app, form(email))).status).toBe(200);
    // The request only wrote the job: nothing was sent while it ran, so no SES fault can reach it.
    expect(stack.transport.to(email)).toEqual([]);
    // The mailer's first send is refused; it retries with backoff and sends it once.
    expect(await inbox(email)).toHaveLength(1);
    vi.restoreAllMocks();
    expect(failNext).toBe(false);
  });
});

