import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Mailer, type DeliveryOutcome } from '../../functions/app/mailer.js';
import { createMailPipeline } from '../../functions/app/mail-pipeline.js';
import { mailComposerOf } from '../../functions/app/mail-composer.js';
import { mailJobId, newMailJob } from '../../functions/domain/mail-job.js';
import { parseIssueSource, type NewsletterIssue } from '../../functions/domain/newsletter.js';
import type { Person } from '../../functions/domain/person.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { hashAddress } from '../../functions/domain/token.js';
import { callName, injectDynamoFaults, type DynamoCall, type DynamoFault, type DynamoFaults } from '../support/dynamo-faults.js';
import { seedConfirmed, seedPending } from '../support/seed.js';
import { createTestStack, manualClock, post, signUp, testAddress, type TestStack } from '../support/stack.js';

// Issue 20, item 9: every use case that writes survives a failure at each of its DynamoDB calls in
// turn. For each one a clean run first pins its calls (a changed sequence fails that test and
// names the calls); then, for every k, the k-th call fails with each fault that applies to it, the
// caller retries as it would, and the invariants are checked: nothing lost, nothing sent twice,
// the counters equal to the stored state, the person's pages true.

type Lab = { stack: TestStack; time: ReturnType<typeof manualClock>; faults: DynamoFaults };

/** What the caller of a use case saw: done, or a failure it retries (with what it was told). */
type Seen = { ok: true } | { ok: false; said: string };

/** A person's data as "download my data" hands it out (the fields the checks read). */
const DataExport = z.object({
  person: z.object({
    status: z.string(),
    platforms: z.array(z.object({ id: z.string(), state: z.string(), doneAt: z.string().optional() })),
  }),
  mornings: z.object({ handledUntil: z.string().optional(), nextAt: z.string().optional() }),
  emails: z.array(z.object({ kind: z.string(), status: z.string() })),
});
type DataExport = z.infer<typeof DataExport>;

const Counters = z.object({
  people: z.object({
    totals: z.object({
      forms: z.number(),
      signups: z.number(),
      confirmations: z.number(),
      unsubscribes: z.number(),
      erasures: z.number(),
      suppressions: z.number(),
      sentByKind: z.record(z.string(), z.number()),
    }),
  }),
  platforms: z.object({ totals: z.record(z.string(), z.record(z.string(), z.number())) }),
  feedback: z.object({ totals: z.object({ bounces: z.number(), softBounces: z.number(), complaints: z.number() }) }),
});

/** Every counter of /admin/stats by its stored name (`forms`, `sent_welcome`, `done_facebook`, `bounces`, ...). */
async function counters(stack: TestStack): Promise<Record<string, number>> {
  const response = await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${stack.config.ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  const { people, platforms, feedback } = Counters.parse(await response.json());
  const { sentByKind, ...totals } = people.totals;
  return {
    ...totals,
    ...Object.fromEntries(Object.entries(sentByKind).map(([kind, n]) => [`sent_${kind}`, n])),
    ...Object.fromEntries(Object.entries(platforms.totals).flatMap(([platform, events]) => Object.entries(events).map(([event, n]) => [`${event}_${platform}`, n]))),
    bounces: feedback.totals.bounces,
    soft_bounces: feedback.totals.softBounces,
    complaints: feedback.totals.complaints,
  };
}

/** The counters that moved between two readings, by how much. */
function moved(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).flatMap((name) => (after[name] !== before[name] ? [[name, after[name]! - (before[name] ?? 0)]] : [])));
}

const StoreListing = z.object({ emails: z.array(z.object({ subject: z.string(), destination: z.object({ to: z.array(z.string()) }) })) });

/**
 * The subjects of the mail the SES emulator took for `email` since `since` (once the stack's mailer
 * has sent all it has, with `deliver`). Only the run's own second onwards: the store holds the
 * whole run's mail, and reading it all each time would cost more than the rest of a check.
 */
async function arrived(stack: TestStack, email: string, options: { deliver: boolean; since: Date }): Promise<string[]> {
  if (options.deliver) await stack.deliverMail();
  const response = await fetch(`${stack.config.SES_ENDPOINT}/store?since=${Math.floor(options.since.getTime() / 1000)}`);
  const { emails } = StoreListing.parse(await response.json());
  return emails.filter((mail) => mail.destination.to.some((to) => to.includes(email))).map((mail) => mail.subject);
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const personIdOf = (lab: Lab, email: string) => hashAddress(lab.stack.config.SIGNING_SECRET, email);

/** The person's data export; undefined when the link says the person is gone (404). */
async function exported(lab: Lab, person: Pick<Person, 'id' | 'generation'>): Promise<DataExport | undefined> {
  const response = await lab.stack.app.request(`/preferences/${tokenOf(lab.stack.service.links.preferences(person))}/data`);
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return DataExport.parse(await response.json());
}

/** The person's page behind a link, as the person sees it. */
async function page(lab: Lab, path: string): Promise<string> {
  const response = await lab.stack.app.request(path);
  expect(response.status, path.split('/')[1]).toBe(200);
  return response.text();
}

/** The caller's view of an HTTP answer: a 5xx page must tell the person to try again. */
async function answered(response: Response): Promise<Seen> {
  if (response.status === 200) return { ok: true };
  return { ok: false, said: `${response.status} ${(await response.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')}` };
}

/** The caller's view of a Lambda handler: thrown means Lambda (or SNS, or the stream) delivers the event again. */
async function handled(work: () => Promise<unknown>): Promise<Seen> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    return { ok: false, said: `again: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What one run of a use case must leave, checked after the caller's retries. */
interface Expectation {
  /** Subjects (patterns) of the mail the person must have, each exactly once, and nothing else. */
  mail: RegExp[];
  /** How the counters must move. */
  counts: Record<string, number>;
}

interface UseCase<S extends { email: string }> {
  name: string;
  /** The stack's clock. */
  at: string;
  /** Every DynamoDB call of one clean run, in order; a conditional write ends in `?`. */
  calls: string[];
  /** Whether the stack's mailer delivers the mail (all but the mailer's own use case). */
  deliver?: boolean;
  /** Once per stack, before any run. */
  prepare?(lab: Lab): Promise<void>;
  /** A fresh person (or job) for one run. */
  fresh(lab: Lab): Promise<S>;
  /** The use case, as its caller calls it; its retry after a failure is the same call again. */
  act(lab: Lab, state: S): Promise<Seen>;
  /** What the run must leave; `rival`: another caller made the same request meanwhile (a double click, a second delivery, an overlapping run). */
  expect(state: S, how: { rival: boolean }): Expectation;
  /** The person's data and pages after the run. */
  check(lab: Lab, state: S): Promise<void>;
  /** After the checks (e.g. leaving the audience that the next run must not see). */
  cleanUp?(lab: Lab, state: S): Promise<void>;
}

/** A use case with its state's type closed over, so that one table holds them all. */
interface AnyUseCase {
  name: string;
  at: string;
  calls: string[];
  prepare?(lab: Lab): Promise<void>;
  run(lab: Lab, fail?: { at: number; fault: DynamoFault }): Promise<{ calls: DynamoCall[]; seen: Seen }>;
}

const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;

/**
 * The counters that a failed call carried when it was a day counter's own write (StatsStore.count,
 * apart from the transaction of the state it counts): the product's contract is that such a count
 * is lost rather than fail a sign-up or a send ("Never throws", stats-store.ts), so those counters
 * must not move, and every other counter must move exactly as the state did. A counter written in
 * its state's transaction (done marks, leaving) is never in this list.
 */
const lostWith = (call: DynamoCall | undefined): string[] => (call?.command === 'UpdateItem' ? (call.counters ?? []) : []);

const useCase = <S extends { email: string }>(definition: UseCase<S>): AnyUseCase => ({
  name: definition.name,
  at: definition.at,
  calls: definition.calls,
  ...(definition.prepare ? { prepare: definition.prepare } : {}),
  async run(lab, fail) {
    // The person's mail is read from here on: a fresh state may hold some already (a dead mailer's).
    const since = new Date();
    const state = await definition.fresh(lab);
    try {
      return await runAndCheck(definition, lab, state, { fail, since });
    } finally {
      // Also after a failed check, so that one failure does not shift the calls of every run after it.
      await definition.cleanUp?.(lab, state);
    }
  },
});

/** Runs the use case on `state` with the planned fault, retries as its caller would, and checks what it left. */
async function runAndCheck<S extends { email: string }>(definition: UseCase<S>, lab: Lab, state: S, how: { fail: { at: number; fault: DynamoFault } | undefined; since: Date }) {
  const { fail, since } = how;
  const before = await counters(lab.stack);
  // A rival is the same request from another caller, on the same state.
  lab.faults.watch(fail && { ...fail, rival: () => definition.act(lab, state) });
  let calls: DynamoCall[] = [];
  const first = await definition.act(lab, state).finally(() => (calls = lab.faults.stop()));
  let seen = first;
  let retries = 0;
  // The person presses again, Lambda retries, SNS or the stream delivers again: as often as it takes, within reason.
  while (!seen.ok && retries < 3) {
    // A person is told to try again (a 5xx page that says so, never a 4xx that blames them or their link).
    if (retries === 0) expect(seen.said, 'what the caller is told').toMatch(/^(5\d\d .*try again|again: )/i);
    retries += 1;
    seen = await definition.act(lab, state);
  }
  expect(seen, 'after the retries').toEqual({ ok: true });
  const expectation = definition.expect(state, { rival: fail?.fault === 'rival' });
  await expectMail(lab, state.email, expectation.mail, { deliver: definition.deliver ?? true, since });
  await definition.check(lab, state);
  const lost = lostWith(fail ? calls[fail.at - 1] : undefined);
  // The other side of that contract: a lost count never fails the request.
  if (lost.length > 0) expect(first, 'a lost count fails nothing').toEqual({ ok: true });
  const counts = Object.fromEntries(Object.entries(expectation.counts).filter(([name]) => !lost.includes(name)));
  expect(moved(before, await counters(lab.stack)), 'the counters').toEqual(counts);
  return { calls, seen: first };
}

/** The mail the person got: each expected subject exactly once, and nothing else. */
async function expectMail(lab: Lab, email: string, expected: readonly RegExp[], options: { deliver: boolean; since: Date }): Promise<void> {
  const subjects = await arrived(lab.stack, email, options);
  expect(subjects.length, `mail to the person: ${JSON.stringify(subjects)}`).toBe(expected.length);
  for (const pattern of expected) expect(subjects.filter((subject) => pattern.test(subject)), `${pattern}`).toHaveLength(1);
}

const SIGNUP_AT = '2025-05-10T10:00:00Z';

// A fresh person for each run; all of them in one stack per use case.
const seedActive = (lab: Lab, label: string, platforms: PlatformId[] = ['facebook']) => {
  const email = testAddress(label);
  return seedConfirmed(lab.stack, { email, timeZone: 'Europe/Berlin', platforms, confirmedAt: lab.time.clock() }).then(({ person }) => ({ email, person }));
};

/** Each form's own page behind a link: confirmation, "I've objected", preferences. */
const linkPath = (url: string) => new URL(url).pathname;

/** The preferences page's button that takes a platform off the list: shown for each platform on it. */
const dropButton = (platform: PlatformId) => `name="drop" value="${platform}"`;

const signUpCase = useCase<{ email: string }>({
  name: 'sign-up',
  at: SIGNUP_AT,
  // The person and the network's limit, read at once; the sign-up's transaction; the day's counts.
  calls: ['Query', 'GetItem', 'TransactWriteItems?', 'UpdateItem count', 'UpdateItem count'],
  fresh: async () => ({ email: testAddress('signup') }),
  act: async (lab, { email }) => answered(await signUp(lab.stack.app, { email, platforms: 'facebook', consent: 'on', timezone: 'Europe/Berlin' })),
  // A double click is two forms, each counted with its ticks: one new person, one confirmation (the resend rule holds the second).
  expect: (_state, { rival }) => ({ mail: [/^Confirm your guide for Facebook$/], counts: { forms: rival ? 2 : 1, signups: 1, sent_confirm: 1, asked_facebook: rival ? 2 : 1 } }),
  async check(lab, { email }) {
    const { person } = await lab.stack.service.people.load(personIdOf(lab, email), lab.time.clock());
    expect(person?.status).toBe('pending');
    const data = await exported(lab, person!);
    expect(data?.person.platforms).toEqual([expect.objectContaining({ id: 'facebook', state: 'pending' })]);
    expect(data?.emails).toEqual([expect.objectContaining({ kind: 'confirm', status: 'sent' })]);
    expect(await page(lab, linkPath(lab.stack.service.links.confirm(person!)))).toContain('Facebook');
  },
});

const confirmCase = useCase<{ email: string; person: Person }>({
  name: 'confirm',
  at: SIGNUP_AT,
  // The person; the confirmation with its welcome job; the day's counts of people and of platforms.
  calls: ['Query', 'TransactWriteItems?', 'UpdateItem count', 'UpdateItem count'],
  async fresh(lab) {
    const email = testAddress('confirm');
    const change = await seedPending(lab.stack, { email, timeZone: 'Europe/Berlin', platforms: ['facebook'], signedUpAt: lab.time.clock() });
    return { email, person: change.person };
  },
  act: async (lab, { person }) => answered(await post(lab.stack.app, linkPath(lab.stack.service.links.confirm(person)), { confirm: 'yes' })),
  expect: () => ({ mail: [/^Your guide for Facebook$/], counts: { confirmations: 1, sent_welcome: 1, picked_facebook: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.person).toMatchObject({ status: 'active', platforms: [{ id: 'facebook', state: 'active' }] });
    expect(data?.mornings.nextAt).toBeDefined();
    expect(data?.emails).toEqual([expect.objectContaining({ kind: 'welcome', status: 'sent' })]);
    expect(await page(lab, linkPath(lab.stack.service.links.preferences(person)))).toContain(dropButton('facebook'));
  },
});

const objectedCase = useCase<{ email: string; person: Person }>({
  name: "I've objected",
  at: SIGNUP_AT,
  // The person; the mark with its counter.
  calls: ['Query', 'TransactWriteItems?'],
  fresh: (lab) => seedActive(lab, 'objected', ['facebook', 'instagram']),
  act: async (lab, { person }) => answered(await post(lab.stack.app, linkPath(lab.stack.service.links.objected(person, 'facebook')), { sent: 'yes' })),
  expect: () => ({ mail: [], counts: { done_facebook: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.person.platforms.map((p) => [p.id, p.doneAt !== undefined])).toEqual([
      ['facebook', true],
      ['instagram', false],
    ]);
    expect(await page(lab, linkPath(lab.stack.service.links.objected(person, 'facebook')))).toContain('Facebook is marked as done');
  },
});

const undoCase = useCase<{ email: string; person: Person }>({
  name: "I've objected, undone",
  at: SIGNUP_AT,
  // The person; the mark taken back with its counter.
  calls: ['Query', 'TransactWriteItems?'],
  async fresh(lab) {
    const seeded = await seedActive(lab, 'undo', ['facebook', 'instagram']);
    await lab.stack.service.journey.recordObjection(tokenOf(lab.stack.service.links.objected(seeded.person, 'facebook')));
    return seeded;
  },
  act: async (lab, { person }) => answered(await post(lab.stack.app, linkPath(lab.stack.service.links.objected(person, 'facebook')), { undo: 'yes' })),
  expect: () => ({ mail: [], counts: { done_facebook: -1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.person.platforms.map((p) => [p.id, p.doneAt !== undefined])).toEqual([
      ['facebook', false],
      ['instagram', false],
    ]);
    expect(await page(lab, linkPath(lab.stack.service.links.objected(person, 'facebook')))).toContain('Mark Facebook as done?');
  },
});

const preferencesCase = useCase<{ email: string; person: Person }>({
  name: 'preferences: a platform added',
  at: SIGNUP_AT,
  // The person; the change with its welcome job; the day's counts of platforms and of people.
  calls: ['Query', 'TransactWriteItems?', 'UpdateItem count', 'UpdateItem count'],
  fresh: (lab) => seedActive(lab, 'preferences', ['facebook']),
  act: async (lab, { person }) => answered(await post(lab.stack.app, linkPath(lab.stack.service.links.preferences(person)), { add: 'instagram' })),
  expect: () => ({ mail: [/^Your guide for Instagram$/], counts: { sent_welcome: 1, picked_instagram: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.person.platforms.map((p) => [p.id, p.state])).toEqual([
      ['facebook', 'active'],
      ['instagram', 'active'],
    ]);
    expect(data?.emails).toEqual([expect.objectContaining({ kind: 'welcome', status: 'sent' })]);
    const preferences = await page(lab, linkPath(lab.stack.service.links.preferences(person)));
    expect(preferences).toContain(dropButton('facebook'));
    expect(preferences).toContain(dropButton('instagram'));
  },
});

const dropCase = useCase<{ email: string; person: Person }>({
  name: 'preferences: a platform dropped',
  at: SIGNUP_AT,
  // The person; the change; the day's count of platforms dropped.
  calls: ['Query', 'TransactWriteItems?', 'UpdateItem count'],
  fresh: (lab) => seedActive(lab, 'drop', ['facebook', 'instagram']),
  act: async (lab, { person }) => answered(await post(lab.stack.app, linkPath(lab.stack.service.links.preferences(person)), { drop: 'instagram' })),
  expect: () => ({ mail: [], counts: { dropped_instagram: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.person.platforms.map((p) => [p.id, p.state])).toEqual([['facebook', 'active']]);
    const preferences = await page(lab, linkPath(lab.stack.service.links.preferences(person)));
    expect(preferences).toContain(dropButton('facebook'));
    expect(preferences).not.toContain(dropButton('instagram'));
  },
});

const leaveCampaignCase = useCase<{ email: string; person: Person }>({
  name: 'unsubscribe from one campaign',
  at: SIGNUP_AT,
  // The page's read, the journey's; the change; the day's count of platforms dropped.
  calls: ['Query', 'Query', 'TransactWriteItems?', 'UpdateItem count'],
  fresh: (lab) => seedActive(lab, 'leave', ['facebook', 'linkedin']),
  act: async (lab, { person }) => answered(await post(lab.stack.app, linkPath(lab.stack.service.links.unsubscribe(person, 'meta-ai-2025')), { scope: 'campaign' })),
  expect: () => ({ mail: [], counts: { dropped_facebook: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.person).toMatchObject({ status: 'active', platforms: [{ id: 'linkedin', state: 'active' }] });
    expect(data?.person.platforms).toHaveLength(1);
    const preferences = await page(lab, linkPath(lab.stack.service.links.preferences(person)));
    expect(preferences).toContain(dropButton('linkedin'));
    expect(preferences).not.toContain(dropButton('facebook'));
  },
});

/** After leaving: no page, no data but the fingerprint with its status. */
async function expectErased(lab: Lab, person: Person, status: 'unsubscribed' | 'erased' | 'suppressed') {
  expect(await exported(lab, person)).toBeUndefined();
  const record = await lab.stack.service.people.load(person.id, lab.time.clock());
  expect(record.fingerprint?.status).toBe(status);
  expect(record.itemKeys.map((key) => key.sk)).toEqual(['PERSON']);
}

const unsubscribeCase = useCase<{ email: string; person: Person }>({
  name: 'one-click unsubscribe',
  at: SIGNUP_AT,
  // The page's read, the erasure's, the store's; the fingerprint with its counter; the rest deleted.
  calls: ['Query', 'Query', 'Query', 'TransactWriteItems?', 'DeleteItem'],
  fresh: (lab) => seedActive(lab, 'unsubscribe'),
  act: async (lab, { person }) =>
    answered(await post(lab.stack.app, linkPath(lab.stack.service.links.unsubscribe(person)), { 'List-Unsubscribe': 'One-Click' })),
  expect: () => ({ mail: [], counts: { unsubscribes: 1 } }),
  check: (lab, { person }) => expectErased(lab, person, 'unsubscribed'),
});

const deleteCase = useCase<{ email: string; person: Person }>({
  name: 'delete my data',
  at: SIGNUP_AT,
  // The erasure's read, the store's; the fingerprint with its counter; the rest deleted.
  calls: ['Query', 'Query', 'TransactWriteItems?', 'DeleteItem'],
  fresh: (lab) => seedActive(lab, 'delete'),
  act: async (lab, { person }) => answered(await post(lab.stack.app, `${linkPath(lab.stack.service.links.preferences(person))}/delete`, { delete: 'yes' })),
  expect: () => ({ mail: [], counts: { erasures: 1 } }),
  check: (lab, { person }) => expectErased(lab, person, 'erased'),
});

/** A fixture's SNS event about `address`, under a fresh SNS MessageId. */
function snsEvent(name: 'ses-bounce-permanent' | 'ses-bounce-transient', address: string) {
  const text = readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8');
  const event = JSON.parse(text.replaceAll('recipient@example.org', address)) as { Records: { Sns: { MessageId: string } }[] };
  event.Records[0]!.Sns.MessageId = randomUUID();
  return event;
}

const bounceCase = useCase<{ email: string; person: Person; event: unknown }>({
  name: 'SES feedback: a permanent bounce',
  at: SIGNUP_AT,
  // The person; the suppression with its counters (suppressions, bounces); the rest deleted.
  calls: ['Query', 'TransactWriteItems?', 'DeleteItem'],
  fresh: async (lab) => {
    const seeded = await seedActive(lab, 'bounce');
    return { ...seeded, event: snsEvent('ses-bounce-permanent', seeded.email) };
  },
  // Thrown: Lambda fails the invocation and SNS delivers the same message again.
  act: (lab, { event }) => handled(() => lab.stack.service.feedback.handleSnsEvent(event)),
  expect: () => ({ mail: [], counts: { suppressions: 1, bounces: 1 } }),
  check: (lab, { person }) => expectErased(lab, person, 'suppressed'),
});

const softBounceCase = useCase<{ email: string; person: Person; event: unknown }>({
  name: 'SES feedback: the soft bounce that reaches the limit',
  at: SIGNUP_AT,
  // The address's soft bounces; their day's count; the person; the suppression with its counter; the rest deleted.
  calls: ['UpdateItem?', 'UpdateItem count', 'Query', 'TransactWriteItems?', 'DeleteItem'],
  fresh: async (lab) => {
    const seeded = await seedActive(lab, 'soft');
    for (let i = 1; i < lab.stack.config.SOFT_BOUNCE_LIMIT; i++) await lab.stack.service.feedback.handleSnsEvent(snsEvent('ses-bounce-transient', seeded.email));
    return { ...seeded, event: snsEvent('ses-bounce-transient', seeded.email) };
  },
  act: (lab, { event }) => handled(() => lab.stack.service.feedback.handleSnsEvent(event)),
  expect: () => ({ mail: [], counts: { suppressions: 1, soft_bounces: 1 } }),
  check: (lab, { person }) => expectErased(lab, person, 'suppressed'),
});

/** One cron run as send-due makes it; one shard and one person at a time, so that "the k-th call" names the same call every run. */
const sendDue = (lab: Lab) => lab.stack.service.countdown.run({ parallelShards: 1, concurrency: 1 });

const sendDueCase = useCase<{ email: string; person: Person }>({
  name: 'send-due: the 14-days morning',
  at: '2025-05-12T07:30:00Z',
  // Each campaign's schedule version; the due index; the person; the morning's job with the mornings moved on; the day's count; the watch's announcements so far.
  calls: ['GetItem', 'GetItem', 'GetItem', 'GetItem', 'GetItem', 'Query', 'Query', 'TransactWriteItems?', 'UpdateItem count', 'GetItem'],
  // The first run on a table times every campaign's schedule; from then on a run reads what is due.
  prepare: async (lab) => void (await sendDue(lab)),
  async fresh(lab) {
    const email = testAddress('morning');
    const { person } = await seedConfirmed(lab.stack, { email, timeZone: 'Europe/Berlin', platforms: ['facebook'], confirmedAt: new Date(SIGNUP_AT) });
    return { email, person };
  },
  // Thrown: Lambda runs it again; a person failed: the next run (the cron's, an hour on) finds them still due.
  act: (lab) =>
    handled(async () => {
      const summary = await sendDue(lab);
      if (summary.failed > 0) throw new Error(`${summary.failed} failed; the next run`);
    }),
  expect: () => ({ mail: [/^14 days left to object on Facebook/], counts: { sent_morning: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.mornings.handledUntil).toBe('2025-05-12T07:00:00.000Z');
    expect(data?.mornings.nextAt?.slice(0, 10)).toBe('2025-05-19');
    expect(data?.emails).toEqual([expect.objectContaining({ kind: 'morning', status: 'sent' })]);
  },
  // Out of the due index, so that a person a failed check left due does not join the next run.
  cleanUp: async (lab, { person }) => void (await lab.stack.service.people.erase(person.id, 'erased', lab.time.clock())),
});

/** An issue as the build makes it, without MJML. */
function issue(id: string): NewsletterIssue {
  const { frontMatter } = parseIssueSource(`---\nsubject: Newsletter ${id}\ncampaign: meta-ai-2025\nlocale: en\n---\n<p>body</p>\n`);
  return { id, frontMatter, subject: frontMatter.subject, html: '<p>{{countdownText}} <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>', text: '{{countdownText}} {{unsubscribeUrl}}' };
}

const newsletterCase = useCase<{ email: string; person: Person; news: NewsletterIssue }>({
  name: "a newsletter's selection",
  at: '2025-05-20T08:00:00Z',
  // The audience index; each reader; their copy's job; the day's count.
  calls: ['Query', 'Query', 'PutItem?', 'UpdateItem count'],
  async fresh(lab) {
    const seeded = await seedActive(lab, 'reader');
    const news = issue(`every-call-${randomUUID().slice(0, 8)}`);
    lab.stack.issues.push(news);
    return { ...seeded, news };
  },
  // The operator (or the Lambda's own retry) sends the issue again: copies written before are not written twice.
  act: (lab, { news }) =>
    handled(async () => {
      const summary = await lab.stack.newsletters.send(news, {}, { concurrency: 1 });
      if (summary.failed > 0) throw new Error(`${summary.failed} copies failed; send it again`);
    }),
  expect: ({ news }) => ({ mail: [new RegExp(`^Newsletter ${news.id}$`)], counts: { sent_newsletter: 1 } }),
  async check(lab, { person }) {
    const data = await exported(lab, person);
    expect(data?.emails).toEqual([expect.objectContaining({ kind: 'newsletter', status: 'sent' })]);
  },
  // Out of the audience, so that the next run selects its own reader alone.
  cleanUp: async (lab, { person }) => void (await lab.stack.service.people.erase(person.id, 'erased', lab.time.clock())),
});

/**
 * The mailer of the mailer's use cases: the pipeline's own parts on the stack's client (the one the
 * faults are injected into), composing with the stack's service; its real time (leases, backoff)
 * is the wall clock moved on by every wait it would have made, so that a wait ends at once.
 */
function mailerOf(lab: Lab) {
  const { config } = lab.stack;
  let ahead = 0;
  const now = () => new Date(Date.now() + ahead);
  const composer = mailComposerOf(lab.stack.service, lab.stack.issues);
  const pipeline = createMailPipeline(config, { composer, transport: lab.stack.transport, db: lab.stack.service.db, clock: lab.time.clock });
  const leaseMs = config.MAIL_LEASE_SECONDS * 1000;
  const mailer = new Mailer({
    jobs: pipeline.jobs,
    composer,
    transport: lab.stack.transport,
    pacer: pipeline.pacer,
    policy: { maxAttempts: config.MAIL_MAX_ATTEMPTS, baseDelayMs: config.MAIL_RETRY_BASE_MS, maxDelayMs: config.MAIL_RETRY_MAX_MS },
    leaseMs,
    inlineWaitMs: config.MAIL_INLINE_WAIT_MS,
    clock: lab.time.clock,
    realClock: now,
    sleep: async (ms) => void (ahead += ms),
  });
  return {
    jobs: pipeline.jobs,
    composer,
    leaseMs,
    now,
    /** A new job starts on the wall clock (the SES emulator's, which says what it took since when). */
    reset: () => void (ahead = 0),
    /** Every lease taken until now runs out. */
    passLease: () => void (ahead += leaseMs),
    /** One delivery of the job's stream record, as the Lambda gets it: undefined when it threw (a batch item failure). */
    deliver: async (jobId: string): Promise<DeliveryOutcome | undefined> => (await mailer.deliver([jobId])).outcomes.get(jobId),
  };
}

const mailers = new WeakMap<Lab, ReturnType<typeof mailerOf>>();
const mailerFor = (lab: Lab) => mailers.get(lab) ?? mailers.set(lab, mailerOf(lab)).get(lab)!;

/** A job of a fresh person's sign-up; the mailer's state as the stream's deliveries leave it. */
interface JobState {
  email: string;
  person: Person;
  jobId: string;
  since: Date;
  /** What the last delivery did with the job. */
  last?: DeliveryOutcome | undefined;
  /** A stream record of the job that no delivery has handled yet. */
  record?: boolean;
}

const isSent = (outcome: DeliveryOutcome | undefined) => outcome === 'sent' || outcome === 'already-sent';

async function freshJob(lab: Lab, label: string): Promise<JobState> {
  const email = testAddress(label);
  const { person } = await seedPending(lab.stack, { email, timeZone: 'Europe/Berlin', platforms: ['facebook'], signedUpAt: lab.time.clock() });
  const jobId = mailJobId.confirm(person.id, person.generation, person.version);
  expect(await lab.stack.service.mailJobs.enqueue(newMailJob({ jobId, kind: 'confirm', personId: person.id, now: lab.time.clock() }))).toBe(true);
  mailerFor(lab).reset();
  return { email, person, jobId, since: new Date() };
}

/** After the mailer: one message, the job sent, and no wake-up left to hand it back again. */
async function expectSentOnce(lab: Lab, state: JobState): Promise<void> {
  const mailer = mailerFor(lab);
  // A wake-up left behind (by a delivery that found the job under another's lease) fires once the
  // lease is over, finds the job sent and hands nothing back.
  mailer.passLease();
  expect(await mailer.jobs.wakeDue(mailer.now()), 'jobs handed back by a late wake-up').toBe(0);
  expect(await mailer.jobs.hasWakes()).toBe(false);
  await expectMail(lab, state.email, [/^Confirm your guide for Facebook$/], { deliver: false, since: state.since });
  const data = await exported(lab, state.person);
  expect(data?.emails).toEqual([expect.objectContaining({ kind: 'confirm', status: 'sent' })]);
}

const mailerCase = useCase<JobState>({
  name: "the mailer's claim and mark",
  at: SIGNUP_AT,
  // The claim; the composer's read of the person; the mark as sent.
  calls: ['UpdateItem?', 'Query', 'UpdateItem?'],
  // The stack's own mailer never runs on this table: the mailer under test is the only one.
  deliver: false,
  fresh: (lab) => freshJob(lab, 'mailer'),
  async act(lab, state) {
    const mailer = mailerFor(lab);
    // What brings the job back after a failure: a batch item failure, the same record again; a release
    // with backoff (retry-later), its new image; a deferral, its wake-up once the lease that held the
    // job ran out (the poller's wakeDue touches it, and its new image is delivered).
    if (state.last === 'deferred') {
      mailer.passLease();
      await mailer.jobs.wakeDue(mailer.now());
    }
    state.last = await mailer.deliver(state.jobId);
    return isSent(state.last) ? { ok: true } : { ok: false, said: `again: ${state.last ?? 'batch item failure'}` };
  },
  expect: () => ({ mail: [/^Confirm your guide for Facebook$/], counts: {} }),
  check: expectSentOnce,
});

const takeoverCase = useCase<JobState>({
  name: 'the mailer taking over from one that died after SES took the message',
  at: SIGNUP_AT,
  // The due wake-ups; the touch that hands the job back; the wake-up deleted; the claim (a take-over);
  // the composer's read of the person; the mark as sent, once SES says it has the message.
  calls: ['Query', 'UpdateItem?', 'DeleteItem', 'UpdateItem?', 'Query', 'UpdateItem?'],
  deliver: false,
  async fresh(lab) {
    const state = await freshJob(lab, 'takeover');
    const mailer = mailerFor(lab);
    // A mailer claims the job, sends it and dies before it marks it; the stream's next delivery finds
    // the job under its lease and asks for a wake-up at the lease's end.
    const claim = await mailer.jobs.claim(state.jobId, { token: randomUUID(), leaseMs: mailer.leaseMs, now: mailer.now() });
    if (!claim.claimed) throw new Error(`the job was not claimable: ${claim.reason}`);
    const message = await mailer.composer.compose(claim.job, lab.time.clock());
    if ('drop' in message) throw new Error('nothing to send');
    await lab.stack.transport.sendRaw(message.raw);
    await mailer.jobs.scheduleWake(state.jobId, new Date(claim.job.leaseUntil!));
    mailer.passLease();
    return state;
  },
  async act(lab, state) {
    const mailer = mailerFor(lab);
    // The poller's tick (in AWS, the schedule's): due wake-ups touch their jobs, and each touched job's
    // new image is a stream record, delivered (again after a batch item failure) until it is handled.
    const woken = await handled(async () => void ((await mailer.jobs.wakeDue(mailer.now())) > 0 && (state.record = true)));
    if (!woken.ok) return woken;
    if (state.record) {
      state.last = await mailer.deliver(state.jobId);
      // Handled, but for a release with backoff, whose new image is the next record.
      if (state.last !== undefined && state.last !== 'retry-later') state.record = false;
      if (state.last === 'deferred') mailer.passLease();
    }
    return isSent(state.last) ? { ok: true } : { ok: false, said: `again: ${state.last ?? 'nothing handled yet'}` };
  },
  expect: () => ({ mail: [/^Confirm your guide for Facebook$/], counts: {} }),
  check: expectSentOnce,
});

const useCases: AnyUseCase[] = [
  signUpCase,
  confirmCase,
  objectedCase,
  undoCase,
  preferencesCase,
  dropCase,
  unsubscribeCase,
  leaveCampaignCase,
  deleteCase,
  bounceCase,
  softBounceCase,
  sendDueCase,
  mailerCase,
  takeoverCase,
  newsletterCase,
];

describe.each(useCases)('$name', (uc) => {
  const lab = {} as Lab;
  beforeAll(async () => {
    lab.time = manualClock(uc.at);
    // One shard of the due and audience indexes, so that the k-th call names the same call for every
    // fresh person (with eight, where their shard falls in the walk moves their own calls along).
    lab.stack = await createTestStack({ clock: lab.time.clock, env: { IP_SIGNUP_LIMIT: '100000', DUE_SHARDS: '1' } });
    // The stack's mailer composes on a service of its own, so that its reads are never the use case's calls.
    lab.stack.redeploy(lab.stack.service.campaigns);
    lab.faults = injectDynamoFaults(lab.stack.service.db);
    await uc.prepare?.(lab);
  });

  it(`runs clean in ${uc.calls.length} DynamoDB calls`, async () => {
    const { calls, seen } = await uc.run(lab);
    expect(seen).toEqual({ ok: true });
    // A changed sequence names each call: its item's kind, and the counters of a counter's own write.
    const named = calls.map((c) => [callName(c), c.key ? `${c.key.pk.split('#')[0]}/${c.key.sk.split('#')[0]}` : '', c.counters?.join(',') ?? ''].filter(Boolean).join(' '));
    expect(calls.map(callName), named.join('; ')).toEqual(uc.calls);
  });

  // A conflict is what DynamoDB answers a write that meets another in flight; a rival needs a condition to lose on.
  const applies = { internal: () => true, throttle: () => true, conflict: (call: string) => WRITES.test(call), rival: (call: string) => call.endsWith('?') };
  const what = { internal: 'failing with a 500', throttle: 'throttled', conflict: 'in a transaction conflict', rival: 'losing its condition to a rival request' };
  const cases = (['internal', 'throttle', 'conflict', 'rival'] as const).flatMap((fault) =>
    uc.calls.flatMap((command, index) =>
      applies[fault](command) ? [{ at: index + 1, command, fault, what: `${what[fault]}${command.includes(' count') ? ' (its count lost, never the request)' : ''}` }] : [],
    ),
  );
  it.each(cases)('survives call $at ($command) $what', async ({ at, fault }) => {
    const { calls } = await uc.run(lab, { at, fault });
    expect(calls.length).toBeGreaterThanOrEqual(at);
  });
});
