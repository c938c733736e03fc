import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy } from '../../functions/domain/mail-job.js';
import { signToken } from '../../functions/domain/token.js';
import { someJobs } from '../support/mailer.js';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, tableSnapshot, testAddress, type StoredEmail, type TestStack } from '../support/stack.js';

describe('/admin/failed-mail with the mail pipeline', () => {
  it('lists the parked jobs for the operator and queues one again on request, for the operator only', async () => {
    const stack = await createTestStack();
    const jobs = stack.service.mailJobs;
    const [job] = someJobs(1, 'admin');
    await jobs.enqueue(job!);
    const claim = await jobs.claim(job!.jobId, { token: 't', leaseMs: 30_000, now: new Date() });
    if (!claim.claimed) throw new Error('not claimed');
    await jobs.fail(claim.job, { type: 'send-failed', token: 't', error: 'MessageRejected', policy: { ...defaultRetryPolicy, maxAttempts: 1 }, random: 0 }, new Date());
    const auth = { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` };
    const list = async () => ((await (await stack.app.request('/admin/failed-mail', { headers: auth })).json()) as { failed: unknown[] }).failed;

    expect((await stack.app.request('/admin/failed-mail')).status).toBe(401);
    expect(await list()).toEqual([expect.objectContaining({ id: job!.jobId, kind: 'confirm', reason: 'MessageRejected' })]);
    const html = await (await stack.app.request('/admin', { headers: auth })).text();
    expect(html).toContain('Emails that failed for good');
    // The id names a person's job: it travels in the form's body, never in a URL.
    expect(html).not.toContain(`action="/admin/failed-mail/${encodeURIComponent(job!.jobId)}`);

    const retry = (body: Record<string, string>, headers: Record<string, string> = auth) =>
      stack.app.request('/admin/failed-mail/retry', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
    expect((await retry({ id: job!.jobId }, {})).status).toBe(401);
    const queued = await retry({ id: job!.jobId });
    expect(queued.status).toBe(202);
    expect(await queued.json()).toEqual({ id: job!.jobId, status: 'queued' });
    expect((await retry({ id: job!.jobId })).status).toBe(404);
    expect((await retry({})).status).toBe(400);
    expect(await list()).toEqual([]);
  });
});

/** A stack whose SES refuses every email to the addresses in `refused`, and parks it after one try. */
async function stackRefusing(refused: Set<string>, clock?: ReturnType<typeof manualClock>) {
  return createTestStack({
    env: { MAIL_MAX_ATTEMPTS: '1' },
    ...(clock ? { clock: clock.clock } : {}),
    transport: (real) => ({
      sendRaw: async (raw, options) => {
        const to = /^To: (.*)$/m.exec(raw.toString('utf8'))?.[1]?.trim() ?? '';
        if (refused.has(to)) throw Object.assign(new Error('Email address is on the suppression list.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });
        return real.sendRaw(raw, options);
      },
    }),
  });
}

/** Signs up and confirms `email`, whose welcome SES then refuses: it is parked as failed. */
async function confirmWithRefusedWelcome(stack: TestStack, refused: Set<string>, email: string): Promise<StoredEmail> {
  expect((await signUp(stack.app, { email, platforms: 'facebook', campaign: 'meta-ai-2025', consent: 'on', timezone: 'Europe/Berlin' })).status).toBe(200);
  const [confirmation] = await inbox(email);
  refused.add(email);
  expect((await post(stack.app, linkIn(confirmation!, 'confirm'), { confirm: 'yes' })).status).toBe(200);
  await stack.deliverMail();
  return confirmation!;
}

const auth = (stack: TestStack) => ({ Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` });
const failedList = async (stack: TestStack) =>
  ((await (await stack.app.request('/admin/failed-mail', { headers: auth(stack) })).json()) as { failed: { id: string; kind: string }[] }).failed;

describe('parked emails and erasure', () => {
  it('erases a parked email and its wake-ups with the person, on one-click unsubscribe and on "delete me", and lists it no more', async () => {
    const refused = new Set<string>();
    const stack = await stackRefusing(refused);
    const [leaving, deleting] = [testAddress('parked-leaving'), testAddress('parked-deleting')];
    const confirmations = { leaving: await confirmWithRefusedWelcome(stack, refused, leaving), deleting: await confirmWithRefusedWelcome(stack, refused, deleting) };
    const personOf = (mail: StoredEmail) => linkIn(mail, 'confirm').split('/')[2]!.split('.')[1]!;
    const people = { leaving: personOf(confirmations.leaving), deleting: personOf(confirmations.deleting) };

    const parked = await failedList(stack);
    for (const personId of Object.values(people)) {
      const welcome = parked.find((entry) => entry.kind === 'welcome' && entry.id.includes(personId));
      expect(welcome).toBeDefined();
      // As the mailer does for a job it cannot claim yet: a wake-up item names the job.
      await stack.service.mailJobs.scheduleWake(welcome!.id, new Date(Date.now() + 3_600_000));
    }
    const named = async (personId: string) => (await tableSnapshot(stack)).split('\n').filter((item) => item.includes(personId));
    expect((await named(people.leaving)).length).toBeGreaterThan(3);

    // The links of the confirmation: one-click unsubscribe, and "delete me" from the preferences page.
    const [, , generation] = linkIn(confirmations.leaving, 'confirm').split('/')[2]!.split('.');
    const unsubscribe = signToken(stack.config.SIGNING_SECRET, { purpose: 'unsubscribe', personId: people.leaving, generation: generation! });
    expect((await post(stack.app, `/unsubscribe/${unsubscribe}`, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    const [, , deletingGeneration] = linkIn(confirmations.deleting, 'confirm').split('/')[2]!.split('.');
    const preferences = signToken(stack.config.SIGNING_SECRET, { purpose: 'preferences', personId: people.deleting, generation: deletingGeneration! });
    expect((await post(stack.app, `/preferences/${preferences}/delete`, { delete: 'yes' })).status).toBe(200);

    for (const personId of Object.values(people)) {
      const left = await named(personId);
      // Only the suppression fingerprint names them: no job, no parked entry, no wake-up.
      expect(left).toHaveLength(1);
      expect(left[0]).toContain('"sk":{"S":"PERSON"}');
    }
    expect(await failedList(stack)).toEqual([]);
  });

  it('lists no parked email whose person\'s data is past its erasure date, even before TTL removes it', async () => {
    const refused = new Set<string>();
    const time = manualClock('2025-05-20T07:00:00Z');
    const stack = await stackRefusing(refused, time);
    const email = testAddress('parked-expired');
    await confirmWithRefusedWelcome(stack, refused, email);
    expect(await failedList(stack)).toEqual([expect.objectContaining({ kind: 'welcome' })]);
    // A year on: Meta's 2025 campaign data is long past its erasure date.
    time.set('2026-05-20T07:00:00Z');
    expect(await failedList(stack)).toEqual([]);
  });
});
