import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createMailPipeline } from '../../functions/app/mail-pipeline.js';
import { allSent, createMailerTable, enqueueAll, eventually, mailerConfig, readJob, someJobs, startMailer, testComposer } from '../support/mailer.js';
import { startSesThrottleProxy } from '../support/ses-throttle.js';
import { privateSes } from '../support/stack.js';

const throttlePreload = fileURLToPath(new URL('../support/ses-throttle-preload.ts', import.meta.url));

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
});

/** How many messages the SES emulator holds for each address. */
async function deliveredCounts(sesEndpoint: string): Promise<Map<string, number>> {
  const response = await fetch(`${sesEndpoint}/store`);
  const { emails } = z.object({ emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }) })) }).parse(await response.json());
  const counts = new Map<string, number>();
  for (const email of emails) for (const to of email.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

async function stackWith(env: Record<string, string> = {}, throttle?: { ratePerSecond: number; quotaRate?: number }) {
  const emulator = await privateSes();
  stops.push(emulator.stop);
  const proxy = throttle ? await startSesThrottleProxy({ target: emulator.endpoint, ...throttle }) : undefined;
  if (proxy) stops.push(proxy.stop);
  const ses = { endpoint: proxy?.endpoint ?? emulator.endpoint };
  const config = mailerConfig({ SES_ENDPOINT: ses.endpoint, ...(proxy ? { MAIL_QUOTA_FROM_SES: 'true' } : {}), ...env });
  await createMailerTable(config);
  // A pipeline of the test's own, to write and read jobs: the mailer under test runs apart.
  const tools = createMailPipeline(config, { composer: testComposer });
  stops.push(async () => tools.db.destroy());
  return { config, ses, proxy, jobs: tools.jobs, db: tools.db };
}

describe('mailer', () => {
  it('sends a job written to the table once, with nothing but the stream of the table to bring it', async () => {
    const stack = await stackWith();
    const mailer = await startMailer(stack);
    stops.push(mailer.stop);
    const [warmUp, job] = someJobs(2);
    const latency = async (one: typeof job) => {
      const writtenAt = Date.now();
      await stack.jobs.enqueue(one!);
      const arrived = await eventually(async () => (await deliveredCounts(stack.ses.endpoint)).has(`${one!.personId}@example.org`), 60_000, 20);
      return arrived ? Date.now() - writtenAt : Infinity;
    };
    // The first message of a process also loads nodemailer and opens connections.
    const first = await latency(warmUp);
    const tookMs = await latency(job);
    console.log(`one job: in the inbox ${tookMs} ms after it was written (the process's first: ${first} ms)`);
    // How soon is the bench's to measure (docs/benchmarks.md); here: it arrives, once.
    expect(Number.isFinite(first) && Number.isFinite(tookMs)).toBe(true);
    expect(await eventually(async () => (await readJob(stack.db, stack.config, job!.jobId))?.status === 'sent', 60_000)).toBe(true);
    expect([...(await deliveredCounts(stack.ses.endpoint)).entries()]).toEqual([
      [`${warmUp!.personId}@example.org`, 1],
      [`${job!.personId}@example.org`, 1],
    ]);
  });

  it('sends each job once when two mailers drain the same stream', async () => {
    const stack = await stackWith({ MAILER_INSTANCES: '2' });
    for (let i = 0; i < 2; i++) {
      const mailer = await startMailer(stack);
      stops.push(mailer.stop);
    }
    const all = someJobs(40, 'two');
    await enqueueAll(stack.jobs, all, 20);
    // Done when every job is recorded sent: from then on neither mailer can claim one again.
    expect(await allSent(stack.db, stack.config, all, 300_000, 100)).toBe(true);
    const counts = await deliveredCounts(stack.ses.endpoint);
    expect(all.map((job) => counts.get(`${job.personId}@example.org`))).toEqual(all.map(() => 1));
  });

  it('retries a throttled send and sends it once, never recording it sent before', async () => {
    // Enough attempts that the job is never parked while SES refuses it.
    const stack = await stackWith({ MAIL_RETRY_BASE_MS: '200', MAIL_RETRY_MAX_MS: '400', MAIL_MAX_ATTEMPTS: '50' }, { ratePerSecond: 0, quotaRate: 14 });
    const mailer = await startMailer(stack);
    stops.push(mailer.stop);
    const [job] = someJobs(1, 'throttled');
    await stack.jobs.enqueue(job!);
    // Watched until SES has refused it three times: what happened decides, not how long it took.
    const seen = new Set<string>();
    expect(
      await eventually(async () => {
        const now = await readJob(stack.db, stack.config, job!.jobId);
        if (now) seen.add(now.status);
        return stack.proxy!.throttled() >= 3;
      }, 300_000, 25),
    ).toBe(true);
    expect([...seen].filter((status) => status === 'sent' || status === 'failed')).toEqual([]);
    expect((await readJob(stack.db, stack.config, job!.jobId))?.attempts).toBeGreaterThanOrEqual(2);
    stack.proxy!.setRate(14);
    expect(await eventually(async () => (await readJob(stack.db, stack.config, job!.jobId))?.status === 'sent', 300_000)).toBe(true);
    expect([...(await deliveredCounts(stack.ses.endpoint)).values()]).toEqual([1]);
  });

  it('parks a job that fails every attempt, lists it, and sends it once when the operator retries it', async () => {
    const stack = await stackWith({ MAIL_MAX_ATTEMPTS: '3', MAIL_RETRY_BASE_MS: '50', MAIL_RETRY_MAX_MS: '100' }, { ratePerSecond: 0, quotaRate: 14 });
    const mailer = await startMailer(stack);
    stops.push(mailer.stop);
    const [job] = someJobs(1, 'parked');
    await stack.jobs.enqueue(job!);
    expect(await eventually(async () => (await readJob(stack.db, stack.config, job!.jobId))?.status === 'failed', 10_000)).toBe(true);
    expect(stack.proxy!.throttled()).toBe(3);
    expect(await stack.jobs.listFailed()).toEqual([expect.objectContaining({ jobId: job!.jobId, kind: 'confirm', attempts: 3, lastError: 'Throttling' })]);
    expect((await deliveredCounts(stack.ses.endpoint)).size).toBe(0);

    stack.proxy!.setRate(14);
    expect(await stack.jobs.retryFailed(job!.jobId, new Date())).toBe(true);
    expect(await eventually(async () => (await deliveredCounts(stack.ses.endpoint)).size === 1, 5000)).toBe(true);
    expect(await stack.jobs.listFailed()).toEqual([]);
  });

  it('sends each job once when a mailer is killed mid-batch, between SES accepting a message and recording it, and another starts', async () => {
    const stack = await stackWith({ MAIL_LEASE_SECONDS: '2' }, { ratePerSecond: 20 });
    const all = someJobs(80, 'killed');
    await enqueueAll(stack.jobs, all);
    const env = {
      ...process.env,
      TABLE_NAME: stack.config.TABLE_NAME,
      DYNAMODB_ENDPOINT: stack.config.DYNAMODB_ENDPOINT,
      SES_ENDPOINT: stack.config.SES_ENDPOINT,
      SIGNING_SECRET: stack.config.SIGNING_SECRET,
      ADMIN_TOKEN: stack.config.ADMIN_TOKEN,
      MAILER_INSTANCES: '1',
      MAIL_QUOTA_FROM_SES: 'true',
      MAIL_LEASE_SECONDS: '2',
    };
    const startChild = async (extra: Record<string, string>, preload: string[] = []): Promise<{ child: ChildProcess; lines: string[] }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((file) => ['--import', file]), 'tests/support/mailer-child.ts'], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      stops.push(async () => void child.kill('SIGKILL'));
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          if (lines.includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`mailer child exited with ${code}`)));
      });
      return { child, lines };
    };
    // The first mailer sends one message at a time and kills itself the instant SES has accepted its
    // 15th, before it records it: decided by what happened, not by when the test looks.
    const first = await startChild({ MAILER_CHILD_KILL_AFTER: '15', MAILER_CHILD_CONCURRENCY: '1' }, [throttlePreload]);
    await new Promise((resolve) => (first.child.exitCode === null && first.child.signalCode === null ? first.child.once('exit', resolve) : resolve(undefined)));
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(first.lines.filter((line) => line.startsWith('accepted '))).toHaveLength(15);
    expect((await deliveredCounts(stack.ses.endpoint)).size).toBe(15);

    await startChild({});
    // Done when every job is recorded sent: from then on no mailer can claim one again.
    expect(await allSent(stack.db, stack.config, all, 300_000, 200)).toBe(true);
    const counts = await deliveredCounts(stack.ses.endpoint);
    expect(all.map((job) => counts.get(`${job.personId}@example.org`))).toEqual(all.map(() => 1));
  });

  // How fast is the bench's to say (at 14/s it needs 8.6 s at least); here: each once, however long it takes.
  // The spike of 300 sign-ups through the whole service is tests/system/spike.test.ts.
  it('delivers a spike of 120 jobs, 60 written at once, exactly once against SES throttled at 14/s', async () => {
    const stack = await stackWith({}, { ratePerSecond: 14 });
    const mailer = await startMailer(stack);
    stops.push(mailer.stop);
    const all = someJobs(120, 'spike');
    const startedAt = Date.now();
    await enqueueAll(stack.jobs, all, 60);
    // Done when every job is recorded sent: from then on no mailer can claim one again.
    expect(await allSent(stack.db, stack.config, all, 600_000, 250)).toBe(true);
    const tookMs = Date.now() - startedAt;
    const counts = await deliveredCounts(stack.ses.endpoint);
    expect(all.map((job) => counts.get(`${job.personId}@example.org`))).toEqual(all.map(() => 1));
    console.log(`spike: 120 jobs delivered in ${(tookMs / 1000).toFixed(1)} s, ${stack.proxy!.throttled()} sends throttled by the proxy`);
  });
});
