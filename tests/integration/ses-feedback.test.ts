import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashAddress } from '../../functions/domain/token.js';
import { Feedback } from '../../functions/app/feedback.js';
import { createDynamoClient } from '../../functions/store/client.js';
import { FeedbackStore } from '../../functions/store/feedback-store.js';
import { captureLogLines } from '../support/stdout.js';
import { PersonStore } from '../../functions/store/person-store.js';
import { StatsStore } from '../../functions/store/stats-store.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestStack, inbox, linkIn, manualClock, post, signUp, subjectsTo, subscribeAndConfirm, tableSnapshot, testAddress, type TestStack } from '../support/stack.js';

const PLACEHOLDER = 'recipient@example.org';
type Fixture = 'ses-bounce-permanent' | 'ses-bounce-transient' | 'ses-complaint' | 'ses-delivery';

interface SnsTestEvent {
  Records: { Sns: { MessageId: string; Message: string } & Record<string, unknown> }[];
}

/** A fixture's SNS event about `address`, under a fresh SNS MessageId unless one is given. */
function snsEvent(name: Fixture, address: string, messageId: string = randomUUID()): SnsTestEvent {
  const text = readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8');
  const event = JSON.parse(text.replaceAll(PLACEHOLDER, address)) as SnsTestEvent;
  event.Records[0]!.Sns.MessageId = messageId;
  return event;
}

// Before the Meta deadline; the first reminder (14 days left) is due on 12 May in the morning, Berlin time.
const SIGNUP_AT = '2025-05-10T10:00:00Z';
const REMINDER_RUN_AT = '2025-05-12T07:30:00Z';

async function setUp(options: { softBounceLimit?: number; people?: (people: PersonStore) => PersonStore } = {}) {
  const time = manualClock(SIGNUP_AT);
  const stack = await createTestStack({ clock: time.clock });
  const db = createDynamoClient({ region: stack.config.AWS_REGION, endpoint: stack.config.DYNAMODB_ENDPOINT });
  const store = new FeedbackStore(db, stack.config.TABLE_NAME);
  const people = options.people ? options.people(stack.service.people) : stack.service.people;
  const feedback = new Feedback({ store, people, signingSecret: stack.config.SIGNING_SECRET, transientLimit: options.softBounceLimit ?? 3, clock: time.clock });
  const isSuppressed = async (email: string) =>
    (await stack.service.people.load(hashAddress(stack.config.SIGNING_SECRET, email.toLowerCase()), time.clock())).fingerprint?.status === 'suppressed';
  // The same handler on a client of its own, whose requests can be made to fail.
  const faultyDb = createDynamoClient({ region: stack.config.AWS_REGION, endpoint: stack.config.DYNAMODB_ENDPOINT });
  const faults = failAfterFirstWrite(faultyDb);
  const faulty = new Feedback({
    store: new FeedbackStore(faultyDb, stack.config.TABLE_NAME),
    people: new PersonStore({ db: faultyDb, tableName: stack.config.TABLE_NAME, shards: stack.config.DUE_SHARDS, stats: new StatsStore(faultyDb, stack.config.TABLE_NAME) }),
    signingSecret: stack.config.SIGNING_SECRET,
    transientLimit: options.softBounceLimit ?? 3,
    clock: time.clock,
    stats: new StatsStore(faultyDb, stack.config.TABLE_NAME),
  });
  return { time, stack, feedback, isSuppressed, faulty, faults };
}

const WRITE_COMMANDS = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;

/**
 * Once armed, makes every request of `db` after its first successful write fail, as DynamoDB
 * failing (or the Lambda dying: a timeout, a crash) right after a handler's first write leaves things.
 */
function failAfterFirstWrite(db: DynamoDBDocumentClient): { arm(): void; heal(): void; failed(): number } {
  let state: 'healthy' | 'armed' | 'failing' = 'healthy';
  let failed = 0;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (state === 'failing') {
        failed += 1;
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
      }
      const result = await next(args);
      if (state === 'armed' && WRITE_COMMANDS.test(context.commandName ?? '')) state = 'failing';
      return result;
    },
    { step: 'initialize', name: 'failAfterFirstWrite' },
  );
  return { arm: () => (state = 'armed'), heal: () => (state = 'healthy'), failed: () => failed };
}

const form = (email: string) => ({ email, platforms: ['facebook', 'instagram'], timezone: 'Europe/Berlin', consent: 'yes' });

const confirmedSubscriber = (stack: TestStack, email: string) => subscribeAndConfirm(stack, form(email));


/**
 * Checks that `silenced` gets no reminder and, after leaving, no confirmation of a new sign-up,
 * while `control`, treated the same but without feedback, gets both.
 */
async function expectNoMoreMail(setup: Awaited<ReturnType<typeof setUp>>, silenced: string, control: string) {
  const { stack, time } = setup;
  const before = { silenced: subjectsTo(stack, silenced), control: subjectsTo(stack, control) };

  time.set(REMINDER_RUN_AT);
  const run = await stack.service.countdown.run();
  expect(run.failed).toBe(0);
  await stack.deliverMail();
  expect(subjectsTo(stack, control)).toEqual([...before.control, expect.stringMatching(/^14 days left to object on /)]);
  expect(subjectsTo(stack, silenced)).toEqual(before.silenced);

  // Left, then signed up again: a suppressed address gets no confirmation mail.
  for (const email of [silenced, control]) {
    const welcome = (await inbox(email)).find((mail) => mail.subject.startsWith('Your guide'))!;
    expect((await post(stack.app, linkIn(welcome, 'unsubscribe'), { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect((await signUp(stack.app, form(email))).status).toBe(200);
  }
  await stack.deliverMail();
  expect(subjectsTo(stack, control).at(-1)).toMatch(/^Confirm/);
  expect(subjectsTo(stack, silenced)).toEqual(before.silenced);
}

/** Every item of the test's table, as stored. */
async function tableItems(stack: TestStack): Promise<Record<string, unknown>[]> {
  const db = createDynamoClient({ region: stack.config.AWS_REGION, endpoint: stack.config.DYNAMODB_ENDPOINT });
  const { Items } = await db.send(new ScanCommand({ TableName: stack.config.TABLE_NAME, ConsistentRead: true }));
  return Items ?? [];
}
const feedbackItems = async (stack: TestStack) =>
  (await tableItems(stack)).filter((item) => String(item.pk).startsWith('FEEDBACK#') || ['PERSON', 'SOFT_BOUNCES'].includes(String(item.sk)));

describe('SES feedback through SNS', () => {
  it('stops every email to an address after a permanent bounce: no reminder, no new confirmation', async () => {
    const setup = await setUp();
    const [bounced, control] = [testAddress('bounced'), testAddress('control')];
    await confirmedSubscriber(setup.stack, bounced);
    await confirmedSubscriber(setup.stack, control);

    const summary = await setup.feedback.handleSnsEvent(snsEvent('ses-bounce-permanent', bounced));
    expect(summary).toEqual({ records: 1, suppressed: 1, counted: 0, duplicates: 0, dropped: 0 });
    await expectNoMoreMail(setup, bounced, control);
  });

  it('stops every email to an address after a complaint, whatever the case SES reports it in', async () => {
    const setup = await setUp();
    const [complained, control] = [testAddress('complained'), testAddress('control')];
    await confirmedSubscriber(setup.stack, complained);
    await confirmedSubscriber(setup.stack, control);

    const summary = await setup.feedback.handleSnsEvent(snsEvent('ses-complaint', complained.toUpperCase()));
    expect(summary).toEqual({ records: 1, suppressed: 1, counted: 0, duplicates: 0, dropped: 0 });
    await expectNoMoreMail(setup, complained, control);
  });

  it('keeps only a keyed hash of the address, with the reason and date', async () => {
    const { stack, feedback } = await setUp();
    const email = testAddress('hash');
    await feedback.handleSnsEvent(snsEvent('ses-complaint', email));
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email));
    const items = await feedbackItems(stack);
    expect(items.map((item) => item.sk).sort()).toEqual(['PERSON', 'SOFT_BOUNCES']);
    expect(JSON.stringify(await tableItems(stack))).not.toContain('@');
    expect(items.find((item) => item.sk === 'PERSON')).toEqual({
      pk: `PERSON#${hashAddress(stack.config.SIGNING_SECRET, email)}`,
      sk: 'PERSON',
      id: hashAddress(stack.config.SIGNING_SECRET, email),
      status: 'suppressed',
      reason: 'complaint',
      changedAt: SIGNUP_AT.replace('Z', '.000Z'),
      version: 1,
    });
  });

  it('handles an SNS message once, however often SNS delivers it', async () => {
    const { feedback, isSuppressed } = await setUp({ softBounceLimit: 2 });
    const email = testAddress('retried');
    const event = snsEvent('ses-bounce-transient', email);
    expect(await feedback.handleSnsEvent(event)).toMatchObject({ counted: 1, duplicates: 0 });
    // Counted twice, this retry would reach the limit of two.
    expect(await feedback.handleSnsEvent(event)).toEqual({ records: 1, suppressed: 0, counted: 0, duplicates: 1, dropped: 0 });
    expect(await isSuppressed(email)).toBe(false);

    const permanent = snsEvent('ses-bounce-permanent', testAddress('retried-hard'));
    await feedback.handleSnsEvent(permanent);
    expect(await feedback.handleSnsEvent(permanent)).toEqual({ records: 1, suppressed: 0, counted: 0, duplicates: 1, dropped: 0 });
  });

  it('suppresses after the configured number of transient bounces, and not before', async () => {
    const { feedback, isSuppressed } = await setUp({ softBounceLimit: 3 });
    const email = testAddress('soft');
    for (let i = 1; i <= 2; i++) {
      expect(await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email))).toMatchObject({ counted: 1, suppressed: 0 });
      expect(await isSuppressed(email)).toBe(false);
    }
    expect(await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email))).toMatchObject({ counted: 1, suppressed: 1 });
    expect(await isSuppressed(email)).toBe(true);
  });

  it('counts transient bounces afresh once 30 days have passed since the first, even before TTL removes the count', async () => {
    const { feedback, isSuppressed, time } = await setUp({ softBounceLimit: 3 });
    const email = testAddress('soft-window');
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email));
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email));
    time.advance(31 * 86_400_000);
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email));
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email));
    expect(await isSuppressed(email)).toBe(false);
    await feedback.handleSnsEvent(snsEvent('ses-bounce-transient', email));
    expect(await isSuppressed(email)).toBe(true);
  });

  it('drops malformed records, logging no address, and still handles the good one in the batch', async () => {
    const { feedback, isSuppressed } = await setUp();
    const [good, unread] = [testAddress('good'), testAddress('unread')];
    const template = snsEvent('ses-complaint', unread).Records[0]!;
    const event = {
      Records: [
        { hello: 'world', email: unread },
        { ...template, Sns: { ...template.Sns, Message: `not json ${unread}` } },
        { ...template, Sns: { ...template.Sns, Message: JSON.stringify({ notificationType: 'Received', mail: { destination: [unread] } }) } },
        { ...template, Sns: { ...template.Sns, Type: 'SubscriptionConfirmation' } },
        snsEvent('ses-bounce-permanent', good).Records[0],
      ],
    };

    let summary: unknown;
    const lines = await captureLogLines(async () => {
      summary = await feedback.handleSnsEvent(event);
    });
    expect(summary).toEqual({ records: 5, suppressed: 1, counted: 0, duplicates: 0, dropped: 4 });
    expect(await isSuppressed(good)).toBe(true);
    expect(await isSuppressed(unread)).toBe(false);
    const dropped = lines.filter((line) => line.message === 'ses feedback record dropped');
    expect(dropped).toHaveLength(4);
    for (const line of dropped) expect(line).toMatchObject({ level: 'WARN' });
    for (const line of lines) expect(JSON.stringify(line)).not.toContain('@example.org');
  });

  it('drops an event that is not an SNS batch at all, without throwing', async () => {
    const { feedback } = await setUp();
    for (const event of [undefined, null, 'Records', { Records: 'nope' }]) {
      expect(await feedback.handleSnsEvent(event)).toEqual({ records: 1, suppressed: 0, counted: 0, duplicates: 0, dropped: 1 });
    }
    expect(await feedback.handleSnsEvent({ Records: [] })).toEqual({ records: 0, suppressed: 0, counted: 0, duplicates: 0, dropped: 0 });
  });

  it('changes nothing on a delivery, and writes nothing for it', async () => {
    const { stack, feedback, isSuppressed } = await setUp();
    const email = testAddress('delivered');
    expect(await feedback.handleSnsEvent(snsEvent('ses-delivery', email))).toEqual({ records: 1, suppressed: 0, counted: 0, duplicates: 0, dropped: 0 });
    expect(await isSuppressed(email)).toBe(false);
    expect(await feedbackItems(stack)).toEqual([]);
  });

  it('throws when a write fails, so that Lambda retries the event, and the retry is not taken for a duplicate', async () => {
    let failNext = true;
    const { feedback, isSuppressed } = await setUp({
      people: (real) =>
        Object.assign(Object.create(real) as PersonStore, {
          erase: async (...args: Parameters<PersonStore['erase']>) => {
            if (failNext) {
              failNext = false;
              throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' });
            }
            return real.erase(...args);
          },
        }),
    });
    const email = testAddress('throttled');
    const event = snsEvent('ses-bounce-permanent', email);
    await expect(feedback.handleSnsEvent(event)).rejects.toThrow(expect.objectContaining({ cause: expect.objectContaining({ name: 'ThrottlingException' }) }));
    expect(await isSuppressed(email)).toBe(false);
    expect(await feedback.handleSnsEvent(event)).toEqual({ records: 1, suppressed: 1, counted: 0, duplicates: 0, dropped: 0 });
    expect(await isSuppressed(email)).toBe(true);
  });

  it('suppresses a hard-bounced address on the redelivery of a message whose handling died after its first write', async () => {
    const { stack, faulty, faults, isSuppressed } = await setUp();
    const email = testAddress('died');
    await confirmedSubscriber(stack, email);
    const personId = hashAddress(stack.config.SIGNING_SECRET, email);
    const event = snsEvent('ses-bounce-permanent', email);

    faults.arm();
    await expect(faulty.handleSnsEvent(event)).rejects.toThrow();
    expect(faults.failed()).toBeGreaterThan(0);
    const theirsAfterFailure = (await tableSnapshot(stack)).split('\n').filter((item) => item.includes(personId));
    expect(theirsAfterFailure.length).toBeGreaterThan(1);
    faults.heal();
    // SNS delivers the message again: the address is suppressed and the rest of the person erased.
    await faulty.handleSnsEvent(event);
    expect(await isSuppressed(email)).toBe(true);
    const theirs = (await tableSnapshot(stack)).split('\n').filter((item) => item.includes(personId));
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toContain('"suppressed"');
    expect(theirs[0]).not.toContain(email);
  });

  it('counts a soft bounce once however often it is delivered, and suppresses on the redelivery of the one that reached the limit', async () => {
    const { faulty, faults, isSuppressed } = await setUp({ softBounceLimit: 2 });
    const email = testAddress('soft-died');
    const first = snsEvent('ses-bounce-transient', email);
    faults.arm();
    await faulty.handleSnsEvent(first).catch(() => undefined);
    faults.heal();
    // Redelivered twice: still one soft bounce, under the limit of two.
    await faulty.handleSnsEvent(first);
    expect(await faulty.handleSnsEvent(first)).toMatchObject({ counted: 0, suppressed: 0 });
    expect(await isSuppressed(email)).toBe(false);

    const second = snsEvent('ses-bounce-transient', email);
    faults.arm();
    await faulty.handleSnsEvent(second).catch(() => undefined);
    faults.heal();
    await faulty.handleSnsEvent(second);
    expect(await isSuppressed(email)).toBe(true);
  });
});
