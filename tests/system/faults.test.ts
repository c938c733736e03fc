import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import * as z from 'zod';
import { createMailTransport } from '../../functions/app/mail-pipeline.js';
import { campaigns } from '../../functions/campaigns.js';
import { jobIdFromTag } from '../../functions/domain/mail-job.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { morningsFor, type Morning } from '../../functions/domain/schedule.js';
import { createSesClient } from '../../functions/mail/send.js';
import { platforms as catalog } from '../../functions/platforms.js';
import { MailJobs } from '../../functions/store/mail-jobs.js';
import { readJob } from '../support/mailer.js';
import { eachLimited, seedConfirmed, seedDone } from '../support/seed.js';
import { throttleEvery } from '../support/ses-throttle.js';
import { createTestStack, manualClock, privateSes } from '../support/stack.js';

const HOUR = 3_600_000;
const mailerChild = fileURLToPath(new URL('../support/mailer-child.ts', import.meta.url));
const preload = fileURLToPath(new URL('../support/ses-throttle-preload.ts', import.meta.url));

const Store = z.object({ emails: z.array(z.object({ subject: z.string(), destination: z.object({ to: z.array(z.string()) }) })) });

/** The mail the emulator accepted since it started. */
async function accepted(endpoint: string) {
  return Store.parse(await (await fetch(`${endpoint}/store`)).json()).emails;
}

/** The hour of the cron run that sends a morning: the first whole hour at or after it is due. */
const sentAt = (morning: Morning) => Math.ceil(morning.dueAt.getTime() / HOUR) * HOUR;

/** The words a morning's subject starts with, as a reader sees them: the countdown of its deadline, or what is still to do. */
function subjectStart(morning: Morning): string {
  // A platform with nothing to object with (WhatsApp: a limit) counts down in the email, not in its subject.
  const countdown = morning.reasons.find((reason) => reason.kind === 'countdown' && catalog.find((p) => p.id === reason.platform)?.action !== 'limit');
  if (countdown?.kind !== 'countdown') return 'Still to do: ';
  const { offsetDays: days } = countdown;
  return `${days === 0 ? 'Last day' : days === 1 ? '1 day left' : `${days} days left`} to object on `;
}

/** What becomes of a person: nothing, every platform done or erased before the window or midway, or Instagram alone done. */
type Fate = 'stays' | 'done' | 'erased' | 'instagram-done' | 'done-midway' | 'erased-midway';
const fateOf = (i: number): Fate => (['stays', 'erased-midway', 'stays', 'done', 'stays', 'instagram-done', 'stays', 'erased', 'done-midway', 'stays'] as const)[i % 10]!;

describe('the countdown and the mailer under every fault at once', () => {
  it('sends every due morning exactly once to 330 people across time zones, with overlapping runs, a mailer killed after an accepted message and a fifth of SES sends throttled', async () => {
    // The mailer warns of every throttled send; those are expected here, anything else is shown.
    const warn = console.warn.bind(console);
    const warnings = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!(typeof args[0] === 'string' && args[0].includes('"msg":"mail job send failed"') && args[0].includes('"error":"Throttling"'))) warn(...args);
    });
    onTestFinished(() => warnings.mockRestore());
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    // Throttled at the SDK client, as in the child (through its preload); one SES attempt per send
    // as in production, so a throttled send is the job's retry with backoff.
    const client = createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint });
    const throttle = throttleEvery(client, 5);
    const time = manualClock('2025-05-23T17:00:00Z');
    const stack = await createTestStack({
      clock: time.clock,
      env: { SES_ENDPOINT: ses.endpoint, DUE_SHARDS: '8' },
      transport: () => createMailTransport({ SES_ENDPOINT: ses.endpoint }, client),
      // The killed mailer below reads the table's stream.
      stream: true,
    });

    // A deployed table knows its campaigns' schedules: a first run on the empty table records them,
    // so that the runs under test do not re-time every person for each campaign first.
    await stack.service.countdown.run();

    // From the evening before the 1-day mornings until the first morning after Meta's deadline has gone out everywhere.
    const from = Date.parse('2025-05-24T18:00:00Z');
    const to = Date.parse('2025-05-27T17:00:00Z');
    // After the 1-day morning in the east and Europe, before it in the Americas.
    const midway = Date.parse('2025-05-25T12:00:00Z');
    // Seven zones, most people in Europe (Meta's deadline is the EU's): eleven entries, coprime to
    // the three lists and ten fates below, so that 330 people meet every combination of the three.
    const zones = ['Europe/Berlin', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Europe/Berlin', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata'];
    const lists: PlatformId[][] = [['facebook'], ['instagram', 'threads'], ['facebook', 'instagram', 'whatsapp', 'threads']];
    const run = Date.now();
    const people = Array.from({ length: 330 }, (_, i) => ({
      email: `faults-${i}-${run}@example.org`,
      timeZone: zones[i % zones.length]!,
      platforms: lists[i % lists.length]!,
      // Over a day, some too late for their zone's 1-day morning: the welcome said it.
      confirmedAt: new Date(Date.parse('2025-05-23T17:00:00Z') + (i % 24) * HOUR),
      fate: fateOf(i),
      id: '',
    }));
    await eachLimited(people, 16, async (person) => {
      const { person: seeded } = await seedConfirmed(stack, person);
      person.id = seeded.id;
      if (person.fate === 'erased') await stack.service.people.erase(seeded.id, 'unsubscribed', person.confirmedAt);
      if (person.fate === 'done') await seedDone(stack, seeded.id, person.platforms, person.confirmedAt);
      if (person.fate === 'instagram-done' && person.platforms.includes('instagram')) await seedDone(stack, seeded.id, ['instagram'], person.confirmedAt);
    });
    const byId = new Map(people.map((person) => [person.id, person]));

    // What each person is owed, from the schedule: their mornings in the window, on the platforms left.
    const expected = new Map(
      people.map((person) => {
        if (person.fate === 'done' || person.fate === 'erased') return [person.email, []];
        const left = person.platforms.filter((id) => !(person.fate === 'instagram-done' && id === 'instagram'));
        const mornings = morningsFor({ timeZone: person.timeZone, platforms: left.map((id) => ({ id, addedAt: person.confirmedAt })) }, catalog, campaigns);
        // The window starts before anyone's first morning: none is owed from before it.
        expect(mornings.filter((m) => sentAt(m) < from)).toEqual([]);
        const until = person.fate === 'done-midway' || person.fate === 'erased-midway' ? midway - HOUR : to;
        return [person.email, mornings.filter((m) => sentAt(m) <= until)];
      }),
    );
    const duePerHour = new Map<number, number>();
    for (const mornings of expected.values()) for (const m of mornings) duePerHour.set(sentAt(m), (duePerHour.get(sentAt(m)) ?? 0) + 1);
    // The first hour with mail due, a busy one (Berlin's 1-day morning): no mailer has sent anything
    // yet, so the child drains it alone, and dies with most of the hour's jobs still to send.
    const killHour = Math.min(...duePerHour.keys());
    expect(duePerHour.get(killHour)).toBeGreaterThanOrEqual(50);

    // What the kill left, so that a failure says which jobs it was about.
    let kill: Record<string, unknown> = { happened: false };
    for (let t = from; t <= to; t += HOUR) {
      time.set(new Date(t));
      if (t === midway) {
        await eachLimited(people, 16, async (person) => {
          if (person.fate === 'erased-midway') await stack.service.people.erase(person.id, 'unsubscribed', time.clock());
          if (person.fate === 'done-midway') await seedDone(stack, person.id, person.platforms, time.clock());
        });
      }
      // Two runs at once, as an overlapping cron would: each due morning becomes one mail job.
      const runs = await Promise.all([stack.service.countdown.run(), stack.service.countdown.run()]);
      const at = new Date(t).toISOString();
      expect(runs.map((r) => r.failed), at).toEqual([0, 0]);
      expect(runs[0]!.queued + runs[1]!.queued, at).toBe(duePerHour.get(t) ?? 0);
      if (t === killHour) kill = await killMailerAfterFiveAccepted(new Date(t));
      if (runs[0]!.queued + runs[1]!.queued > 0) await stack.deliverMail();
    }

    /**
     * A mailer process of its own (the local mailer's code path), sending one message at a time,
     * drains the hour's jobs alone and kills itself the instant SES accepts its 5th message, before
     * it records it: the 5th send is throttled (a fifth are), so that is its 6th send. Then the
     * test's mailer starts, takes the killed claim over once its lease ends, and sends the rest.
     */
    async function killMailerAfterFiveAccepted(now: Date) {
      expect(await accepted(ses.endpoint)).toEqual([]);
      const child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, mailerChild], {
        env: {
          ...process.env,
          TABLE_NAME: stack.config.TABLE_NAME,
          DYNAMODB_ENDPOINT: stack.config.DYNAMODB_ENDPOINT,
          SES_ENDPOINT: ses.endpoint,
          SIGNING_SECRET: stack.config.SIGNING_SECRET,
          ADMIN_TOKEN: stack.config.ADMIN_TOKEN,
          PUBLIC_URL: stack.config.PUBLIC_URL,
          DUE_SHARDS: String(stack.config.DUE_SHARDS),
          MAILER_INSTANCES: '1',
          MAIL_FALLBACK_SEND_RATE: stack.config.MAIL_FALLBACK_SEND_RATE.toString(),
          // The claim it dies with is the test's mailer's to take over 2 s after it was taken.
          MAIL_LEASE_SECONDS: '2',
          MAILER_CHILD_NOW: now.toISOString(),
          MAILER_CHILD_CONCURRENCY: '1',
          MAILER_CHILD_KILL_AFTER: '5',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      onTestFinished(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Its end decides when to go on: 'close' comes once it exited and its output is read.
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('close', (_code, s) => resolve(s)));
      const sends = stdout
        .split('\n')
        .filter((line) => /^(accepted|throttled) /.test(line))
        .map((line) => {
          const [what, tag] = line.split(' ');
          const jobId = jobIdFromTag(tag ?? '') ?? '';
          return { what, jobId, email: byId.get(jobId.split('#')[1] ?? '')?.email };
        });
      expect({ signal, sends: sends.map((s) => s.what) }, stderr).toEqual({
        signal: 'SIGKILL',
        sends: ['accepted', 'accepted', 'accepted', 'accepted', 'throttled', 'accepted'],
      });
      // What SES holds now is exactly what the child was told it accepted.
      const acceptedByChild = sends.filter((s) => s.what === 'accepted').map((s) => s.email);
      expect((await accepted(ses.endpoint)).flatMap((mail) => mail.destination.to).sort()).toEqual([...acceptedByChild].sort());
      const held = sends.at(-1)!;
      const throttled = sends[4]!;
      expect(await readJob(stack.service.db, stack.config, held.jobId)).toMatchObject({ status: 'sending', attempts: 0 });
      expect(await readJob(stack.service.db, stack.config, throttled.jobId)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'Throttling' });

      await stack.deliverMail();
      const heldJob = await readJob(stack.service.db, stack.config, held.jobId);
      // Sent, with no message id of its own: the take-over found it accepted and sent nothing.
      expect(heldJob).toMatchObject({ status: 'sent' });
      expect(heldJob?.sesMessageId).toBeUndefined();
      // The child's throttled job went out on its retry, from the test's mailer (whose own throttle
      // may refuse it once more: it does not know the child's).
      expect(await readJob(stack.service.db, stack.config, throttled.jobId)).toMatchObject({ status: 'sent', lastError: 'Throttling', sesMessageId: expect.any(String) });
      const toHeld = (await accepted(ses.endpoint)).filter((mail) => mail.destination.to.includes(held.email ?? ''));
      expect(toHeld).toHaveLength(1);
      return { happened: true, held: held.jobId, throttled: throttled.jobId };
    }

    expect(kill).toMatchObject({ happened: true });
    // Throttled sends happened in this process too, and every job still went out: none was parked.
    // Every fifth send, less those that fell on a retry (one each at most): over a ninth of the messages.
    const total = [...expected.values()].reduce((sum, mornings) => sum + mornings.length, 0);
    expect(throttle.throttled()).toBeGreaterThan(total / 10);
    expect(await new MailJobs(stack.service.db, stack.config.TABLE_NAME).listFailed()).toEqual([]);

    const delivered = new Map<string, string[]>();
    for (const mail of await accepted(ses.endpoint)) {
      for (const address of mail.destination.to) delivered.set(address, [...(delivered.get(address) ?? []), mail.subject]);
    }
    // One email a morning, each saying that morning's countdown, none naming a platform marked done.
    const wrong = people
      .map((person) => {
        const owed = expected.get(person.email)!;
        const got = delivered.get(person.email) ?? [];
        const right =
          got.length === owed.length &&
          got.every((subject, n) => subject.startsWith(subjectStart(owed[n]!))) &&
          !(person.fate === 'instagram-done' && got.some((subject) => subject.includes('Instagram')));
        return right ? undefined : { email: person.email, fate: person.fate, owed: owed.map((m) => `${m.id} ${subjectStart(m)}…`), got };
      })
      .filter((entry) => entry !== undefined);
    expect(wrong).toEqual([]);
    expect([...delivered.keys()].filter((address) => !expected.has(address))).toEqual([]);
    expect([...delivered.values()].flat()).toHaveLength(total);
    // Several mornings each, in seven zones: the 1-day one, the last day where it comes before the deadline, the first one after it.
    expect(total).toBeGreaterThan(people.length);
    expect(new Set([...expected.values()].flat().map(subjectStart))).toEqual(new Set(['1 day left to object on ', 'Last day to object on ', 'Still to do: ']));
  }, 600_000);
});
