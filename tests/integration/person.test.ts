import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../functions/store/client.js';
import { queryPartition } from '../../functions/store/partition.js';
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

/** The email with the guides of the platforms a confirmation (or an addition) brought. */
const guidesIn = (mails: StoredEmail[], nth = 0) => {
  const mail = mails.filter((m) => /^Your guides? for/.test(m.subject))[nth];
  if (!mail) throw new Error(`no guides #${nth} in ${mails.map((m) => m.subject).join(' | ')}`);
  return mail;
};

describe('one person, one list', () => {
  let stack: TestStack;
  const time = manualClock(START);
  beforeAll(async () => {
    stack = await createTestStack({ clock: time.clock });
  });

  it('sends one confirmation email naming both platforms, then one email with both guides', async () => {
    const email = testAddress('two');
    expect((await signUp(stack.app, both(email))).status).toBe(200);
    const [confirmation, ...more] = await inbox(email);
    expect(more).toHaveLength(0);
    expect(confirmation!.subject).toBe('Confirm your guides for Facebook and LinkedIn');
    const page = await (await stack.app.request(linkIn(confirmation!, 'confirm'))).text();
    expect(page).toContain('Facebook');
    expect(page).toContain('LinkedIn');
    const confirmed = await post(stack.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' });
    expect(await confirmed.text()).toContain('The guides for them are on their way, in one email.');
    const mails = await inbox(email);
    expect(mails).toHaveLength(2);
    const guides = guidesIn(mails);
    expect(guides.subject).toBe('Your guides for Facebook and LinkedIn');
    expect(guides.body.text).toContain("I've objected on Facebook");
    expect(guides.body.text).toContain('Data for generative AI improvement');
    // One preferences page shows the whole list.
    const preferences = await (await stack.app.request(linkIn(guides, 'preferences'))).text();
    expect(preferences).toContain('Facebook');
    expect(preferences).toContain('LinkedIn');
  });

  it('exports the whole list and every consent, and "delete me" erases everything', async () => {
    const email = testAddress('export');
    await signUp(stack.app, both(email, { watch: 'on' }));
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const guides = guidesIn(await inbox(email));
    const data = (await (await stack.app.request(`${linkIn(guides, 'preferences')}/data`)).json()) as {
      person: { email: string; consents: { kind: string }[]; watch: boolean };
      checklist: { platform: string }[];
      watches: { platform: string; since: string }[];
    };
    expect(data.person.email).toBe(email);
    expect(data.checklist.map((item) => item.platform).sort()).toEqual(['facebook', 'linkedin']);
    expect(data.person.consents.map((c) => c.kind).sort()).toEqual(['reminders', 'watch']);
    expect(data.watches.map((watch) => watch.platform).sort()).toEqual(['facebook', 'linkedin']);

    expect((await post(stack.app, `${linkIn(guides, 'preferences')}/delete`, { delete: 'yes' })).status).toBe(200);
    const personId = linkIn(guides, 'preferences').split('.')[1]!;
    const theirs = (await tableSnapshot(stack)).split('\n').filter((item) => item.includes(personId));
    // Only the suppression fingerprint stays: no address, no platform, no watch.
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toContain('"erased"');
    expect(theirs[0]).not.toContain(email);
    expect((await stack.app.request(linkIn(guides, 'preferences'))).status).toBe(404);
  });

  it('makes a confirmed person confirm a further platform by email, so a stranger cannot add it to their list', async () => {
    const email = testAddress('further');
    await subscribeAndConfirm(stack, { email, platforms: 'facebook', consent: 'on', timezone: 'Europe/Berlin' });
    expect(await inbox(email)).toHaveLength(2);
    // A stranger (or the person) adds LinkedIn: nothing starts until the new email is confirmed.
    await signUp(stack.app, { email, platforms: 'linkedin', consent: 'on' });
    const mails = await inbox(email);
    expect(mails).toHaveLength(3);
    expect(mails[2]!.subject).toBe('Confirm your guide for LinkedIn');
    const before = (await (await stack.app.request(`${linkIn(mails[1]!, 'preferences')}/data`)).json()) as { checklist: { platform: string; state: string }[] };
    expect(before.checklist.find((item) => item.platform === 'linkedin')?.state).toBe('pending');
    await post(stack.app, linkIn(mails[2]!, 'confirm'), { confirm: 'yes' });
    expect(guidesIn(await inbox(email), 1).subject).toBe('Your guide for LinkedIn');
    expect(await inbox(email)).toHaveLength(4);
  });

  it('sends the guide for a platform added after the first guides, once, with only that platform', async () => {
    const email = testAddress('grows');
    await subscribeAndConfirm(stack, { email, platforms: 'facebook', consent: 'on', timezone: 'Europe/Berlin' });
    await signUp(stack.app, { email, platforms: ['facebook', 'instagram'], consent: 'on', timezone: 'Europe/Berlin' });
    const confirmation = (await inbox(email)).at(-1)!;
    expect(confirmation.subject).toContain('Confirm');
    const link = linkIn(confirmation, 'confirm');
    await post(stack.app, link, { confirm: 'yes' });
    await post(stack.app, link, { confirm: 'yes' }); // a second press sends nothing more

    const mails = await inbox(email);
    const added = guidesIn(mails, 1);
    expect(added.subject).toBe('Your guide for Instagram');
    expect(linkIn(added, 'objected')).toContain('.instagram.');
    expect(() => linkIn(added, 'objected', 1)).toThrow();
    expect(mails).toHaveLength(4);
  });

  it('sends a pending address a few confirmations at growing intervals, never a stream, adding what each sign-up asks for', async () => {
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
    // The latest confirmation confirms everything asked for, in the latest zone and language.
    expect(mails.at(-1)!.subject).toMatch(/^Bitte bestätigen/);
    await post(own.app, linkIn(mails.at(-1)!, 'confirm'), { confirm: 'yes' });
    const guides = (await inbox(email, own.config.SES_ENDPOINT)).at(-1)!;
    const data = (await (await own.app.request(`${linkIn(guides, 'preferences')}/data`)).json()) as { person: { platforms: { id: string }[]; timeZone: string; consents: unknown[] } };
    expect(data.person.platforms.map((p) => p.id)).toEqual(['threads', 'instagram']);
    expect(data.person.timeZone).toBe('Europe/Vienna');
    // One consent record for each addition, not one per form: the repeats added nothing.
    expect(data.person.consents).toHaveLength(2);
  });
});

/** Attributes that are the table's own bookkeeping (keys, index keys, expiry, versions, leases), not something stored about the person. */
const BOOKKEEPING = new Set([
  'pk', 'sk', 'duePk', 'dueSk', 'audPk', 'audSk', 'ttl', 'layout', 'version', 'id', 'personId', 'generation',
  'jobId', 'claimToken', 'claimedAt', 'leaseUntil', 'notBefore', 'wakes', 'wokenAt', 'retriedAt',
]);

describe('"download my data"', () => {
  it('holds every item that erasing the person removes: the list, the mornings, watches since when, the yearly question, every email', async () => {
    const time = manualClock(START);
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('everything');
    await signUp(stack.app, both(email, { watch: 'on', platforms: ['facebook', 'instagram', 'linkedin'] }));
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const welcome = guidesIn(await inbox(email));
    await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' });
    // 12 May, 09:30 in Berlin: Meta's 14-days-left morning goes out.
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
    // The guides and the morning; the confirmation's record went with the pending sign-up, after 7 days.
    expect(kinds.filter((kind) => kind === 'JOB')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'WATCH')).toHaveLength(3);
    expect(items.filter((item) => item.dueSk !== undefined)).toHaveLength(2); // the next morning, the yearly question

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
    expect(exported.emails).toContainEqual(expect.objectContaining({ kind: 'morning', stepId: '2025-05-12', status: 'sent', sesMessageId: expect.any(String) }));
  });
});

describe('one unsubscribe silences everything', () => {
  it("stops LinkedIn's next morning after a one-click unsubscribe from the guides' email, while a control person gets it", async () => {
    const time = manualClock('2025-10-20T07:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const leaving = testAddress('leaving');
    const control = testAddress('control');
    // Facebook's deadline has passed, LinkedIn counts down to 3 November.
    for (const email of [leaving, control]) {
      await signUp(stack.app, both(email));
      await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    }
    const guides = guidesIn(await inbox(leaving));
    const response = await post(stack.app, linkIn(guides, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
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

  it('drops one platform on the preferences page: its mornings stop, the others go on', async () => {
    const time = manualClock('2025-10-20T07:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('only-linkedin');
    await signUp(stack.app, both(email, { platforms: ['linkedin', 'x'], campaign: [] }));
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const guides = guidesIn(await inbox(email));
    const dropped = await post(stack.app, linkIn(guides, 'preferences'), { drop: 'linkedin' });
    expect(dropped.status).toBe(200);
    time.set('2025-10-26T08:30:00Z'); // LinkedIn's 7 days left, and X's standing morning 6 days after adding
    await stack.service.countdown.run();
    await stack.deliverMail();
    const mornings = subjectsTo(stack, email).slice(2);
    expect(mornings.filter((subject) => subject.includes('LinkedIn'))).toEqual([]);
    const view = await stack.service.journey.openPreferences(linkIn(guides, 'preferences').split('/')[2]!);
    expect(view.person.platforms.map((p) => p.id)).toEqual(['x']);
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
    const welcomes = (await inbox(email)).filter((m) => /^Your guides? for/.test(m.subject));
    const confirmed = await tableSnapshot(stack);
    for (const welcome of welcomes) await scan(welcome);
    expect(await tableSnapshot(stack)).toBe(confirmed);
  });

  it('keeps the done counter equal to the marks when 50 "I\'ve objected" and undo POSTs race', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const email = testAddress('racer');
    const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'on', timezone: 'Europe/Berlin' });
    const link = linkIn(welcome, 'objected', 0);
    await Promise.all(Array.from({ length: 50 }, (_, i) => post(stack.app, link, i % 2 ? { undo: 'yes' } : { sent: 'yes' })));
    const data = (await (await stack.app.request(`${linkIn(welcome, 'preferences')}/data`)).json()) as { person: { platforms: { id: string; doneAt?: string }[] } };
    const done = data.person.platforms.find((p) => p.id === 'facebook')?.doneAt ? 1 : 0;
    const stats = (await (await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } })).json()) as {
      platforms: { totals: Record<string, { picked: number; done: number }> };
    };
    expect(stats.platforms.totals.facebook).toMatchObject({ picked: 1, done });
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
