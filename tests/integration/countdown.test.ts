import { describe, expect, it, onTestFinished } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { eachLimited, seedConfirmed } from '../support/seed.js';
import { injectTransactionConflicts } from '../support/transaction-conflicts.js';
import { createTestStack, inbox, linkIn, manualClock, post, privateSes, signUp, subjectsTo, testAddress, type TestStack } from '../support/stack.js';
import { HOUR, runCron } from '../support/cron.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;



describe('the countdown journey through the public contract', () => {
  it('goes sign-up → confirm → mornings → objected on one → fewer guides → objected on all → silence', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('journey');
    await signUp(stack.app, { email, platforms: ['facebook', 'instagram', 'whatsapp'], timezone: 'Europe/Berlin', consent: 'yes' });
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const welcome = (await inbox(email))[1]!;

    await runCron(stack, time, { from: '2025-05-12T06:00:00Z', to: '2025-05-12T08:00:00Z' });
    const first = (await inbox(email))[2]!;
    expect(first.subject).toMatch(/^14 days left to object on Facebook/);
    expect(first.body.text).toContain("I've objected on Instagram");
    expect(first.body.text).toMatch(/WhatsApp as done/);
    expect(stack.transport.messages.find((m) => m.subject.startsWith('14 days'))?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    await post(stack.app, linkIn(welcome, 'objected', 0), { sent: 'yes' }); // Facebook done
    await runCron(stack, time, { from: '2025-05-19T06:00:00Z', to: '2025-05-19T08:00:00Z' });
    const second = (await inbox(email))[3]!;
    expect(second.subject).toMatch(/^7 days left to object on Instagram/);
    expect(second.body.text).not.toContain("I've objected on Facebook");
    expect(second.body.text).toContain('Facebook');

    await post(stack.app, linkIn(welcome, 'objected', 1), { sent: 'yes' });
    const done = await post(stack.app, linkIn(welcome, 'objected', 2), { sent: 'yes' });
    expect(await done.text()).toContain('Well done');
    await runCron(stack, time, { from: '2025-05-19T09:00:00Z', to: '2025-05-28T09:00:00Z', stepMs: 3 * HOUR });
    expect(await inbox(email)).toHaveLength(4);
  });

  it('sends the last-day morning, one morning after the deadline and the standing one 10 days after joining to those not done, then nothing', async () => {
    const time = manualClock('2025-05-24T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('late');
    await seedConfirmed(stack, { email, timeZone: 'Europe/Berlin', platforms: ['threads'], confirmedAt: time.clock() });
    await runCron(stack, time, { from: '2025-05-24T11:00:00Z', to: '2025-06-10T11:00:00Z' });
    const subjects = subjectsTo(stack, email);
    expect(subjects).toHaveLength(4);
    expect(subjects[0]).toMatch(/^1 day left to object on Threads/);
    expect(subjects[1]).toMatch(/^Last day to object on Threads/);
    // The deadline passed: Threads' action is the standing form, with its morning 10 days after joining.
    expect(subjects[3]).toBe('Still to do: Threads');
    const after = (await inbox(email))[2]!;
    expect(after.body.text?.replace(/\s+/g, ' ')).toContain('still keeps what you share from then on');
    expect(after.body.text).not.toMatch(/days? left|Last day/);
  });
});

describe('send-due when a send fails or time runs out', () => {
  async function seededStack(count: number, env: Record<string, string> = {}, transport?: NonNullable<Parameters<typeof createTestStack>[0]>['transport']) {
    const time = manualClock('2025-05-18T12:00:00Z');
    const ses = await privateSes();
    onTestFinished(() => ses.stop());
    const stack = await createTestStack({ clock: time.clock, env: { SES_ENDPOINT: ses.endpoint, ...env }, ...(transport ? { transport } : {}) });
    const emails = Array.from({ length: count }, (_, i) => `fault-${i}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.org`);
    await eachLimited(emails, 16, async (email, i) => {
      await seedConfirmed(stack, { email, timeZone: i % 2 ? 'Europe/Berlin' : 'Europe/London', platforms: ['facebook'], confirmedAt: time.clock() });
    });
    time.set('2025-05-19T08:30:00Z'); // the 7-day morning is due for everyone
    return { stack, time, emails };
  }

  const perAddress = (stack: TestStack) => {
    const counts = new Map<string, number>();
    for (const m of stack.transport.messages) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    return counts;
  };

  it('enqueues every morning even while SES fails: the mailer retries them and sends each once', async () => {
    // SES throttles the first 30 sends; the run never calls SES, so it neither waits nor fails for them.
    let failures = 30;
    const { stack, emails } = await seededStack(20, {}, (real) => ({
      sendRaw: async (raw) => {
        if (failures-- > 0) throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
        return real.sendRaw(raw);
      },
    }));
    const run = await stack.service.countdown.run();
    expect(run).toMatchObject({ due: 20, queued: 20, failed: 0 });
    expect(stack.transport.messages).toEqual([]);
    await stack.deliverMail();
    expect(failures).toBeLessThan(0);
    expect(emails.every((e) => perAddress(stack).get(e) === 1)).toBe(true);
    // A second run finds nothing due: the mornings moved on with their jobs.
    expect(await stack.service.countdown.run()).toMatchObject({ due: 0, queued: 0 });
  });

  it('loses and duplicates nothing when two runs race and their transactions conflict', async () => {
    const { stack, emails } = await seededStack(20);
    // Every third morning's transaction of the runs races another's.
    const transactions = injectTransactionConflicts(stack.service.db, 3, ['None', 'TransactionConflict']);
    const runs = await Promise.all([stack.service.countdown.run(), stack.service.countdown.run()]);
    expect(transactions()).toBeGreaterThan(20);
    expect(runs.map((run) => run.failed)).toEqual([0, 0]);
    expect(runs[0]!.queued + runs[1]!.queued).toBe(20);
    await stack.deliverMail();
    expect(emails.map((e) => perAddress(stack).get(e))).toEqual(emails.map(() => 1));
  });

  it('stops at its time budget and the next run continues where it stopped', async () => {
    const { stack, emails } = await seededStack(60);
    let ticks = 0;
    const realClock = () => new Date(Date.UTC(2030, 0, 1) + 1000 * ticks++);
    const first = await stack.service.countdown.run({ budgetMs: 20_000, realClock, concurrency: 1, parallelShards: 1 });
    expect(first.stoppedEarly).toBe(true);
    expect(first.queued).toBeGreaterThan(0);
    expect(first.queued).toBeLessThan(60);
    const second = await stack.service.countdown.run();
    expect(first.queued + second.queued).toBe(60);
    await stack.deliverMail();
    expect(emails.every((e) => perAddress(stack).get(e) === 1)).toBe(true);
  });
});

describe('who gets no morning email', () => {
  it('skips the unconfirmed, the unsubscribed and the erased, and takes them out of the due index', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const pending = testAddress('pending');
    await signUp(stack.app, { email: pending, platforms: 'facebook', consent: 'yes' });
    const leaving = testAddress('leaving');
    await signUp(stack.app, { email: leaving, platforms: 'facebook', consent: 'yes' });
    await post(stack.app, linkIn((await inbox(leaving))[0]!, 'confirm'), { confirm: 'yes' });
    const welcome = (await inbox(leaving))[1]!;
    await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' });
    const staying = testAddress('staying');
    await signUp(stack.app, { email: staying, platforms: 'facebook', consent: 'yes' });
    await post(stack.app, linkIn((await inbox(staying))[0]!, 'confirm'), { confirm: 'yes' });

    await runCron(stack, time, { from: '2025-05-12T06:00:00Z', to: '2025-05-12T09:00:00Z' });
    expect(subjectsTo(stack, pending)).toEqual(['Confirm your guide for Facebook']);
    expect(subjectsTo(stack, leaving)).toHaveLength(2);
    expect(subjectsTo(stack, staying).at(-1)).toMatch(/^14 days left to object on Facebook/);
  });
});

describe('a fresh confirmation', () => {
  it('gets no morning email within 12 hours of the guide, which said the same', async () => {
    const time = manualClock('2025-05-12T02:00:00Z'); // 22:00 the evening before in New York
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('fresh');
    await signUp(stack.app, { email, platforms: 'facebook', timezone: 'America/New_York', consent: 'yes' });
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    await runCron(stack, time, { from: '2025-05-12T03:00:00Z', to: '2025-05-19T16:00:00Z', stepMs: 3 * HOUR });
    const subjects = subjectsTo(stack, email);
    expect(subjects.slice(0, 2)).toEqual(['Confirm your guide for Facebook', 'Your guide for Facebook']);
    expect(subjects.slice(2)).toHaveLength(1);
    expect(subjects[2]).toMatch(/^7 days left to object on Facebook/);
  });
});

describe('an undone objection', () => {
  it('puts a platform of a person who had finished back on their mornings', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('undo');
    await signUp(stack.app, { email, platforms: 'instagram', timezone: 'Europe/Berlin', consent: 'yes' });
    await post(stack.app, linkIn((await inbox(email))[0]!, 'confirm'), { confirm: 'yes' });
    const objected = linkIn((await inbox(email))[1]!, 'objected');
    await post(stack.app, objected, { sent: 'yes' });
    await runCron(stack, time, { from: '2025-05-12T06:00:00Z', to: '2025-05-12T09:00:00Z' });
    await post(stack.app, objected, { undo: '1' });
    await runCron(stack, time, { from: '2025-05-19T06:00:00Z', to: '2025-05-19T09:00:00Z' });
    const later = subjectsTo(stack, email).slice(2);
    expect(later).toHaveLength(1);
    expect(later[0]).toMatch(/^7 days left to object on Instagram/);
  });
});

describe('a moved deadline', () => {
  it('re-times pending mornings: nothing keyed to the old date goes out', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    const email = testAddress('moved');
    await seedConfirmed(stack, { email, timeZone: 'Europe/Berlin', platforms: ['facebook'], confirmedAt: time.clock() });
    time.set('2025-05-11T10:00:00Z');
    expect((await stack.service.countdown.run()).queued).toBe(0);

    // The operator moves the deadline a week later: the same table, a new campaign definition.
    const moved = Campaign.parse({ ...meta, deadline: { local: '2025-06-03T00:00', timeZone: 'Europe/Berlin' } });
    const service = stack.redeploy([moved]);
    time.set('2025-05-12T07:30:00Z'); // the old 14-day morning
    const first = await service.countdown.run();
    expect(first.retimed).toBe(1);
    expect(first.queued).toBe(0);
    time.set('2025-05-19T07:30:00Z'); // the new 14-day morning
    expect((await service.countdown.run()).queued).toBe(1);
    await stack.deliverMail();
    const subjects = subjectsTo(stack, email);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]).toMatch(/^14 days left to object on Facebook/);
  });

  it('re-times everyone a few pages per run from a saved cursor, while mornings due meanwhile go out on time', async () => {
    const time = manualClock('2025-05-10T10:00:00Z');
    // Two deadlines: Meta's for Facebook, a copy for X that moves. The stayer uses Facebook only.
    const copy = Campaign.parse({ ...meta, id: 'x-deadline-2025', platforms: ['x'] });
    const stack = await createTestStack({ clock: time.clock, campaigns: [meta, copy] });
    const stayer = testAddress('stayer');
    await seedConfirmed(stack, { email: stayer, timeZone: 'Europe/Berlin', platforms: ['facebook'], confirmedAt: time.clock() });
    const movers = Array.from({ length: 40 }, (_, i) => testAddress(`mover${i}`));
    await eachLimited(movers, 16, async (email) => void (await seedConfirmed(stack, { email, timeZone: 'Europe/Berlin', platforms: ['x'], confirmedAt: time.clock() })));
    time.set('2025-05-11T10:00:00Z');
    expect((await stack.service.countdown.run()).retimingLeft).toBe(0);

    const moved = Campaign.parse({ ...copy, deadline: { local: '2025-06-03T00:00', timeZone: 'Europe/Berlin' } });
    const service = stack.redeploy([meta, moved]);
    // Real time moves a second per look at it: re-timing may take 3 s of each run, two pages.
    let ticks = 0;
    const realClock = () => new Date(Date.UTC(2030, 0, 1) + 1000 * ticks++);
    const options = { budgetMs: 1000_000, retimeShare: 3 / 1000, realClock };
    time.set('2025-05-12T07:30:00Z'); // the old 14-day morning of both
    const first = await service.countdown.run(options);
    expect(first.retimingLeft).toBe(1);
    expect(first.retimed).toBeLessThan(movers.length);
    expect(first.queued).toBe(1);
    await stack.deliverMail();
    expect(subjectsTo(stack, stayer)[0]).toMatch(/^14 days left to object on Facebook/);
    expect(movers.flatMap((email) => subjectsTo(stack, email))).toEqual([]);

    // Each run goes on where the last stopped: every mover is re-timed once, in all.
    let retimed = first.retimed;
    let runs = 1;
    for (let left = first.retimingLeft; left > 0; runs++) {
      const next = await service.countdown.run(options);
      retimed += next.retimed;
      left = next.retimingLeft;
    }
    expect(runs).toBe(stack.config.DUE_SHARDS / 2);
    expect(retimed).toBe(movers.length);
    expect((await service.countdown.run(options)).retimed).toBe(0);

    time.set('2025-05-19T07:30:00Z'); // the new 14-day morning, and Meta's 7-day one
    expect((await service.countdown.run()).queued).toBe(movers.length + 1);
    await stack.deliverMail();
    expect(subjectsTo(stack, stayer).at(-1)).toMatch(/^7 days left to object on Facebook/);
    expect(movers.map((email) => subjectsTo(stack, email).join())).toEqual(movers.map(() => '14 days left to opt out on X'));
  });
});

describe('the cost of a run with nothing due', () => {
  it('is one query per shard and one read per campaign, however many people wait', async () => {
    const time = manualClock('2025-05-01T10:00:00Z');
    const stack = await createTestStack({ clock: time.clock });
    await stack.service.countdown.run(); // times the index for the campaign once
    const empty = await stack.service.countdown.run();
    await eachLimited(Array.from({ length: 100 }, (_, i) => i), 16, async (i) => {
      await seedConfirmed(stack, { email: `idle-${i}@example.org`, timeZone: 'Europe/Berlin', platforms: ['facebook'], confirmedAt: time.clock() });
    });
    const busy = await stack.service.countdown.run();
    expect(busy.due).toBe(0);
    expect(busy.dynamo.requests).toBe(empty.dynamo.requests);
    expect(busy.dynamo.requests).toBe(stack.config.DUE_SHARDS + campaigns.length);
  });
});
