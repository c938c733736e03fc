import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRetryPolicy, mailJobId, newMailJob } from '../../functions/domain/mail-job.js';
import { createDynamoClient } from '../../functions/store/client.js';
import { MailJobs, mailJobPut } from '../../functions/store/mail-jobs.js';
import { createMailerTable, mailerConfig, readJob, someJobs } from '../support/mailer.js';

const config = mailerConfig();
const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const jobs = new MailJobs(db, config.TABLE_NAME);
const lease = 30_000;
const at = (iso: string) => new Date(iso);

beforeAll(() => createMailerTable(config));
afterAll(() => db.destroy());

describe('mail jobs store', () => {
  it('collapses a repeated cause into the same job inside the producer\'s transaction', async () => {
    const job = newMailJob({ jobId: mailJobId.morning('p-tx', 'g1', '2025-05-19'), kind: 'morning', personId: 'p-tx', stepId: '2025-05-19', now: new Date() });
    await db.send(new TransactWriteCommand({ TransactItems: [mailJobPut(config.TABLE_NAME, job)] }));
    await expect(db.send(new TransactWriteCommand({ TransactItems: [mailJobPut(config.TABLE_NAME, job)] }))).rejects.toThrow(/ConditionalCheckFailed/);
    expect(await jobs.enqueue(job)).toBe(false);
    expect((await readJob(db, config, job.jobId))?.status).toBe('queued');
  });

  it('lets one claim win and tells the others why they lost, in one write each', async () => {
    const [job] = someJobs(1, 'claim');
    await jobs.enqueue(job!);
    const now = new Date();
    const claims = await Promise.all(['a', 'b', 'c'].map((token) => jobs.claim(job!.jobId, { token, leaseMs: lease, now })));
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    const lost = claims.find((c) => !c.claimed);
    expect(lost).toMatchObject({ claimed: false, reason: 'held' });
    const winner = claims.find((c) => c.claimed);
    if (!winner?.claimed) throw new Error('no winner');
    expect(await jobs.markSent(winner.job, winner.job.claimToken!, 'ses-1', new Date())).toBe(true);
    expect(await jobs.claim(job!.jobId, { token: 'd', leaseMs: lease, now: new Date() })).toEqual({ claimed: false, reason: 'sent' });
    expect(await jobs.claim('confirm#nobody#1', { token: 'd', leaseMs: lease, now: new Date() })).toEqual({ claimed: false, reason: 'missing' });
  });

  it('takes over a dead claim, and never one whose message SES reported sent', async () => {
    const [dead, accepted] = someJobs(2, 'dead');
    for (const job of [dead!, accepted!]) {
      await jobs.enqueue(job);
      await jobs.claim(job.jobId, { token: 'died', leaseMs: 1000, now: at('2026-12-01T10:00:00Z') });
    }
    await jobs.recordAccepted(accepted!.jobId, { at: at('2026-12-01T10:00:00.500Z'), sesMessageId: 'ses-accepted' });
    const later = at('2026-12-01T10:00:02Z');
    const takeover = await jobs.claim(dead!.jobId, { token: 'next', leaseMs: lease, now: later });
    expect(takeover).toMatchObject({ claimed: true, takeover: true, previousClaimAt: at('2026-12-01T10:00:00Z') });
    expect(await jobs.claim(accepted!.jobId, { token: 'next', leaseMs: lease, now: later })).toEqual({ claimed: false, reason: 'sent' });
    expect(await readJob(db, config, accepted!.jobId)).toMatchObject({ status: 'sent', acceptedAt: '2026-12-01T10:00:00.500Z', sesMessageId: 'ses-accepted' });
  });

  it('releases a failed send with backoff, parks it at the limit, lists it and retries it', async () => {
    const [job] = someJobs(1, 'fail');
    await jobs.enqueue(job!);
    const policy = { ...defaultRetryPolicy, maxAttempts: 2 };
    let now = new Date();
    let claim = await jobs.claim(job!.jobId, { token: 't1', leaseMs: lease, now });
    if (!claim.claimed) throw new Error('not claimed');
    const released = await jobs.fail(claim.job, { type: 'send-failed', token: 't1', error: 'Throttling', policy, random: 0 }, now);
    expect(released).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await jobs.claim(job!.jobId, { token: 't2', leaseMs: lease, now })).toMatchObject({ claimed: false, reason: 'waiting', retryAt: new Date(released!.notBefore!) });

    now = new Date(new Date(released!.notBefore!).getTime() + 1);
    claim = await jobs.claim(job!.jobId, { token: 't2', leaseMs: lease, now });
    if (!claim.claimed) throw new Error('not claimed after the backoff');
    expect(await jobs.fail(claim.job, { type: 'send-failed', token: 't2', error: 'Throttling', policy, random: 0 }, now)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await jobs.claim(job!.jobId, { token: 't3', leaseMs: lease, now })).toEqual({ claimed: false, reason: 'parked' });
    expect(await jobs.listFailed()).toContainEqual({ jobId: job!.jobId, kind: 'confirm', attempts: 2, failedAt: now.toISOString(), lastError: 'Throttling' });

    expect(await jobs.retryFailed(job!.jobId, now)).toBe(true);
    expect(await jobs.retryFailed(job!.jobId, now)).toBe(false);
    expect((await jobs.listFailed()).map((parked) => parked.jobId)).not.toContain(job!.jobId);
    expect(await jobs.claim(job!.jobId, { token: 't4', leaseMs: lease, now })).toMatchObject({ claimed: true, takeover: false });
  });

  it('never records a send whose claim was taken over', async () => {
    const [job] = someJobs(1, 'lost');
    await jobs.enqueue(job!);
    const first = await jobs.claim(job!.jobId, { token: 'slow', leaseMs: 1000, now: at('2026-12-01T10:00:00Z') });
    const second = await jobs.claim(job!.jobId, { token: 'fast', leaseMs: lease, now: at('2026-12-01T10:00:05Z') });
    if (!first.claimed || !second.claimed) throw new Error('both should claim, one after the lease');
    expect(await jobs.fail(first.job, { type: 'send-failed', token: 'slow', error: 'Throttling', policy: defaultRetryPolicy, random: 0 }, new Date())).toBeUndefined();
    expect((await readJob(db, config, job!.jobId))?.claimToken).toBe('fast');
  });

  it('wakes a deferred job and expires a dead claim so the stream brings them back', async () => {
    const [queued, dead, done] = someJobs(3, 'wake');
    for (const job of [queued!, dead!, done!]) await jobs.enqueue(job);
    await jobs.claim(dead!.jobId, { token: 'died', leaseMs: 1000, now: at('2026-12-01T10:00:00Z') });
    const sent = await jobs.claim(done!.jobId, { token: 'ok', leaseMs: lease, now: new Date() });
    if (sent.claimed) await jobs.markSent(sent.job, 'ok', undefined, new Date());
    for (const job of [queued!, dead!, done!]) await jobs.scheduleWake(job.jobId, at('2026-12-01T10:00:01Z'));
    await jobs.scheduleWake(queued!.jobId, at('2999-01-01T00:00:00Z'));
    expect(await jobs.wakeDue(at('2026-12-01T10:00:02Z'))).toBe(2);
    expect((await readJob(db, config, dead!.jobId))).toMatchObject({ status: 'queued', claimedAt: '2026-12-01T10:00:00.000Z' });
    expect((await readJob(db, config, done!.jobId))?.status).toBe('sent');
    // What was due is gone; what is not yet due stays.
    expect(await jobs.wakeDue(at('2026-12-01T10:00:02Z'))).toBe(0);
  });
});
