import { describe, expect, it, onTestFinished } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { parseIssueSource, type NewsletterIssue } from '../../functions/domain/newsletter.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { hashAddress } from '../../functions/domain/token.js';
import { createSesClient, SesTransport, type MailTransport } from '../../functions/mail/send.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { seedConfirmed } from '../support/seed.js';
import { createTestStack, inbox, manualClock, privateSes, testAddress, unfoldHeaders, type TestStack } from '../support/stack.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const NOW = '2025-05-20T08:00:00Z';
/** Fast enough for tests; the pacing itself is tested with a fake clock below. */
const FAST = { ratePerSecond: 1000 };

/** An issue as the build makes it, without MJML: the body is already HTML. */
function issue(id: string, frontMatter: string): NewsletterIssue {
  const { frontMatter: meta_ } = parseIssueSource(`---\n${frontMatter}\n---\n<p>body</p>\n`);
  return {
    id,
    frontMatter: meta_,
    subject: meta_.subject,
    html: '<p>{{countdownText}} · <a href="{{unsubscribeUrl}}">Unsubscribe</a> · <a href="{{privacyUrl}}">Privacy</a></p>',
    text: '{{countdownText}}\nStill open: {{platformsLeftText}}\nUnsubscribe: {{unsubscribeUrl}}\nPrivacy: {{privacyUrl}}',
  };
}

/** Seeds confirmed subscribers, some with platforms marked done. */
async function seedPeople(stack: TestStack, people: { label: string; platforms: PlatformId[]; done?: PlatformId[] }[]) {
  const at = new Date('2025-05-10T10:00:00Z');
  const seeded: Record<string, string> = {};
  for (const person of people) {
    const email = testAddress(person.label);
    const seeded_ = await seedConfirmed(stack, meta, { email, timeZone: 'Europe/Berlin', platforms: person.platforms, confirmedAt: at });
    for (const platform of person.done ?? []) {
      await stack.service.people.setObjection({ personId: seeded_.person.id, campaignId: meta.id, platform, doneAt: at, nextDueAt: undefined, now: at });
    }
    seeded[person.label] = email;
  }
  return seeded;
}

const copiesTo = (stack: TestStack, email: string, subject: string) => stack.transport.messages.filter((m) => m.to === email && m.subject === subject).length;

describe('sending a newsletter', () => {
  it('reaches exactly the segment: platform picked, done or not, confirmed, not suppressed', async () => {
    const time = manualClock(NOW);
    const stack = await createTestStack({ clock: time.clock });
    const people = await seedPeople(stack, [
      { label: 'insta-open', platforms: ['instagram', 'facebook'] },
      { label: 'insta-done', platforms: ['instagram'], done: ['instagram'] },
      { label: 'fb-only', platforms: ['facebook'] },
      { label: 'insta-suppressed', platforms: ['instagram'] },
    ]);
    // A complaint suppresses the person: they leave every audience with their data.
    await stack.service.people.erase(hashAddress(stack.config.SIGNING_SECRET, people['insta-suppressed']!), 'suppressed', time.clock());
    // A pending sign-up is never in an audience.
    await stack.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: testAddress('pending'), platforms: ['instagram'], consent: true }),
    });

    const news = issue('instagram-reminder', 'subject: Instagram: still to do\ncampaign: meta-ai-2025\nlocale: en\nsegment: platform=instagram');
    const summary = await stack.newsletters.send(news, { done: false }, FAST);

    expect(summary).toMatchObject({ total: 1, sent: 1, skipped: 0, failed: 0, alreadySent: 0, audience: 'campaign meta-ai-2025, locale en, platform instagram, not done' });
    expect(copiesTo(stack, people['insta-open']!, 'Instagram: still to do')).toBe(1);
    for (const label of ['insta-done', 'fb-only', 'insta-suppressed']) expect(copiesTo(stack, people[label]!, 'Instagram: still to do')).toBe(0);

    const everyone = await stack.newsletters.send(issue('to-all', 'subject: To all\ncampaign: meta-ai-2025\nlocale: en'), {}, FAST);
    expect(everyone).toMatchObject({ total: 3, sent: 3, skipped: 0 });
    const doneOnly = await stack.newsletters.send(issue('to-done', 'subject: To the done\ncampaign: meta-ai-2025\nlocale: en\nsegment: done=true'), {}, FAST);
    expect(doneOnly).toMatchObject({ total: 1, sent: 1 });
    expect(copiesTo(stack, people['insta-done']!, 'To the done')).toBe(1);
  });

  it('carries the list footer values and the one-click unsubscribe headers, and rewrites no link', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const people = await seedPeople(stack, [{ label: 'reader', platforms: ['facebook', 'whatsapp'], done: ['facebook'] }]);
    const built = newsletterIssues.find((item) => item.id === '2025-05-meta-last-week')!;
    await stack.newsletters.send(built, {}, FAST);
    const [raw] = stack.transport.to(people.reader!);
    const headers = unfoldHeaders(raw!);
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/optout\.example\/unsubscribe\/u\.[^>]+>\r?$/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const [mail] = await inbox(people.reader!);
    expect(mail!.subject).toBe(built.subject);
    expect(mail!.body.text).toContain('6 days left');
    expect(mail!.body.text).toContain('Still open on your list: WhatsApp.');
    expect(mail!.body.text).toContain('https://optout.example/privacy');
    expect(mail!.body.text).toMatch(/confirmed your address on 10 May 2025/);
    // Links go where they say: only our own pages, no redirector, no pixel.
    const hosts = new Set([...(mail!.body.html ?? '').matchAll(/(?:href|src)="(https?:\/\/[^/"]+)/g)].map((m) => m[1]));
    expect([...hosts]).toEqual(['https://optout.example']);
    expect(mail!.body.html).not.toMatch(/<img/i);
  });

  it('sends nothing in a dry run, and counts what is left to send', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const people = await seedPeople(stack, [
      { label: 'a', platforms: ['threads'] },
      { label: 'b', platforms: ['threads'] },
      { label: 'c', platforms: ['threads'] },
    ]);
    const news = issue('dry', 'subject: Dry run issue\ncampaign: meta-ai-2025\nlocale: en');
    const dry = await stack.newsletters.send(news, {}, { ...FAST, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, total: 3, toSend: 3, sent: 0, alreadySent: 0 });
    expect(stack.transport.messages).toHaveLength(0);

    await stack.newsletters.send(news, {}, FAST);
    const after = await stack.newsletters.send(news, {}, { ...FAST, dryRun: true });
    expect(after).toMatchObject({ total: 3, toSend: 0, alreadySent: 3 });
    for (const email of Object.values(people)) expect(copiesTo(stack, email, 'Dry run issue')).toBe(1);
  });

  it('after a transport failing from the 3rd copy on, a re-run sends only the rest, each copy once', async () => {
    let sends = 0;
    let broken = true;
    const failing = (real: MailTransport): MailTransport => ({
      sendRaw: async (raw) => {
        if (broken && ++sends > 2) throw Object.assign(new Error('connection reset'), { name: 'NetworkingError' });
        return real.sendRaw(raw);
      },
      acceptedSince: (to, since) => real.acceptedSince?.(to, since) ?? Promise.resolve(undefined),
    });
    const stack = await createTestStack({ clock: manualClock(NOW).clock, transport: failing });
    const people = await seedPeople(stack, Array.from({ length: 6 }, (_, i) => ({ label: `r${i}`, platforms: ['facebook'] as PlatformId[] })));
    const news = issue('resume', 'subject: Resume after failure\ncampaign: meta-ai-2025\nlocale: en');

    const first = await stack.newsletters.send(news, {}, { ...FAST, concurrency: 1 });
    expect(first).toMatchObject({ total: 6, sent: 2, failed: 4 });
    broken = false;
    const second = await stack.newsletters.send(news, {}, FAST);
    expect(second).toMatchObject({ total: 6, sent: 4, alreadySent: 2, failed: 0 });
    const third = await stack.newsletters.send(news, {}, FAST);
    expect(third).toMatchObject({ sent: 0, alreadySent: 6 });
    for (const email of Object.values(people)) expect(copiesTo(stack, email, 'Resume after failure')).toBe(1);
  });

  it('after a run dies mid-send (mail accepted, not recorded), the next run records it instead of sending again', async () => {
    // Real time (the mail server's log is in real time), moved forward by hand past the lease.
    let skew = 0;
    const realClock = () => new Date(Date.now() + skew);
    let hang = true;
    let sends = 0;
    // From the 3rd copy on, the message reaches the mail server and then the process "dies": never resolves.
    const dying = (real: MailTransport): MailTransport => ({
      sendRaw: async (raw) => {
        const result = await real.sendRaw(raw);
        if (hang && ++sends > 2) return new Promise<never>(() => undefined);
        return result;
      },
      acceptedSince: (to, since) => real.acceptedSince?.(to, since) ?? Promise.resolve(undefined),
    });
    const stack = await createTestStack({ clock: manualClock(NOW).clock, transport: dying });
    const people = await seedPeople(stack, Array.from({ length: 5 }, (_, i) => ({ label: `k${i}`, platforms: ['instagram'] as PlatformId[] })));
    const news = issue('killed', 'subject: Killed mid-run\ncampaign: meta-ai-2025\nlocale: en');

    // Abandoned, like a killed process: its 3rd copy is accepted but never marked sent.
    void stack.newsletters.send(news, {}, { ...FAST, concurrency: 1, realClock, claimLeaseMs: 60_000 });
    await expect.poll(() => sends, { timeout: 20_000 }).toBe(3);
    hang = false;
    // Before the lease runs out the claim is someone else's: skipped, not sent.
    const early = await stack.newsletters.send(news, {}, { ...FAST, realClock, claimLeaseMs: 60_000 });
    expect(early).toMatchObject({ sent: 2, alreadySent: 2, skipped: 1 });
    skew += 61_000;
    const resumed = await stack.newsletters.send(news, {}, { ...FAST, realClock, claimLeaseMs: 60_000 });
    expect(resumed).toMatchObject({ sent: 0, alreadySent: 5, failed: 0 });
    for (const email of Object.values(people)) expect((await inbox(email)).filter((m) => m.subject === 'Killed mid-run')).toHaveLength(1);
  });

  it('keeps to the rate: 10 copies at 5 per second take at least 1.8 s of pacing', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    await seedPeople(stack, Array.from({ length: 10 }, (_, i) => ({ label: `p${i}`, platforms: ['whatsapp'] as PlatformId[] })));
    let fakeNow = 0;
    const slept: number[] = [];
    const summary = await stack.newsletters.send(issue('paced', 'subject: Paced issue\ncampaign: meta-ai-2025\nlocale: en'), {}, {
      ratePerSecond: 5,
      concurrency: 4,
      realClock: () => new Date(fakeNow),
      sleep: async (ms) => {
        slept.push(ms);
        fakeNow += ms;
      },
    });
    expect(summary).toMatchObject({ sent: 10, failed: 0 });
    // The first copy goes at once, each next one 200 ms after the one before.
    expect(fakeNow).toBeGreaterThanOrEqual(1800);
  });

  it('refuses a segment that the issue cannot take, and an unknown campaign', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const news = issue('bad', 'subject: Bad segment\ncampaign: meta-ai-2025\nlocale: en');
    await expect(stack.newsletters.send(news, { locale: 'xx' as 'en' })).rejects.toThrow(/cannot go to readers/);
    await expect(stack.newsletters.send(issue('other', 'subject: Other campaign\ncampaign: linkedin-2025\nlocale: en'))).rejects.toThrow(/not configured/);
  });
});

describe('POST /admin/newsletters', () => {
  const auth = (stack: TestStack) => ({ Authorization: `Bearer ${stack.config.ADMIN_TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json' });

  it('dry-runs, then sends a built issue by id, once', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const people = await seedPeople(stack, [
      { label: 'x', platforms: ['facebook'] },
      { label: 'y', platforms: ['facebook'], done: ['facebook'] },
    ]);
    const dry = await stack.app.request('/admin/newsletters', { method: 'POST', headers: auth(stack), body: JSON.stringify({ issue: '2025-05-meta-last-week', dryRun: true }) });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ status: 'done', summary: { dryRun: true, total: 1, toSend: 1, sent: 0 } });
    expect(stack.transport.messages).toHaveLength(0);

    for (let run = 0; run < 2; run++) {
      const sent = await stack.app.request('/admin/newsletters', { method: 'POST', headers: auth(stack), body: JSON.stringify({ issue: '2025-05-meta-last-week' }) });
      expect(sent.status).toBe(200);
    }
    expect(stack.transport.to(people.x!)).toHaveLength(1);
    expect(stack.transport.to(people.y!)).toHaveLength(0);
  });

  it('answers 400 for an unknown issue or a bad segment, and 202 when a launcher takes the send', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const unknown = await stack.app.request('/admin/newsletters', { method: 'POST', headers: auth(stack), body: JSON.stringify({ issue: 'no-such-issue' }) });
    expect(unknown.status).toBe(400);
    const bad = await stack.app.request('/admin/newsletters', { method: 'POST', headers: auth(stack), body: JSON.stringify({ issue: '2025-05-meta-last-week', segment: 'colour=blue' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/colour/);

    const { createApp } = await import('../../functions/web/app.js');
    const launched: unknown[] = [];
    const app = createApp({ ...stack.service, newsletters: stack.newsletters, config: stack.config, clientIp: () => '198.51.100.7', launchNewsletter: async (job) => void launched.push(job) });
    const started = await app.request('/admin/newsletters', { method: 'POST', headers: auth(stack), body: JSON.stringify({ issue: '2025-05-meta-last-week', segment: { platform: 'instagram' } }) });
    expect(started.status).toBe(202);
    expect(launched).toEqual([{ issueId: '2025-05-meta-last-week', segment: { platform: 'instagram' }, dryRun: false }]);
  });
});

describe('SES throttling during a newsletter', () => {
  it('loses and duplicates nothing when a quarter of SES calls are throttled', async () => {
    // Throttled at the SDK client: the one fault the emulator cannot produce.
    let calls = 0;
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const client = createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint });
    const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    (client as unknown as { send: (command: unknown) => Promise<unknown> }).send = (command) => {
      calls += 1;
      if (calls % 4 === 0) return Promise.reject(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }));
      return send(command);
    };
    const stack = await createTestStack({
      clock: manualClock(NOW).clock,
      env: { SES_ENDPOINT: ses.endpoint },
      transport: () => new SesTransport(client, { sleep: async () => undefined, attempts: 6 }),
    });
    const people = await seedPeople(stack, Array.from({ length: 30 }, (_, i) => ({ label: `t${i}`, platforms: ['facebook'] as PlatformId[] })));
    const summary = await stack.newsletters.send(issue('throttled', 'subject: Throttled issue\ncampaign: meta-ai-2025\nlocale: en'), {}, FAST);
    expect(summary).toMatchObject({ total: 30, sent: 30, failed: 0 });
    expect(calls).toBeGreaterThan(30);
    for (const email of Object.values(people)) expect(copiesTo(stack, email, 'Throttled issue')).toBe(1);
  });
});
