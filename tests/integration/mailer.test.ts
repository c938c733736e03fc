import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createMailPipeline } from '../../functions/app/mail-pipeline.js';
import { createMailerTable, enqueueAll, eventually, mailerConfig, readJob, someJobs, startMailer, testComposer } from '../support/mailer.js';
import { startSesThrottleProxy } from '../support/ses-throttle.js';
import { privateSes } from '../support/stack.js';

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

async function stackWith(env: Record<string, string> = {}) {
  const ses = await privateSes();
  stops.push(ses.stop);
  const config = mailerConfig({ SES_ENDPOINT: ses.endpoint, ...env });
  await createMailerTable(config);
  // A pipeline of the test's own, to write and read jobs: the mailer under test runs apart.
  const tools = createMailPipeline(config, { composer: testComposer });
  stops.push(async () => tools.db.destroy());
  return { config, ses, jobs: tools.jobs, db: tools.db };
}

describe('mailer', () => {
  it('sends a job written to the table once, within about a second', async () => {
    const stack = await stackWith();
    const mailer = await startMailer(stack);
    stops.push(mailer.stop);
    const [job] = someJobs(1);
    const writtenAt = Date.now();
    await stack.jobs.enqueue(job!);
    const arrived = await eventually(async () => (await deliveredCounts(stack.ses.endpoint)).size > 0, 5000, 20);
    const tookMs = Date.now() - writtenAt;
    expect(arrived).toBe(true);
    expect(tookMs).toBeLessThan(1500);
    expect(await eventually(async () => (await readJob(stack.db, stack.config, job!.jobId))?.status === 'sent', 3000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...(await deliveredCounts(stack.ses.endpoint)).entries()]).toEqual([[`${job!.personId}@example.org`, 1]]);
  });
});
