import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as z from 'zod';
import { campaigns } from '../../functions/campaigns.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { countdownStartFor, stepsFor } from '../../functions/domain/schedule.js';
import { createSesClient, LocalSesTransport } from '../../functions/mail/send.js';
import { eachLimited, seedConfirmed } from '../support/seed.js';
import { throttleEvery } from '../support/ses-throttle.js';
import { createTestStack, manualClock, privateDynamo, privateSes } from '../support/stack.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const HOUR = 3_600_000;
const preload = fileURLToPath(new URL('../support/ses-throttle-preload.ts', import.meta.url));

const Store = z.object({ emails: z.array(z.object({ subject: z.string(), destination: z.object({ to: z.array(z.string()) }) })) });

/** The mail the emulator accepted since it started. */
async function accepted(endpoint: string) {
  return Store.parse(await (await fetch(`${endpoint}/store`)).json()).emails;
}

describe('send-due and the mailer under every fault at once', () => {
  it('delivers every due step exactly once to 2,000 subscribers across time zones, with overlapping runs, a mailer killed mid-batch and a fifth of SES calls throttled', async () => {
    const [ses, dynamo] = await Promise.all([privateSes(), privateDynamo()]);
    onTestFinished(() => Promise.all([ses.stop(), dynamo.stop()]).then(() => undefined));
    // Throttle at the SDK client, in this process and (through a preload) in the killed child.
    const client = createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint });
    const sesCalls = throttleEvery(client, 5);
    const time = manualClock('2025-05-17T00:00:00Z');
    const stack = await createTestStack({
      clock: time.clock,
      env: { SES_ENDPOINT: ses.endpoint, DYNAMODB_ENDPOINT: dynamo.endpoint, DUE_SHARDS: '8' },
      transport: () => new LocalSesTransport(client, ses.endpoint, { sleep: async () => undefined, attempts: 8 }),
    });

    const zones = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata'];
    const platforms: PlatformId[][] = [['facebook'], ['instagram', 'threads'], ['facebook', 'instagram', 'whatsapp', 'threads']];
    const people = Array.from({ length: 2000 }, (_, i) => ({
      email: `faults-${i}-${Date.now()}@example.org`,
      timeZone: zones[i % zones.length]!,
      platforms: platforms[i % platforms.length]!,
      confirmedAt: new Date(Date.parse('2025-05-17T00:00:00Z') + (i % 24) * HOUR),
      // Some are done with every platform and some have left before the window: they get nothing.
      done: i % 10 === 3,
      left: i % 20 === 7,
    }));
    await eachLimited(people, 16, async (person) => {
      const { person: seeded } = await seedConfirmed(stack, meta, person);
      if (person.left) await stack.service.people.erase(seeded.id, 'unsubscribed', person.confirmedAt);
      else if (person.done) {
        for (const platform of person.platforms) {
          const marked = await stack.service.people.setObjection({ personId: seeded.id, campaignId: meta.id, platform, doneAt: person.confirmedAt, nextDueAt: undefined, now: person.confirmedAt });
          if (!marked) throw new Error(`seed: ${platform} was not marked done`);
        }
      }
    });

    // The cron's window: every hour from the evening before the 7-day reminder until it has gone out everywhere.
    const from = Date.parse('2025-05-18T20:00:00Z');
    const to = Date.parse('2025-05-20T05:00:00Z');
    const sentAt = (dueAt: Date) => Math.ceil(dueAt.getTime() / HOUR) * HOUR;
    const expected = new Map(
      people.map((person) => [
        person.email,
        person.done || person.left
          ? []
          : stepsFor(meta, { timeZone: person.timeZone }).filter((step) => step.dueAt > countdownStartFor(person.confirmedAt) && sentAt(step.dueAt) <= to),
      ]),
    );
    const duePerHour = new Map<number, number>();
    for (const steps of expected.values()) for (const step of steps) duePerHour.set(sentAt(step.dueAt), (duePerHour.get(sentAt(step.dueAt)) ?? 0) + 1);
    const busyHours = [...duePerHour].filter(([, due]) => due >= 100);
    const [killHour, dueAtKill] = busyHours[Math.floor(Math.random() * busyHours.length)]!;

    // How the kill went, in full, so that a failure says why.
    let kill: Record<string, unknown> = { killed: false };
    for (let t = from; t <= to; t += HOUR) {
      time.set(new Date(t));
      let child: ReturnType<typeof spawn> | undefined;
      if (t === killHour) {
        // A mailer process of its own (the local mailer's code path) drains this hour beside the
        // test's, and is SIGKILLed at a random point.
        child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, 'tests/support/mailer-child.ts'], {
          env: {
            ...process.env,
            TABLE_NAME: stack.config.TABLE_NAME,
            DYNAMODB_ENDPOINT: stack.config.DYNAMODB_ENDPOINT,
            SES_ENDPOINT: ses.endpoint,
            SIGNING_SECRET: stack.config.SIGNING_SECRET,
            ADMIN_TOKEN: stack.config.ADMIN_TOKEN,
            PUBLIC_URL: stack.config.PUBLIC_URL,
            DUE_SHARDS: String(stack.config.DUE_SHARDS),
            // Its claims lapse 3 s after they are taken: time enough for the emulator to store a send in flight at the kill.
            MAIL_LEASE_SECONDS: '3',
            MAILER_INSTANCES: '1',
            MAIL_FALLBACK_SEND_RATE: stack.config.MAIL_FALLBACK_SEND_RATE.toString(),
            MAILER_CHILD_NOW: new Date(t).toISOString(),
          },
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        await new Promise<void>((resolve, reject) => {
          child!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
          child!.once('exit', () => reject(new Error('the mailer child exited before it was ready')));
        });
      }
      // Two runs at once, as an overlapping cron would: each due step becomes one mail job.
      const running = Promise.all([stack.service.countdown.run(), stack.service.countdown.run()]);
      if (child) {
        // Killed the instant SES has accepted its killAfter-th message, before the child records
        // it: the case a take-over must settle by asking the mail server.
        // Early in the hour's batch (at least 100 due): the test's own mailer, in the process that
        // writes the jobs, claims most of them, and the child may get only a few.
        const killAfter = 1 + Math.floor(Math.random() * 3);
        let childAccepted = 0;
        let callsAtKill = 0;
        let killed = false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 120_000);
          child!.stdout!.on('data', (chunk: Buffer) => {
            childAccepted += chunk.toString().split('accepted').length - 1;
            if (!killed && childAccepted >= killAfter) {
              killed = child!.kill('SIGKILL');
              callsAtKill = sesCalls();
              clearTimeout(timer);
              resolve();
            }
          });
          child!.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (child.signalCode === null && child.exitCode === null) child.kill('SIGKILL');
        await new Promise((resolve) => (child!.exitCode === null && child!.signalCode === null ? child!.once('exit', resolve) : resolve(undefined)));
        await running;
        await stack.deliverMail();
        // Mail was left at the kill when this process's mailer still had to send (or take over) some.
        kill = { killed, leftForTheOtherMailer: sesCalls() > callsAtKill, killAfter, childAccepted, dueAtKill };
      }
      const runs = await running;
      expect(runs.map((run) => run.failed)).toEqual([0, 0]);
      if (runs.some((run) => run.queued > 0) || child) await stack.deliverMail();
    }
    expect(kill).toMatchObject({ killed: true, leftForTheOtherMailer: true });
    expect(sesCalls()).toBeGreaterThan(0);

    const delivered = new Map<string, string[]>();
    for (const mail of await accepted(ses.endpoint)) {
      for (const address of mail.destination.to) delivered.set(address, [...(delivered.get(address) ?? []), mail.subject]);
    }
    const wrong = people
      .map((person) => ({ email: person.email, expected: expected.get(person.email)!.length, got: delivered.get(person.email) ?? [] }))
      .filter(({ expected: count, got }) => got.length !== count || new Set(got).size !== got.length);
    expect(wrong).toEqual([]);
    const total = [...expected.values()].reduce((sum, steps) => sum + steps.length, 0);
    expect(total).toBeGreaterThan(1500);
    expect([...delivered.keys()].filter((address) => !expected.has(address))).toEqual([]);
    expect([...delivered.values()].flat()).toHaveLength(total);
  }, 900_000);
});
