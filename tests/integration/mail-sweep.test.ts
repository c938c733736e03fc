import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createMailSweep, MailSweep } from '../../functions/app/mail-sweep.js';
import { queuedJobIdOf } from '../../functions/app/mailer.js';
import type { Config } from '../../functions/config.js';
import { defaultRetryPolicy, mailJobId, newMailJob, type MailJob } from '../../functions/domain/mail-job.js';
import { startLocalStream } from '../../functions/mail/local-stream.js';
import { createDynamoClient } from '../../functions/store/client.js';
import { keys, MAIL_DUE_SHARDS } from '../../functions/store/keys.js';
import { MailJobs } from '../../functions/store/mail-jobs.js';
import { createMailerTable, mailerConfig, readJob, startMailer } from '../support/mailer.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const clients: Array<{ destroy(): void }> = [];
afterAll(() => clients.forEach((client) => client.destroy()));

/** A table of the test's own, its jobs store, and the DynamoDB commands the sweep's client sent. */
async function table() {
  const config = mailerConfig();
  await createMailerTable(config);
  const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const sweepDb = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  clients.push(db, sweepDb);
  const commands: string[] = [];
  sweepDb.middlewareStack.add((next, context) => (args) => (commands.push(context.commandName ?? '?'), next(args)), { step: 'initialize' });
  return { config, db, jobs: new MailJobs(db, config.TABLE_NAME), sweep: createMailSweep(config, { db: sweepDb }), commands };
}

/** A confirmation job for a new person, written `minutes` ago. */
function jobWritten(minutes: number, label: string): MailJob {
  const personId = `${label}-${randomUUID().slice(0, 8)}`;
  return newMailJob({ jobId: mailJobId.confirm(personId, 'g1', 1), kind: 'confirm', personId, now: minutesAgo(minutes) });
}

/** How many queued images of each job the table's stream holds: what the mailer's filter lets through. */
async function queuedImagesOnStream(config: Config): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const stream = await startLocalStream({
    endpoint: config.DYNAMODB_ENDPOINT!,
    region: config.AWS_REGION,
    tableName: config.TABLE_NAME,
    pollMs: 50,
    onRecords: async (records) => {
      for (const jobId of records.map(queuedJobIdOf)) if (jobId) counts.set(jobId, (counts.get(jobId) ?? 0) + 1);
    },
  });
  await stream.caughtUp();
  await stream.stop();
  return counts;
}

/** How many messages the SES emulator holds for `address`. */
async function delivered(config: Config, address: string): Promise<number> {
  const { emails } = z
    .object({ emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }) })) })
    .parse(await (await fetch(`${config.SES_ENDPOINT}/store`)).json());
  return emails.filter((email) => email.destination.to.includes(address)).length;
}

describe('the sweep of stuck mail jobs', () => {
  it('hands a job whose stream record was lost to the mailer again, once, and the mailer sends it once', async () => {
    const { config, db, jobs, sweep, commands } = await table();
    const stuck = jobWritten(40, 'stuck');
    const fresh = jobWritten(1, 'fresh');
    for (const job of [stuck, fresh]) await jobs.enqueue(job);

    expect(await sweep.run({ olderThanMinutes: 30 })).toEqual({ found: 1, requeued: 1, busy: 0, settled: 0, olderThanMinutes: 30, limited: false });
    // Handed over means a fresh queued image on the stream, which the Lambda's filter passes.
    expect(await queuedImagesOnStream(config)).toEqual(new Map([[stuck.jobId, 2], [fresh.jobId, 1]]));
    const { Item } = await db.send(new GetCommand({ TableName: config.TABLE_NAME, Key: keys.mailJob(stuck.jobId), ConsistentRead: true }));
    expect(Item).toMatchObject({ status: 'queued', sweptAt: expect.any(String) });
    // The next sweeps leave it alone: the hand-over itself counts as its last one.
    expect(await sweep.run({ olderThanMinutes: 30 })).toMatchObject({ found: 0, requeued: 0 });
    // One query per shard of the index and one write per job: the table is never scanned.
    expect(commands.filter((name) => name !== 'QueryCommand')).toEqual(['UpdateItemCommand']);
    expect(commands.filter((name) => name === 'QueryCommand')).toHaveLength(2 * MAIL_DUE_SHARDS);

    // Both images of the stuck job reach the mailer: the claim sends it once.
    const mailer = await startMailer({ config });
    await mailer.settled();
    await mailer.stop();
    expect(await delivered(config, `${stuck.personId}@example.org`)).toBe(1);
    expect(await delivered(config, `${fresh.personId}@example.org`)).toBe(1);
    expect(await readJob(db, config, stuck.jobId)).toMatchObject({ status: 'sent' });
    // Sent, both have left the unsettled jobs: a sweep two hours later finds nothing.
    const later = createMailSweep(config, { db, clock: () => new Date(Date.now() + 2 * 3_600_000) });
    expect(await later.run({ olderThanMinutes: 30 })).toMatchObject({ found: 0 });
  }, 120_000);

  it('expires a claim whose mailer died and hands the job over, and leaves live claims, sent and parked jobs alone', async () => {
    const { jobs, sweep, db, config } = await table();
    const [dead, live, sent, parked] = ['dead', 'live', 'sent', 'parked'].map((label) => jobWritten(40, label)) as [MailJob, MailJob, MailJob, MailJob];
    for (const job of [dead, live, sent, parked]) await jobs.enqueue(job);
    await jobs.claim(dead.jobId, { token: 'died', leaseMs: 60_000, now: minutesAgo(39) });
    await jobs.claim(live.jobId, { token: 'sending-now', leaseMs: 60_000, now: new Date() });
    const sending = await jobs.claim(sent.jobId, { token: 'done', leaseMs: 60_000, now: minutesAgo(39) });
    if (!sending.claimed) throw new Error('not claimed');
    await jobs.markSent(sending.job, 'done', 'ses-1', minutesAgo(39));
    const failing = await jobs.claim(parked.jobId, { token: 'failed', leaseMs: 60_000, now: minutesAgo(39) });
    if (!failing.claimed) throw new Error('not claimed');
    await jobs.fail(failing.job, { type: 'send-failed', token: 'failed', error: 'MessageRejected', policy: { ...defaultRetryPolicy, maxAttempts: 1 }, random: 0 }, minutesAgo(39));

    expect(await sweep.run({ olderThanMinutes: 30 })).toMatchObject({ found: 2, requeued: 1, busy: 1, settled: 0 });
    expect(await readJob(db, config, dead.jobId)).toMatchObject({ status: 'queued' });
    expect((await readJob(db, config, dead.jobId))?.claimToken).toBeUndefined();
    expect(await readJob(db, config, live.jobId)).toMatchObject({ status: 'sending', claimToken: 'sending-now' });
    expect(await readJob(db, config, sent.jobId)).toMatchObject({ status: 'sent' });
    expect(await readJob(db, config, parked.jobId)).toMatchObject({ status: 'failed' });
  });

  it('hands over at most its limit in one run and says that more are waiting', async () => {
    const { jobs, config, db } = await table();
    for (const job of [jobWritten(50, 'many'), jobWritten(45, 'many'), jobWritten(40, 'many')]) await jobs.enqueue(job);
    const sweep = new MailSweep({ jobs: new MailJobs(db, config.TABLE_NAME), limit: 2 });
    expect(await sweep.run({ olderThanMinutes: 30 })).toMatchObject({ found: 2, requeued: 2, limited: true });
    expect(await sweep.run({ olderThanMinutes: 30 })).toMatchObject({ found: 1, requeued: 1, limited: false });
  });

  it('runs the same sweep as the MailSweep Lambda and as `npm run sweep-mail`', async () => {
    const { jobs, config } = await table();
    const [forLambda, forCommand] = [jobWritten(40, 'lambda'), jobWritten(40, 'command')];
    await jobs.enqueue(forLambda);
    const env = { TABLE_NAME: config.TABLE_NAME, DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT!, SIGNING_SECRET: config.SIGNING_SECRET, ADMIN_TOKEN: config.ADMIN_TOKEN };
    // The handler reads its configuration from the environment at cold start, as in Lambda.
    Object.assign(process.env, env);
    const { handler } = await import('../../functions/sweep-mail.js');
    expect(await handler({ id: 'schedule-event', time: new Date().toISOString() })).toMatchObject({ found: 1, requeued: 1, olderThanMinutes: 30 });

    await jobs.enqueue(forCommand);
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/sweep-mail.ts', '--older-than', '35'], {
      cwd: ROOT,
      env: { ...process.env, ...env, SES_ENDPOINT: config.SES_ENDPOINT! },
    });
    expect(stdout).toContain('sweep-mail: 1 job(s) unsettled for over 35 min; 1 handed to the mailer again');
  }, 60_000);
});
