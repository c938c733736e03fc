import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createDynamoClient } from '../../functions/store/client.js';
import { queryPartition } from '../../functions/store/partition.js';
import {
  createTestStack,
  inbox,
  linkIn,
  manualClock,
  post,
  privateSes,
  signUp,
  subjectsTo,
  subscribeAndConfirm,
  tableSnapshot,
  testAddress,
  type StoredEmail,
  type TestStack,
} from '../support/stack.js';

// 1 May 2025: both deadlines ahead (Meta 27 May, LinkedIn 3 November).
const START = '2025-05-01T07:00:00Z';

const both = (email: string, extra: Record<string, string | string[]> = {}) => ({
  email,
  platforms: ['facebook', 'linkedin'],
  campaign: ['meta-ai-2025', 'linkedin-ai-2025'],
  consent: 'on',
  timezone: 'Europe/Berlin',
  ...extra,
});

const welcomeOf = (mails: StoredEmail[], organisation: string) => {
  const mail = mails.find((m) => m.subject.includes('guide') && m.subject.includes(organisation));
  if (!mail) throw new Error(`no ${organisation} welcome in ${mails.map((m) => m.subject).join(' | ')}`);
  return mail;
};

describe('one person across campaigns', () => {
  let stack: TestStack;
  const time = manualClock(START);
  beforeAll(async () => {
    stack = await createTestStack({ clock: time.clock });
  });

  it('sends one confirmation email with one button for two campaigns, then a welcome guide per campaign', async () => {
    const email = testAddress('two');
    expect((await signUp(stack.app, both(email))).status).toBe(200);
    const [confirmation, ...more] = await inbox(email);
    expect(more).toHaveLength(0);
    expect(confirmation!.subject).toBe('Confirm your reminders for 2 campaigns');
    const page = await (await stack.app.request(linkIn(confirmation!, 'confirm'))).text();
    expect(page).toContain('Meta AI training objection 2025');
    expect(page).toContain('LinkedIn AI training opt-out 2025');
    const confirmed = await post(stack.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' });
    expect(await confirmed.text()).toContain('A guide is on its way for each campaign');
    const mails = await inbox(email);
    const meta = welcomeOf(mails, 'Meta');
    const linkedin = welcomeOf(mails, 'LinkedIn');
    expect(mails).toHaveLength(3);
    // No email mixes two campaigns' steps.
    expect(meta.body.text).toContain('Facebook');
    expect(meta.body.text).not.toContain('Data for generative AI improvement');
    expect(linkedin.body.text).not.toContain('facebook.com');
    // One preferences page: both emails link the same one, and it shows both campaigns.
    expect(linkIn(meta, 'preferences')).toBe(linkIn(linkedin, 'preferences'));
    const preferences = await (await stack.app.request(linkIn(meta, 'preferences'))).text();
    expect(preferences).toContain('Meta AI training objection 2025');
    expect(preferences).toContain('LinkedIn AI training opt-out 2025');
  });

  it('exports both campaigns and every consent, and "delete me" erases both', async () => {
    const email = testAddress('export');
    await signUp(stack.app, both(email, { watch: 'on' }));
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const welcome = welcomeOf(await inbox(email), 'Meta');
    const data = (await (await stack.app.request(`${linkIn(welcome, 'preferences')}/data`)).json()) as {
      person: { email: string; consents: { kind: string }[]; watch: boolean };
      campaigns: { campaignId: string }[];
      watches: { platform: string; since: string }[];
    };
    expect(data.person.email).toBe(email);
    expect(data.campaigns.map((c) => c.campaignId).sort()).toEqual(['linkedin-ai-2025', 'meta-ai-2025']);
    expect(data.person.consents.map((c) => c.kind).sort()).toEqual(['reminders', 'watch']);
    expect(data.watches.map((watch) => watch.platform).sort()).toEqual(['facebook', 'linkedin']);

    expect((await post(stack.app, `${linkIn(welcome, 'preferences')}/delete`, { delete: 'yes' })).status).toBe(200);
    const personId = linkIn(welcome, 'preferences').split('.')[1]!;
    const theirs = (await tableSnapshot(stack)).split('\n').filter((item) => item.includes(personId));
    // Only the suppression fingerprint stays: no address, no campaign, no watch.
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toContain('"erased"');
    expect(theirs[0]).not.toContain(email);
    const linkedin = welcomeOf(await inbox(email), 'LinkedIn');
    expect((await stack.app.request(linkIn(linkedin, 'preferences'))).status).toBe(404);
  });

  it('makes a confirmed person confirm a further campaign by email, so a stranger cannot enrol them', async () => {
    const email = testAddress('further');
    await subscribeAndConfirm(stack, { email, platforms: 'facebook', campaign: 'meta-ai-2025', consent: 'on', timezone: 'Europe/Berlin' });
    expect(await inbox(email)).toHaveLength(2);
    // A stranger (or the person) adds LinkedIn: nothing starts until the new email is confirmed.
    await signUp(stack.app, { email, platforms: 'linkedin', campaign: 'linkedin-ai-2025', consent: 'on' });
    const mails = await inbox(email);
    expect(mails).toHaveLength(3);
    expect(mails[2]!.subject).toBe('Confirm your reminders for LinkedIn AI training opt-out 2025');
    const before = (await (await stack.app.request(`${linkIn(mails[1]!, 'preferences')}/data`)).json()) as { campaigns: { campaignId: string; state: string }[] };
    expect(before.campaigns.find((c) => c.campaignId === 'linkedin-ai-2025')?.state).toBe('pending');
    await post(stack.app, linkIn(mails[2]!, 'confirm'), { confirm: 'yes' });
    expect(welcomeOf(await inbox(email), 'LinkedIn')).toBeDefined();
    expect(await inbox(email)).toHaveLength(4);
  });

  it('sends the guide for a platform added to a campaign after its welcome, once, with only that platform', async () => {
    const email = testAddress('grows');
    await subscribeAndConfirm(stack, { email, platforms: 'facebook', campaign: 'meta-ai-2025', consent: 'on', timezone: 'Europe/Berlin' });
    await signUp(stack.app, { email, platforms: ['facebook', 'instagram'], campaign: 'meta-ai-2025', consent: 'on', timezone: 'Europe/Berlin' });
    const confirmation = (await inbox(email)).at(-1)!;
    expect(confirmation.subject).toContain('Confirm');
    const link = linkIn(confirmation, 'confirm');
    await post(stack.app, link, { confirm: 'yes' });
    await post(stack.app, link, { confirm: 'yes' }); // a second press sends nothing more

    const mails = await inbox(email);
    const guides = mails.filter((m) => m.subject.includes('guide') && m.subject.includes('Meta'));
    expect(guides).toHaveLength(2);
    const added = guides[1]!;
    expect(added.body.text).toContain('Instagram');
    expect(linkIn(added, 'objected')).toContain('.instagram.');
    expect(() => linkIn(added, 'objected', 1)).toThrow();
    expect(mails).toHaveLength(4);
  });

  it('sends a pending address a few confirmations at growing intervals, never a stream, and keeps the newest choices', async () => {
    const local = manualClock(START);
    const own = await createTestStack({ clock: local.clock });
    const email = testAddress('bombed');
    // Two sign-ups an hour for two days, each with other choices.
    for (let i = 0; i < 96; i++) {
      await signUp(own.app, { email, platforms: i % 2 ? 'instagram' : 'threads', consent: 'on', timezone: i % 2 ? 'Europe/Vienna' : 'Europe/Lisbon', locale: 'de' });
      local.advance(30 * 60_000);
    }
    const mails = await inbox(email, own.config.SES_ENDPOINT);
    expect(mails).toHaveLength(4);
    // The latest confirmation confirms the latest choices, in the latest language.
    expect(mails.at(-1)!.subject).toMatch(/^Bitte bestätigen/);
    await post(own.app, linkIn(mails.at(-1)!, 'confirm'), { confirm: 'yes' });
    const welcome = (await inbox(email, own.config.SES_ENDPOINT)).at(-1)!;
    const data = (await (await own.app.request(`${linkIn(welcome, 'preferences')}/data`)).json()) as { person: { platforms: string[]; timeZone: string } };
    expect(data.person).toMatchObject({ platforms: ['instagram'], timeZone: 'Europe/Vienna' });
  });

  it('stores one person and sends at most one confirmation when 500 sign-ups for 50 addresses race', async () => {
    // Its own emulator: reading back the shared one, which holds every test's mail, would be slow.
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const own = await createTestStack({ clock: manualClock(START).clock, env: { SES_ENDPOINT: ses.endpoint, IP_SIGNUP_LIMIT: '100000' } });
    const emails = Array.from({ length: 50 }, (_, i) => testAddress(`storm${i}`));
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) => signUp(own.app, both(emails[i % emails.length]!), { Accept: 'application/json' })),
    );
    expect(responses.filter((r) => r.status !== 200)).toHaveLength(0);
    const table = await tableSnapshot(own);
    for (const email of emails) {
      expect(await inbox(email, own.config.SES_ENDPOINT)).toHaveLength(1);
      expect(table.split(email).length - 1).toBe(1);
    }
  });
});

/** Attributes that are the table's own bookkeeping (keys, index keys, expiry, versions, leases), not something stored about the person. */
const BOOKKEEPING = new Set([
  'pk', 'sk', 'duePk', 'dueSk', 'audPk', 'audSk', 'ttl', 'layout', 'version', 'id', 'personId', 'generation',
  'jobId', 'claimToken', 'claimedAt', 'leaseUntil', 'notBefore', 'wakes', 'wokenAt', 'retriedAt',
]);

describe('"download my data"', () => {
  it('holds every item that erasing the person removes: campaigns, watches since when, the yearly question, every email', async () => {
    const time = manualClock(START);
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('everything');
    await signUp(stack.app, both(email, { watch: 'on', platforms: ['facebook', 'instagram', 'linkedin'] }));
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const welcome = welcomeOf(await inbox(email), 'Meta');
    await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' });
    // 12 May, 09:30 in Berlin: Meta's 14-days-left reminder goes out.
    time.set('2025-05-12T07:30:00Z');
    await stack.service.countdown.run();
    await stack.deliverMail();
    expect(subjectsTo(stack, email).some((subject) => subject.startsWith('14 days left'))).toBe(true);

    const personId = linkIn(welcome, 'preferences').split('.')[1]!;
    const db = createDynamoClient({ region: stack.config.AWS_REGION, endpoint: stack.config.DYNAMODB_ENDPOINT });
    // What erasure removes: the person's partition, but for items past their TTL, which count as erased already.
    const partition = await queryPartition(db, stack.config.TABLE_NAME, `PERSON#${personId}`, { consistent: true });
    const items = partition.filter((item) => typeof item.ttl !== 'number' || item.ttl * 1000 > time.clock().getTime());
    const kinds = items.map((item) => String(item.sk).split('#')[0]);
    // The two welcomes and the reminder; the confirmation's record went with the pending sign-up, after 7 days.
    expect(kinds.filter((kind) => kind === 'JOB')).toHaveLength(3);
    expect(kinds.filter((kind) => kind === 'WATCH')).toHaveLength(3);
    expect(items.filter((item) => item.dueSk !== undefined)).toHaveLength(3); // two countdowns, the yearly question

    const exported = (await (await stack.app.request(`${linkIn(welcome, 'preferences')}/data`)).json()) as Record<string, unknown>;
    // Every object of the export, wherever it sits.
    const objects: Record<string, unknown>[] = [];
    const collect = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) {
        objects.push(value as Record<string, unknown>);
        Object.values(value).forEach(collect);
      }
    };
    collect(exported);
    for (const item of items) {
      const stored = Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.has(name)));
      // An index key holds a date the person would want to know: when their next email is due.
      const dueAt = typeof item.dueSk === 'string' ? item.dueSk.split('#')[0] : undefined;
      const held = objects.some((object) => expect.objectContaining(stored).asymmetricMatch(object) && (dueAt === undefined || Object.values(object).includes(dueAt)));
      expect(held, `the export holds ${String(item.sk).split('#')[0]} ${JSON.stringify(stored)} (next due ${dueAt})`).toBe(true);
    }
    // The record of emails sent, in the person's own words for it.
    expect(exported.emails).toContainEqual(expect.objectContaining({ kind: 'reminder', campaignId: 'meta-ai-2025', status: 'sent', sesMessageId: expect.any(String) }));
  });
});

describe('one unsubscribe silences everything', () => {
  it("stops campaign B's next reminder after a one-click unsubscribe from campaign A's email, while a control person gets it", async () => {
    const time = manualClock('2025-10-20T07:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const leaving = testAddress('leaving');
    const control = testAddress('control');
    // Both campaigns: Meta's deadline has passed, LinkedIn counts down to 3 November.
    for (const email of [leaving, control]) {
      await signUp(stack.app, both(email));
      await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    }
    const meta = welcomeOf(await inbox(leaving), 'Meta');
    const response = await post(stack.app, linkIn(meta, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No more emails will come');
    // Just past LinkedIn's 7-days-left step (26 October, 09:00 Berlin, the first day of winter time).
    time.set('2025-10-26T08:30:00Z');
    await stack.service.countdown.run();
    await stack.deliverMail();
    expect(subjectsTo(stack, control).some((s) => s.startsWith('7 days left'))).toBe(true);
    expect(subjectsTo(stack, leaving).filter((s) => !s.includes('guide') && !s.startsWith('Confirm'))).toEqual([]);
    expect(await tableSnapshot(stack)).not.toContain(leaving);
  });

  it('offers "stop only this campaign" as a second button, and the other campaign goes on', async () => {
    const time = manualClock('2025-10-20T07:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('only-meta');
    await signUp(stack.app, both(email));
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const linkedinWelcome = welcomeOf(await inbox(email), 'LinkedIn');
    const link = linkIn(linkedinWelcome, 'unsubscribe');
    const page = await (await stack.app.request(link)).text();
    expect(page).toContain('Stop only LinkedIn AI training opt-out 2025');
    const left = await post(stack.app, link, { scope: 'campaign' });
    expect(await left.text()).toContain('No more emails about LinkedIn AI training opt-out 2025');
    time.set('2025-10-26T08:30:00Z');
    await stack.service.countdown.run();
    await stack.deliverMail();
    expect(subjectsTo(stack, email).filter((s) => s.includes('days left') && !s.includes('guide'))).toEqual([]);
    const preferences = await (await stack.app.request(linkIn(linkedinWelcome, 'preferences'))).text();
    expect(preferences).toContain('You left this campaign.');
  });
});

describe('deliberate acts', () => {
  it('changes nothing when a mail scanner GETs and HEADs every link and submits every form as it stands', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const email = testAddress('scanned');
    await signUp(stack.app, both(email));
    const confirmation = (await inbox(email))[0]!;
    const scan = async (mail: StoredEmail) => {
      const links = [...(mail.body.html ?? '').matchAll(/href="https:\/\/optout\.example(\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      for (const link of links) {
        await stack.app.request(link, { method: 'HEAD' });
        const page = await stack.app.request(link);
        const html = await page.text();
        // Every form, with its inputs as they stand: hidden fields and ticked boxes, never a button.
        for (const form of html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)) {
          const fields = new URLSearchParams();
          for (const input of form[2]!.matchAll(/<input([^>]*)>/g)) {
            const attrs = input[1]!;
            const name = /name="([^"]+)"/.exec(attrs)?.[1];
            const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
            if (name && (!/type="checkbox"/.test(attrs) || /checked/.test(attrs))) fields.append(name, value);
          }
          await stack.app.request(form[1]!.replace(/&amp;/g, '&'), {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: fields.toString(),
          });
        }
      }
    };
    const before = await tableSnapshot(stack);
    await scan(confirmation);
    expect(await tableSnapshot(stack)).toBe(before);
    // Confirmed by the person, then the scanner goes through every welcome.
    await post(stack.app, linkIn(confirmation, 'confirm'), { confirm: 'yes' });
    const welcomes = (await inbox(email)).filter((m) => m.subject.includes('guide'));
    const confirmed = await tableSnapshot(stack);
    for (const welcome of welcomes) await scan(welcome);
    expect(await tableSnapshot(stack)).toBe(confirmed);
  });

  it('keeps the done counter equal to the marks when 50 "I\'ve objected" and undo POSTs race', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const email = testAddress('racer');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], campaign: 'meta-ai-2025', consent: 'on', timezone: 'Europe/Berlin' });
    const link = linkIn(welcome, 'objected', 0);
    await Promise.all(Array.from({ length: 50 }, (_, i) => post(stack.app, link, i % 2 ? { undo: 'yes' } : { sent: 'yes' })));
    const data = (await (await stack.app.request(`${linkIn(welcome, 'preferences')}/data`)).json()) as { campaigns: { objections: Record<string, string> }[] };
    const done = data.campaigns[0]!.objections.facebook ? 1 : 0;
    const stats = (await (await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } })).json()) as {
      campaigns: Record<string, { totals: { platforms: Record<string, { picked: number; done: number }> } }>;
    };
    expect(stats.campaigns['meta-ai-2025']!.totals.platforms.facebook).toEqual({ picked: 1, done });
  });
});

describe('request bodies and addresses', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ clock: manualClock(START).clock });
  });
  const json = { email: 'x@example.org', platforms: ['facebook'], consent: true };

  it('reads a JSON body whatever the case of its media type', async () => {
    const email = testAddress('casing');
    const response = await stack.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'APPLICATION/JSON; charset=UTF-8', Accept: 'application/json' },
      body: JSON.stringify({ ...json, email }),
    });
    expect(response.status).toBe(200);
    expect(await inbox(email)).toHaveLength(1);
  });

  it('answers a body it cannot read with 400 or 415 and a reason, not "enter your email"', async () => {
    const malformed = await stack.app.request('/subscribe', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'body_unreadable' });
    const plain = await stack.app.request('/subscribe', { method: 'POST', headers: { 'Content-Type': 'text/plain', Accept: 'application/json' }, body: 'email=x@example.org' });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('accepts an internationalised domain and sends to its punycode form', async () => {
    const response = await signUp(stack.app, { email: 'probe@bücher.de', platforms: 'facebook', consent: 'on' });
    expect(response.status).toBe(200);
    await stack.deliverMail();
    expect(subjectsTo(stack, 'probe@xn--bcher-kva.de')).toHaveLength(1);
  });

  it('says clearly when the part before the @ cannot be sent to, and refuses labels over 63 characters', async () => {
    const local = await signUp(stack.app, { email: '用户@例子.广告', platforms: 'facebook', consent: 'on' }, { Accept: 'application/json' });
    expect(local.status).toBe(400);
    expect(await local.json()).toMatchObject({ fields: { email: expect.stringContaining('before the @') } });
    const long = await signUp(stack.app, { email: `a@${'b'.repeat(64)}.org`, platforms: 'facebook', consent: 'on' }, { Accept: 'application/json' });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ fields: { email: 'Enter an email address like name@example.org.' } });
  });
});
