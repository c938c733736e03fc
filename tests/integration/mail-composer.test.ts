/**
 * The mailer's composer against the real DynamoDB Local and SES emulator: people signed up and
 * confirmed through the journey, their mornings queued by the countdown run, every email built by
 * the composer at send time and read back from the emulator. Needs no web app, so it builds none.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import * as z from 'zod';
import { createService, type Service } from '../../functions/app/composition-root.js';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import type { Clock } from '../../functions/clock.js';
import { mailJobId, newMailJob, type MailJob } from '../../functions/domain/mail-job.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { hashAddress } from '../../functions/domain/token.js';
import { newsletterIssues } from '../../functions/newsletter-issues.js';
import { createMailerTable, mailerConfig, startMailer } from '../support/mailer.js';

const FOUR: PlatformId[] = ['facebook', 'linkedin', 'x', 'chatgpt'];
const BERLIN = 'Europe/Berlin';
const IP = '198.51.100.7';

const StoredEmail = z.object({
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
});
type StoredEmail = z.infer<typeof StoredEmail>;

/** The service on a table of its own, with a mailer that composes with the real composer, on a clock the test moves. */
async function stackAt(start: string) {
  let now = new Date(start);
  const clock: Clock = () => new Date(now);
  const config = mailerConfig({ PUBLIC_URL: 'https://optout.example' });
  await createMailerTable(config);
  const service = createService(config, { clock });
  const composer = mailComposerOf(service, newsletterIssues);
  const mailer = await startMailer({ config }, { composer, clock });
  onTestFinished(() => mailer.stop());
  return {
    service,
    composer,
    config,
    setClock: (instant: string) => (now = new Date(instant)),
    /** What the SES emulator received for `address`, once the mailer has sent everything queued. */
    async inbox(address: string): Promise<StoredEmail[]> {
      await mailer.settled();
      const response = await fetch(`${inject('sesEndpoint')}/store`);
      const { emails } = z.object({ emails: z.array(StoredEmail) }).parse(await response.json());
      return emails.filter((email) => email.destination.to.some((to) => to.includes(address)));
    },
  };
}

const addressFor = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.org`;

/** The token of the nth link of a kind in an email's HTML. */
function tokenIn(email: StoredEmail, kind: 'confirm' | 'objected' | 'preferences', nth = 0): string {
  const tokens = [...new Set([...(email.body.html ?? '').matchAll(new RegExp(`https://optout\\.example/${kind}/([A-Za-z0-9._~-]+)`, 'g'))].map((m) => m[1]))];
  const token = tokens[nth];
  if (!token) throw new Error(`no ${kind} link #${nth} in "${email.subject}"`);
  return token;
}

/** The platforms whose "I've objected" button an email holds, in its order. */
const buttonsIn = (email: StoredEmail | undefined) =>
  [...new Set([...(email?.body.html ?? '').matchAll(/\/objected\/o\.[^.]+\.[^.]+\.[^.]*\.([a-z-]+)\./g)].map((m) => m[1]))];

async function signUp(service: Service, email: string, platforms: PlatformId[], fields: Record<string, string> = {}) {
  const outcome = await service.journey.signUp({ email, platforms, timezone: BERLIN, locale: 'en', consent: 'on', ...fields }, { clientIp: IP, locale: 'en' });
  expect(outcome.ok).toBe(true);
}

describe('the mailer composes each job from the person as stored when it sends', () => {
  it('sends a person who ticks Facebook, LinkedIn, X and ChatGPT one confirmation, four guides, then one email a morning listing what is left', async () => {
    const stack = await stackAt('2026-12-06T08:00:00Z');
    const email = addressFor('four');

    await signUp(stack.service, email, FOUR, { watch: 'on' });
    const [confirmation, ...others] = await stack.inbox(email);
    expect(others).toEqual([]);
    expect(confirmation?.subject).toBe('Confirm your guides for Facebook, LinkedIn and 2 more');
    expect(confirmation?.body.text).toContain('a guide each for Facebook, LinkedIn, ChatGPT and X');
    expect(confirmation?.body.text).toContain('The same button also says yes to an email when a new objection deadline opens');

    await stack.service.journey.confirm(tokenIn(confirmation!, 'confirm'));
    const afterConfirm = await stack.inbox(email);
    expect(afterConfirm).toHaveLength(2);
    const welcome = afterConfirm[1]!;
    expect(welcome.subject).toBe('Your guides for Facebook, LinkedIn and 2 more');
    expect(buttonsIn(welcome)).toEqual(['facebook', 'linkedin', 'chatgpt', 'x']);
    expect(welcome.body.text).toContain('Your list now holds 4 platforms: Facebook, LinkedIn, ChatGPT and X.');

    // Three days later at 09:05 in Berlin: one email with everything left; a second run adds nothing.
    stack.setClock('2026-12-09T08:05:00Z');
    await stack.service.countdown.run();
    await stack.service.countdown.run();
    const firstMorning = (await stack.inbox(email)).slice(2);
    expect(firstMorning.map((mail) => mail.subject)).toEqual(['Still to do: Facebook, LinkedIn and 2 more']);
    expect(buttonsIn(firstMorning[0])).toEqual(['facebook', 'linkedin', 'chatgpt', 'x']);

    // X done: the next morning lists the other three, and says in one line that X is done.
    await stack.service.journey.recordObjection(tokenIn(welcome, 'objected', 3));
    stack.setClock('2026-12-16T08:05:00Z');
    await stack.service.countdown.run();
    const secondMorning = (await stack.inbox(email)).slice(3);
    expect(secondMorning.map((mail) => mail.subject)).toEqual(['Still to do: Facebook, LinkedIn and ChatGPT']);
    expect(buttonsIn(secondMorning[0])).toEqual(['facebook', 'linkedin', 'chatgpt']);
    expect(secondMorning[0]?.body.text).toContain('Done already: X.');
  });

  it('builds every kind of email from ids alone, with the one-click headers on list emails, and sends nothing to whoever left or is not due', async () => {
    const stack = await stackAt('2026-12-06T08:00:00Z');
    const reader = addressFor('reader');
    const gone = addressFor('gone');
    const pending = addressFor('pending');
    for (const [address, platforms] of [
      [reader, ['facebook', 'instagram', 'gemini']],
      [gone, ['x']],
    ] as const) {
      await signUp(stack.service, address, [...platforms], { locale: address === reader ? 'de' : 'en' });
      const [confirmation] = await stack.inbox(address);
      await stack.service.journey.confirm(tokenIn(confirmation!, 'confirm'));
    }
    await signUp(stack.service, pending, ['claude']);
    const readerWelcome = (await stack.inbox(reader))[1]!;
    const goneWelcome = (await stack.inbox(gone))[1]!;
    const { person } = await stack.service.journey.openPreferences(tokenIn(readerWelcome, 'preferences'));
    const { person: leaver } = await stack.service.journey.openPreferences(tokenIn(goneWelcome, 'preferences'));
    await stack.service.journey.erase(tokenIn(goneWelcome, 'preferences'));

    const now = new Date('2026-12-09T08:05:00Z');
    const job = (fields: Omit<Parameters<typeof newMailJob>[0], 'now'>): MailJob => newMailJob({ ...fields, now });
    const compose = async (mail: MailJob) => {
      const result = await stack.composer.compose(mail, now);
      if ('drop' in result) throw new Error(`${mail.kind} dropped: ${result.drop}`);
      const raw = result.raw.toString('utf8');
      return { to: result.to, headers: raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '' };
    };

    const morning = await compose(job({ jobId: mailJobId.morning(person.id, person.generation, '2026-12-09'), kind: 'morning', personId: person.id, stepId: '2026-12-09' }));
    expect(morning.to).toBe(reader);
    expect(morning.headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const welcome = await compose(job({ jobId: mailJobId.welcome(person.id, person.generation, 9), kind: 'welcome', personId: person.id, platforms: ['gemini'] }));
    expect(welcome.headers).toMatch(/List-Unsubscribe: <https:\/\/optout\.example\/unsubscribe\//);
    const issue = newsletterIssues[0]!;
    const news = await compose(job({ jobId: mailJobId.news(person.id, issue.id), kind: 'newsletter', personId: person.id, issueId: issue.id }));
    expect(news.headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const pendingId = hashAddress(stack.config.SIGNING_SECRET, pending);
    const confirm = await compose(job({ jobId: mailJobId.confirm(pendingId, 'g', 1), kind: 'confirm', personId: pendingId }));
    expect(confirm.to).toBe(pending);
    expect(confirm.headers).not.toContain('List-Unsubscribe');

    const drops: Array<[MailJob, string]> = [
      // Confirmed already: no second confirmation.
      [job({ jobId: mailJobId.confirm(person.id, person.generation, 1), kind: 'confirm', personId: person.id }), 'not_needed'],
      [job({ jobId: mailJobId.morning(leaver.id, leaver.generation, '2026-12-09'), kind: 'morning', personId: leaver.id, stepId: '2026-12-09' }), 'person_gone'],
      // A welcome for a platform that is not on the list.
      [job({ jobId: mailJobId.welcome(person.id, person.generation, 10), kind: 'welcome', personId: person.id, platforms: ['claude'] }), 'not_needed'],
      // A morning that is not on the person's schedule.
      [job({ jobId: mailJobId.morning(person.id, person.generation, '2026-12-08'), kind: 'morning', personId: person.id, stepId: '2026-12-08' }), 'not_needed'],
    ];
    for (const [dropped, reason] of drops) expect(await stack.composer.compose(dropped, now), dropped.jobId).toEqual({ drop: reason });
  });
});
