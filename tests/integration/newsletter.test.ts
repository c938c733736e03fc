import { describe, expect, it, onTestFinished } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { parseIssueSource, type NewsletterIssue, type Segment } from '../../functions/domain/newsletter.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { hashAddress } from '../../functions/domain/token.js';
import { createSesClient, SesTransport, type MailTransport } from '../../functions/mail/send.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { seedConfirmed } from '../support/seed.js';
import { createTestStack, inbox, manualClock, privateSes, testAddress, unfoldHeaders, type TestStack } from '../support/stack.js';

const NOW = '2025-05-20T08:00:00Z';
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

/** Seeds confirmed people, some with platforms marked done through their "I've objected" links. */
async function seedPeople(stack: TestStack, people: { label: string; platforms: PlatformId[]; done?: PlatformId[] }[]) {
  const at = new Date('2025-05-10T10:00:00Z');
  const seeded: Record<string, string> = {};
  for (const person of people) {
    const email = testAddress(person.label);
    const { person: stored } = await seedConfirmed(stack, { email, timeZone: 'Europe/Berlin', platforms: person.platforms, confirmedAt: at });
    for (const platform of person.done ?? []) {
      await stack.service.journey.recordObjection(tokenOf(stack.service.links.objected(stored, platform)));
    }
    seeded[person.label] = email;
  }
  return seeded;
}

/** The token of a link, as its route reads it. */
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

const copiesTo = (stack: TestStack, email: string, subject: string) => stack.transport.messages.filter((m) => m.to === email && m.subject === subject).length;

/** Writes an issue's copies, as deployed with the issue built in, and lets the mailer send them. */
async function sendIssue(stack: TestStack, news: NewsletterIssue, segment: Segment = {}, options: Parameters<TestStack['newsletters']['send']>[2] = {}) {
  if (!stack.issues.some((known) => known.id === news.id)) stack.issues.push(news);
  const summary = await stack.newsletters.send(news, segment, options);
  await stack.deliverMail();
  return summary;
}

describe('sending a newsletter', () => {
  it('reaches exactly the segment: platform picked, done or not, confirmed, not suppressed', async () => {
    const time = manualClock(NOW);
    const stack = await createTestStack({ clock: time.clock });
    const people = await seedPeople(stack, [
      { label: 'insta-open', platforms: ['instagram', 'facebook'] },
      { label: 'insta-done', platforms: ['instagram'], done: ['instagram'] },
      { label: 'fb-only', platforms: ['facebook'] },
      { label: 'insta-suppressed', platforms: ['instagram'] },
      { label: 'linkedin-only', platforms: ['linkedin'] },
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
    const summary = await sendIssue(stack, news, { done: false });

    expect(summary).toMatchObject({ total: 1, queued: 1, failed: 0, alreadyQueued: 0, audience: 'campaign meta-ai-2025, locale en, platform instagram, not done' });
    expect(copiesTo(stack, people['insta-open']!, 'Instagram: still to do')).toBe(1);
    for (const label of ['insta-done', 'fb-only', 'insta-suppressed', 'linkedin-only']) expect(copiesTo(stack, people[label]!, 'Instagram: still to do')).toBe(0);

    // Everyone with a platform of the campaign on their list; LinkedIn alone is another campaign's.
    const everyone = await sendIssue(stack, issue('to-all', 'subject: To all\ncampaign: meta-ai-2025\nlocale: en'));
    expect(everyone).toMatchObject({ total: 3, queued: 3 });
    expect(copiesTo(stack, people['linkedin-only']!, 'To all')).toBe(0);
    const doneOnly = await sendIssue(stack, issue('to-done', 'subject: To the done\ncampaign: meta-ai-2025\nlocale: en\nsegment: done=true'));
    expect(doneOnly).toMatchObject({ total: 1, queued: 1 });
    expect(copiesTo(stack, people['insta-done']!, 'To the done')).toBe(1);
  });

  it('counts a mark as done only while it counts: one made before a campaign that asks everyone again is not done', async () => {
    const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
    // Facebook asks everyone to object again from 15 May: marks made before no longer count.
    const again = Campaign.parse({ ...meta, id: 'meta-asks-again-2025', announcedAt: '2025-05-15', earlierMarksCount: false, platforms: ['facebook'], deadline: { local: '2025-06-30T00:00', timeZone: 'Europe/Berlin' } });
    const time = manualClock('2025-05-12T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock, campaigns: [...campaigns, again] });
    const early = await seedPeople(stack, [{ label: 'marked-before', platforms: ['facebook'], done: ['facebook'] }]);
    time.set('2025-05-16T10:00:00Z');
    const late = await seedPeople(stack, [
      { label: 'marked-after', platforms: ['facebook'], done: ['facebook'] },
      { label: 'never-marked', platforms: ['facebook'] },
    ]);
    time.set(NOW);

    const summary = await sendIssue(stack, issue('facebook-open', 'subject: Facebook: still open\ncampaign: meta-ai-2025\nlocale: en\nsegment: platform=facebook, done=false'));
    expect(summary).toMatchObject({ total: 2, queued: 2 });
    expect(copiesTo(stack, early['marked-before']!, 'Facebook: still open')).toBe(1);
    expect(copiesTo(stack, late['never-marked']!, 'Facebook: still open')).toBe(1);
    expect(copiesTo(stack, late['marked-after']!, 'Facebook: still open')).toBe(0);
    // The copy says the same as the segment: Facebook is still open for the one who marked it before.
    const [mail] = (await inbox(early['marked-before']!)).filter((m) => m.subject === 'Facebook: still open');
    expect(mail!.body.text).toContain('Still open: Facebook');
  });

  it('carries the list footer values and the one-click unsubscribe headers, and rewrites no link', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const people = await seedPeople(stack, [{ label: 'reader', platforms: ['facebook', 'whatsapp'], done: ['facebook'] }]);
    const built = newsletterIssues.find((item) => item.id === '2025-05-meta-last-week')!;
    await sendIssue(stack, built);
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

  it('writes and sends nothing in a dry run, and counts what is left to send', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const people = await seedPeople(stack, [
      { label: 'a', platforms: ['threads'] },
      { label: 'b', platforms: ['threads'] },
      { label: 'c', platforms: ['threads'] },
    ]);
    const news = issue('dry', 'subject: Dry run issue\ncampaign: meta-ai-2025\nlocale: en');
    const dry = await sendIssue(stack, news, {}, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, total: 3, toSend: 3, queued: 0, alreadyQueued: 0 });
    expect(stack.transport.messages).toHaveLength(0);

    await sendIssue(stack, news);
    const after = await sendIssue(stack, news, {}, { dryRun: true });
    expect(after).toMatchObject({ total: 3, toSend: 0, alreadyQueued: 3 });
    for (const email of Object.values(people)) expect(copiesTo(stack, email, 'Dry run issue')).toBe(1);
  });

  it('writes every copy while SES fails from the 3rd send on: the mailer retries them, each arrives once', async () => {
    let sends = 0;
    const failing = (real: MailTransport): MailTransport => ({
      sendRaw: async (raw) => {
        // Four sends get no answer (a reset connection): each is retried a lease later.
        if (++sends > 2 && sends <= 6) throw Object.assign(new Error('connection reset'), { name: 'NetworkingError' });
        return real.sendRaw(raw);
      },
    });
    const stack = await createTestStack({ clock: manualClock(NOW).clock, transport: failing, env: { MAIL_LEASE_SECONDS: '1' } });
    const people = await seedPeople(stack, Array.from({ length: 6 }, (_, i) => ({ label: `r${i}`, platforms: ['facebook'] as PlatformId[] })));
    const news = issue('resume', 'subject: Resume after failure\ncampaign: meta-ai-2025\nlocale: en');

    expect(await sendIssue(stack, news)).toMatchObject({ total: 6, queued: 6, failed: 0 });
    expect(sends).toBeGreaterThan(6);
    for (const email of Object.values(people)) expect(copiesTo(stack, email, 'Resume after failure')).toBe(1);
    expect(await sendIssue(stack, news)).toMatchObject({ queued: 0, alreadyQueued: 6 });
    expect(stack.transport.messages.filter((m) => m.subject === 'Resume after failure')).toHaveLength(6);
    // Each copy counts once on the operator's numbers, the re-run's none.
    expect((await stack.service.stats.peopleStats()).totals.sentByKind.newsletter).toBe(6);
  });

  it('stops at its time budget and the next send writes only the rest, each copy once', async () => {
    const stack = await createTestStack({ clock: manualClock(NOW).clock });
    const people = await seedPeople(stack, Array.from({ length: 5 }, (_, i) => ({ label: `k${i}`, platforms: ['instagram'] as PlatformId[] })));
    const news = issue('budget', 'subject: Out of time\ncampaign: meta-ai-2025\nlocale: en');
    // Real time moves a second per look at it: a 3-second budget writes a few copies, not all.
    let ticks = 0;
    const realClock = () => new Date(Date.UTC(2030, 0, 1) + 1000 * ticks++);
    const first = await sendIssue(stack, news, {}, { budgetMs: 3000, concurrency: 1, realClock });
    expect(first.stoppedEarly).toBe(true);
    expect(first.queued).toBeGreaterThan(0);
    expect(first.queued).toBeLessThan(5);
    const rest = await sendIssue(stack, news);
    expect(rest).toMatchObject({ queued: 5 - first.queued, alreadyQueued: first.queued, stoppedEarly: false });
    for (const email of Object.values(people)) expect((await inbox(email)).filter((m) => m.subject === 'Out of time')).toHaveLength(1);
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
    expect(await dry.json()).toMatchObject({ status: 'done', summary: { dryRun: true, total: 1, toSend: 1, queued: 0 } });
    expect(stack.transport.messages).toHaveLength(0);

    for (let run = 0; run < 2; run++) {
      const sent = await stack.app.request('/admin/newsletters', { method: 'POST', headers: auth(stack), body: JSON.stringify({ issue: '2025-05-meta-last-week' }) });
      expect(sent.status).toBe(200);
    }
    await stack.deliverMail();
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
  it('loses and duplicates nothing when a quarter of the mailer\'s SES calls are throttled', async () => {
    // Throttled at the SDK client: the one fault the emulator cannot produce.
    let calls = 0;
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const client = createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint });
    const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    (client as unknown as { send: (command: unknown) => Promise<unknown> }).send = (command) => {
      calls += 1;
      if (calls % 4 === 0) return Promise.reject(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
      return send(command);
    };
    const stack = await createTestStack({
      clock: manualClock(NOW).clock,
      env: { SES_ENDPOINT: ses.endpoint },
      transport: () => new SesTransport(client, { sleep: async () => undefined, attempts: 6 }),
    });
    const people = await seedPeople(stack, Array.from({ length: 30 }, (_, i) => ({ label: `t${i}`, platforms: ['facebook'] as PlatformId[] })));
    const summary = await sendIssue(stack, issue('throttled', 'subject: Throttled issue\ncampaign: meta-ai-2025\nlocale: en'));
    expect(summary).toMatchObject({ total: 30, queued: 30, failed: 0 });
    expect(calls).toBeGreaterThan(30);
    for (const email of Object.values(people)) expect(copiesTo(stack, email, 'Throttled issue')).toBe(1);
  });
});
