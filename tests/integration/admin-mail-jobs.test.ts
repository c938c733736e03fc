import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy } from '../../functions/domain/mail-job.js';
import { someJobs } from '../support/mailer.js';
import { createTestStack } from '../support/stack.js';

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
