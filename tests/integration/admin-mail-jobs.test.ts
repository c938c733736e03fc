import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy } from '../../functions/domain/mail-job.js';
import { createMailPipeline } from '../../functions/app/mail-pipeline.js';
import { createApp } from '../../functions/web/app.js';
import { someJobs, testComposer } from '../support/mailer.js';
import { createTestStack } from '../support/stack.js';

describe('/admin/mail-jobs', () => {
  it('lists the parked jobs for the operator and queues one again on request, for the operator only', async () => {
    const stack = await createTestStack();
    const { jobs, db } = createMailPipeline(stack.config, { composer: testComposer });
    const app = createApp({ ...stack.service, newsletters: stack.newsletters, config: stack.config, clientIp: () => '198.51.100.7', mailJobs: jobs });
    const [job] = someJobs(1, 'admin');
    await jobs.enqueue(job!);
    const claim = await jobs.claim(job!.jobId, { token: 't', leaseMs: 30_000, now: new Date() });
    if (!claim.claimed) throw new Error('not claimed');
    await jobs.fail(claim.job, { type: 'send-failed', token: 't', error: 'MessageRejected', policy: { ...defaultRetryPolicy, maxAttempts: 1 }, random: 0 }, new Date());
    const auth = { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` };

    expect((await app.request('/admin/mail-jobs/failed')).status).toBe(401);
    const listed = await app.request('/admin/mail-jobs/failed', { headers: auth });
    expect(await listed.json()).toEqual({ jobs: [expect.objectContaining({ jobId: job!.jobId, kind: 'confirm', attempts: 1, lastError: 'MessageRejected' })] });

    const retry = (jobId: string, headers: Record<string, string> = auth) =>
      app.request('/admin/mail-jobs/retry', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ jobId }) });
    expect((await retry(job!.jobId, {})).status).toBe(401);
    expect(await (await retry(job!.jobId)).json()).toEqual({ jobId: job!.jobId, status: 'queued' });
    expect((await retry(job!.jobId)).status).toBe(404);
    expect((await retry('')).status).toBe(400);
    expect(await (await app.request('/admin/mail-jobs/failed', { headers: auth })).json()).toEqual({ jobs: [] });
    db.destroy();
  });
});
