import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { campaigns } from '../../functions/campaigns.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { signToken, type TokenPurpose } from '../../functions/domain/token.js';
import {
  createTestStack,
  inbox,
  linkIn,
  manualClock,
  privateSes,
  signUp,
  subscribeAndConfirm,
  testAddress,
  unfoldHeaders,
  type TestStack,
} from '../support/stack.js';
import { recordTableWrites, type WriteLog, type WrittenItem } from '../support/writes.js';

const START = '2025-05-14T08:00:00Z';
const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;

/**
 * Fuzzed requests per property. Their sum is the suite's total, stated in the describe below.
 * `FUZZ_RUNS_FACTOR` multiplies them for a deeper run than `npm test`'s (4 is about the 10,300 of
 * the first build): each run draws new cases, so the default depth explores more over time.
 */
const FACTOR = z.coerce.number().positive().default(1).parse(process.env.FUZZ_RUNS_FACTOR);
/** The default depth of each property. */
const BASE_RUNS = {
  signup: 800,
  signupInjection: 100,
  preferences: 400,
  preferencesInjection: 50,
  tokens: 600,
  swappedTokens: 150,
  bodies: 300,
  paths: 200,
  admin: 80,
};
const RUNS = Object.fromEntries(Object.entries(BASE_RUNS).map(([property, runs]) => [property, Math.round(runs * FACTOR)])) as Record<keyof typeof BASE_RUNS, number>;
const TOTAL = Object.values(RUNS).reduce((sum, runs) => sum + runs, 0);

type App = TestStack['app'];
type Body = { type: 'json' | 'form' | 'multipart'; fields: Record<string, unknown> };

/** Sends fields as JSON, a urlencoded form or multipart, the way a browser or an API client would. */
function send(app: App, method: string, path: string, body: Body | undefined, accept: 'json' | 'html') {
  const headers: Record<string, string> = { Accept: accept === 'json' ? 'application/json' : 'text/html' };
  if (!body) return app.request(path, { method, headers });
  if (body.type === 'json') {
    return app.request(path, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body.fields) });
  }
  const text = (item: unknown) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
  const entries = Object.entries(body.fields).flatMap(([name, value]) => [value].flat().map((item) => [name, text(item)] as [string, string]));
  if (body.type === 'form') {
    return app.request(path, { method, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(entries).toString() });
  }
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return app.request(path, { method, headers, body: form });
}

/** The admin sign-in counters, which every wrong guess at the token is meant to move. */
const isSignInCounter = (item: WrittenItem) => `${item.pk} ${item.sk}`.includes('RATE#ADMIN_SIGNIN#');

/** Each stack's recorded writes, started on its first watch. */
const writeLogs = new WeakMap<TestStack, WriteLog>();

/**
 * The writes and the outbox as last seen, with every mail job delivered: a refused request must
 * write nothing (no write of the service's DynamoDB clients succeeded, as recorded at the SDK) and
 * send nothing (it wrote no mail job, so nothing is sent later either). Recording the writes
 * instead of scanning the table after each of 10,000 cases keeps the suite in seconds.
 */
async function watch(stack: TestStack) {
  await stack.deliverMail();
  const writes = writeLogs.get(stack) ?? recordTableWrites(stack.config.TABLE_NAME);
  writeLogs.set(stack, writes);
  let mark = writes.mark();
  let mails = stack.transport.sent.length;
  return {
    expectUnchanged(label: string, options: { besideSignInCounters?: boolean } = {}) {
      expect(stack.transport.sent.length, `${label}: sent mail`).toBe(mails);
      const written = writes.since(mark).filter((item) => !(options.besideSignInCounters && isSignInCounter(item)));
      expect(written, `${label}: wrote to the table`).toEqual([]);
    },
    /** After a request that was allowed to change something: its mail is delivered first. */
    async accept() {
      await stack.deliverMail();
      mark = writes.mark();
      mails = stack.transport.sent.length;
    },
    get mails() {
      return mails;
    },
  };
}

/** A refusal says what is wrong: per-field messages, `{ code, message }`, or a page with the message. */
async function expectExplained(response: Response, label: string) {
  expect(response.status, label).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (type.includes('application/json')) {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; fields?: Record<string, unknown> };
    expect(body.code, label).toMatch(/^[a-z_]+$/);
    expect(body.message, label).toMatch(/\w{3,}/);
    if (body.code === 'invalid_input' && body.fields) {
      expect(Object.keys(body.fields).length, label).toBeGreaterThan(0);
      for (const message of Object.values(body.fields)) expect(message, label).toMatch(/\w{3,}/);
    }
  } else if (type.includes('text/html') && response.status === 401) {
    // The operator pages without a session: the sign-in form, which says what is needed.
    expect(text, label).toMatch(/<form method="post" action="\/admin\/login">.*<label for="token">/);
  } else if (type.includes('text/html')) {
    // A form with its error summary, or an error page with its message.
    expect(text, label).toMatch(/role="alert"|<p>[^<]{12,}<\/p>/);
  } else {
    // The bearer check's own answer: 401, or 400 for a header that is not "Bearer <token>".
    expect([400, 401], label).toContain(response.status);
    expect(response.headers.get('www-authenticate'), label).toMatch(/Bearer/);
  }
}

const MAIL_HEADERS = new Set(['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type', 'list-unsubscribe', 'list-unsubscribe-post']);

/** Every header of a sent message is one we set, with one recipient: nothing a field smuggled in. */
function expectOnlyOurHeaders(raw: string, to: string) {
  const lines = unfoldHeaders(raw).split(/\r?\n/);
  const names = lines.map((line) => /^([A-Za-z0-9-]+): /.exec(line)?.[1]?.toLowerCase());
  for (const [i, name] of names.entries()) expect(name && MAIL_HEADERS.has(name), `header line "${lines[i]}"`).toBe(true);
  const recipients = lines.filter((line) => /^to: /i.test(line));
  expect(recipients).toEqual([`To: ${to}`]);
}

// Values for the fields, from well-formed to hostile: fuzzing reaches past the first check only
// when most fields are right, so every arbitrary mixes good values with bad ones.
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\r\n', '\u0000', '__proto__', 'null', '[object Object]', '<script>alert(1)</script>', '../../etc/passwd', '%0d%0aBcc: x@example.org'),
  fc.string({ minLength: 255, maxLength: 2000 }),
);
const jsonJunk = fc.oneof(junk, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(junk, { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 5 }), junk, { maxKeys: 3 }));
const platformValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('facebook', 'instagram', 'whatsapp', 'threads') },
  { weight: 3, arbitrary: fc.uniqueArray(fc.constantFrom('facebook', 'instagram', 'whatsapp', 'threads'), { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('facebook', 'Facebook', 'myspace', '', 'threads '), { maxLength: 6 }) },
  { weight: 1, arbitrary: junk },
);
const timeZoneValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5', 'Pacific/Kiritimati', '') },
  { weight: 1, arbitrary: fc.constantFrom('Nowhere/Land', 'europe/berlin', 'Europe/Berlin\r\n', '+02:00') },
  { weight: 1, arbitrary: junk },
);
// A language the service does not speak is refused (locale_invalid): mostly ones it speaks, so
// that enough sign-ups reach past validation (about 14 %, against the 10 % checked below).
const localeValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('en', 'de', 'de-AT', '') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('fr_FR', 'EN', 'x'.repeat(40)), junk) },
);

describe(`every route and field under ${TOTAL.toLocaleString('en')} fuzzed requests`, () => {
  let stack: TestStack;
  let stopSes: () => Promise<void>;
  /** Two confirmed people and one pending, with every link they were sent. */
  const people = {} as Record<'a' | 'b', { email: string; id: string; generation: string; tokens: Record<Exclude<TokenPurpose, 'watch' | 'calendar'>, string> & { objectedInstagram: string } }> & {
    pending: { id: string; generation: string; confirm: string };
  };
  const time = manualClock(START);
  /** A pool of addresses a valid-looking sign-up picks from, so the table stays small. */
  const pool = Array.from({ length: 20 }, (_, i) => `pool-${i}-${Date.now()}@example.org`);

  beforeAll(async () => {
    const ses = await privateSes();
    stopSes = ses.stop;
    stack = await createTestStack({
      clock: time.clock,
      env: { SES_ENDPOINT: ses.endpoint, IP_SIGNUP_LIMIT: '1000000' },
    });
    for (const who of ['a', 'b'] as const) {
      const email = testAddress(`abuse-${who}`);
      const welcome = await subscribeAndConfirm(stack, { email, platforms: ['facebook', 'instagram'], consent: 'yes' });
      const [confirmation] = await inbox(email, stack.config.SES_ENDPOINT);
      const token = (path: string) => path.split('/')[2]!;
      // A token reads purpose.person.generation.campaign.platform.signature.
      const [, id, generation] = token(linkIn(welcome, 'preferences')).split('.');
      people[who] = {
        email,
        id: id!,
        generation: generation!,
        tokens: {
          confirm: token(linkIn(confirmation!, 'confirm')),
          objected: token(linkIn(welcome, 'objected', 0)),
          objectedInstagram: token(linkIn(welcome, 'objected', 1)),
          unsubscribe: token(linkIn(welcome, 'unsubscribe')),
          preferences: token(linkIn(welcome, 'preferences')),
        },
      };
    }
    const pendingEmail = testAddress('abuse-pending');
    await signUp(stack.app, { email: pendingEmail, platforms: 'facebook', consent: 'yes' });
    const pendingConfirm = linkIn((await inbox(pendingEmail, stack.config.SES_ENDPOINT))[0]!, 'confirm').split('/')[2]!;
    people.pending = { id: pendingConfirm.split('.')[1]!, generation: pendingConfirm.split('.')[2]!, confirm: pendingConfirm };
  });
  afterAll(() => stopSes?.());

  it('POST /subscribe: never a 5xx; a refusal names each wrong field and stores and sends nothing', async () => {
    const table = await watch(stack);
    const email = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...pool) },
      { weight: 2, arbitrary: fc.constantFrom(...pool).map((address) => ` ${address.toUpperCase()} `) },
      { weight: 1, arbitrary: fc.emailAddress() },
      { weight: 2, arbitrary: junk },
    );
    const valid = fc.record({ email, platforms: platformValue, consent: fc.constantFrom('on', 'yes', 'true', '1') }).chain((base) =>
      fc.record(
        {
          email: fc.constant(base.email),
          platforms: fc.constant(base.platforms),
          consent: fc.oneof({ weight: 4, arbitrary: fc.constant(base.consent) }, fc.constantFrom('off', '', 'no'), junk),
          timezone: timeZoneValue,
          locale: localeValue,
          campaign: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('meta-ai-2025', '') }, fc.constant('no-such-campaign'), junk),
          website: fc.oneof({ weight: 5, arbitrary: fc.constant('') }, junk),
        },
        { requiredKeys: ['email', 'platforms', 'consent'] },
      ),
    );
    const anything = fc.dictionary(fc.constantFrom('email', 'platforms', 'timezone', 'locale', 'campaign', 'consent', 'website', 'other', 'email[]'), jsonJunk, {
      maxKeys: 8,
    });
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: anything }), fc.constantFrom('json', 'form', 'multipart') as fc.Arbitrary<Body['type']>, fc.constantFrom('json', 'html') as fc.Arbitrary<'json' | 'html'>, async (fields, type, accept) => {
        const label = `${type}/${accept} ${JSON.stringify(fields).slice(0, 300)}`;
        const response = await send(stack.app, 'POST', '/subscribe', { type, fields }, accept);
        expect(response.status, label).toBeLessThan(500);
        if (response.status !== 200) {
          outcomes.refused += 1;
          await expectExplained(response, label);
          if (accept === 'json') expect(response.status, label).toBe(400);
          return table.expectUnchanged(label);
        }
        outcomes.accepted += 1;
        await stack.deliverMail();
        const mails = stack.transport.messages.slice(table.mails);
        expect(mails.length, label).toBeLessThanOrEqual(1);
        for (const mail of mails) {
          expect(mail.to, label).toBe(String(fields.email).trim().toLowerCase());
          expectOnlyOurHeaders(mail.raw, mail.to);
        }
        await table.accept();
      }),
      { numRuns: RUNS.signup },
    );
    // Both paths are explored: the generators reach past validation often enough to store.
    expect(outcomes.accepted).toBeGreaterThan(RUNS.signup / 10);
    expect(outcomes.refused).toBeGreaterThan(RUNS.signup / 10);
  });

  it('POST /subscribe: a line break or header in any field that reaches an email never becomes a header', async () => {
    const table = await watch(stack);
    const victim = testAddress('victim');
    const injection = fc.constantFrom(
      `\r\nBcc: ${victim}`,
      `\nBcc: ${victim}`,
      `\rBcc: ${victim}`,
      `\r\n\r\n<h1>forged body</h1>`,
      `\u2028Bcc: ${victim}`,
      `\u0085Bcc: ${victim}`,
      `=?utf-8?Q?=0D=0ABcc:_${victim}?=`,
      `%0D%0ABcc:%20${victim}`,
      `, ${victim}`,
      `>, <${victim}`,
    );
    const outcomes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('email', 'platforms', 'timezone', 'locale', 'campaign'),
        injection,
        fc.boolean(),
        fc.constantFrom('json', 'form', 'multipart') as fc.Arbitrary<Body['type']>,
        async (field, payload, before, type) => {
          outcomes[field] = (outcomes[field] ?? 0) + 1;
          const email = testAddress('inject');
          const fields: Record<string, string> = { email, platforms: 'facebook', consent: 'yes', timezone: 'Europe/Berlin', locale: 'en', campaign: meta.id };
          fields[field] = before ? `${payload}${fields[field]}` : `${fields[field]}${payload}`;
          const label = `${field}=${JSON.stringify(fields[field])}`;
          const response = await send(stack.app, 'POST', '/subscribe', { type, fields }, 'json');
          expect(response.status, label).toBeLessThan(500);
          if (response.status !== 200) {
            await expectExplained(response, label);
            return table.expectUnchanged(label);
          }
          await stack.deliverMail();
          for (const mail of stack.transport.messages.slice(table.mails)) expectOnlyOurHeaders(mail.raw, email);
          await table.accept();
        },
      ),
      { numRuns: RUNS.signupInjection },
    );
    expect(Object.keys(outcomes).sort()).toEqual(['campaign', 'email', 'locale', 'platforms', 'timezone']);
    expect(await inbox(victim, stack.config.SES_ENDPOINT)).toHaveLength(0);
  });

  it('POST /preferences: never a 5xx; a refusal names each wrong field and changes nothing', async () => {
    const table = await watch(stack);
    const path = `/preferences/${people.a.tokens.preferences}`;
    // The Save button's own name and value, mostly, so that most requests reach the fields.
    const save = fc.oneof({ weight: 8, arbitrary: fc.constant('yes') }, { weight: 1, arbitrary: junk });
    const valid = fc.record(
      { platforms: platformValue, timezone: timeZoneValue, locale: localeValue, save, other: jsonJunk },
      { requiredKeys: ['platforms', 'timezone', 'save'] },
    );
    const anything = fc.dictionary(fc.constantFrom('platforms', 'timezone', 'locale', 'save', 'email', 'state', 'objections', '__proto__'), jsonJunk, { maxKeys: 6 });
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(valid, anything), fc.constantFrom('json', 'form', 'multipart') as fc.Arbitrary<Body['type']>, fc.constantFrom('json', 'html') as fc.Arbitrary<'json' | 'html'>, async (fields, type, accept) => {
        const label = `${type}/${accept} ${JSON.stringify(fields).slice(0, 300)}`;
        const response = await send(stack.app, 'POST', path, { type, fields }, accept);
        expect(response.status, label).toBeLessThan(500);
        if (response.status === 200) {
          outcomes.accepted += 1;
          expect(stack.transport.sent.length, label).toBe(table.mails);
          return table.accept();
        }
        outcomes.refused += 1;
        expect(response.status, label).toBe(400);
        await expectExplained(response, label);
        await table.expectUnchanged(label);
      }),
      { numRuns: RUNS.preferences },
    );
    expect(outcomes.accepted).toBeGreaterThan(RUNS.preferences / 10);
    expect(outcomes.refused).toBeGreaterThan(RUNS.preferences / 10);
    // Whatever was sent, the stored person is still a confirmed subscriber with the same address.
    const data: unknown = await (await stack.app.request(`/preferences/${people.a.tokens.preferences}/data`)).json();
    expect(data).toMatchObject({ person: { email: people.a.email, status: 'active' }, checklist: expect.arrayContaining([expect.objectContaining({ state: 'active' })]) });
  });

  it('POST /preferences: a line break in any field that reaches a reminder never becomes a header', async () => {
    const table = await watch(stack);
    const path = `/preferences/${people.b.tokens.preferences}`;
    const victim = testAddress('victim');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('platforms', 'timezone', 'locale'),
        fc.constantFrom(`\r\nBcc: ${victim}`, `\nBcc: ${victim}`, `\u2028Bcc: ${victim}`, `=?utf-8?Q?=0D=0ABcc:_${victim}?=`, `\r\n\r\nforged`),
        fc.constantFrom('json', 'form', 'multipart') as fc.Arbitrary<Body['type']>,
        async (field, payload, type) => {
          const fields: Record<string, string> = { platforms: 'instagram', timezone: 'Asia/Kolkata', locale: 'en', save: 'yes' };
          fields[field] = `${fields[field]}${payload}`;
          const label = `${field}=${JSON.stringify(fields[field])}`;
          const response = await send(stack.app, 'POST', path, { type, fields }, 'json');
          expect(response.status, label).toBeLessThan(500);
          if (response.status === 200) return table.accept();
          await expectExplained(response, label);
          await table.expectUnchanged(label);
        },
      ),
      { numRuns: RUNS.preferencesInjection },
    );
    // The reminders that follow carry what was stored: run the countdown through the 7-day step.
    const sentBefore = stack.transport.messages.length;
    for (let t = Date.parse('2025-05-18T18:00:00Z'); t <= Date.parse('2025-05-20T06:00:00Z'); t += 3_600_000) {
      time.set(new Date(t));
      if ((await stack.service.countdown.run()).queued > 0) await stack.deliverMail();
    }
    time.set(START);
    const reminders = stack.transport.messages.slice(sentBefore);
    expect(reminders.map((m) => m.to)).toContain(people.b.email);
    for (const mail of reminders) expectOnlyOurHeaders(mail.raw, mail.to);
    expect(await inbox(victim, stack.config.SES_ENDPOINT)).toHaveLength(0);
  });

  /** Every route behind a link, with the purpose its token must have. */
  const LINK_ROUTES: { method: 'GET' | 'POST'; path: (token: string) => string; purpose: TokenPurpose }[] = [
    { method: 'GET', path: (t) => `/confirm/${t}`, purpose: 'confirm' },
    { method: 'POST', path: (t) => `/confirm/${t}`, purpose: 'confirm' },
    { method: 'GET', path: (t) => `/objected/${t}`, purpose: 'objected' },
    { method: 'POST', path: (t) => `/objected/${t}`, purpose: 'objected' },
    { method: 'GET', path: (t) => `/unsubscribe/${t}`, purpose: 'unsubscribe' },
    { method: 'POST', path: (t) => `/unsubscribe/${t}`, purpose: 'unsubscribe' },
    { method: 'GET', path: (t) => `/preferences/${t}`, purpose: 'preferences' },
    { method: 'POST', path: (t) => `/preferences/${t}`, purpose: 'preferences' },
    { method: 'GET', path: (t) => `/preferences/${t}/data`, purpose: 'preferences' },
    { method: 'POST', path: (t) => `/preferences/${t}/delete`, purpose: 'preferences' },
  ];
  const linkBody = fc.option(
    fc.record({
      type: fc.constantFrom('json', 'form', 'multipart') as fc.Arbitrary<Body['type']>,
      // Mostly the pressed buttons' own names and values, which a valid token would act on: a
      // refusal must then come from the token, not from a missing button.
      fields: fc.oneof(
        { weight: 2, arbitrary: fc.constant({ 'List-Unsubscribe': 'One-Click' }) },
        { weight: 2, arbitrary: fc.constantFrom({ confirm: 'yes' }, { sent: 'yes', done: 'yes' }, { undo: 'yes' }, { scope: 'all' }, { scope: 'campaign' }, { delete: 'yes' }) },
        { weight: 1, arbitrary: fc.constant({ confirm: 'yes', sent: 'yes', scope: 'all', delete: 'yes' }) },
        { weight: 2, arbitrary: fc.record({ platforms: platformValue, timezone: timeZoneValue, save: fc.constant('yes') }) },
        { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), jsonJunk, { maxKeys: 3 }) },
      ),
    }),
    { nil: undefined },
  );
  const accepts = fc.constantFrom('json', 'html') as fc.Arbitrary<'json' | 'html'>;

  /** A refused link request: 4xx that says why, and nothing stored or sent. */
  async function expectRefused(table: Awaited<ReturnType<typeof watch>>, response: Response, label: string) {
    expect(response.status, label).toBeGreaterThanOrEqual(400);
    await expectExplained(response, label);
    await table.expectUnchanged(label);
  }

  it('links: a tampered or made-up token gets a 4xx on every route and changes nothing', async () => {
    const table = await watch(stack);
    const real = [people.a, people.b].flatMap((p) => Object.values(p.tokens)).concat(people.pending.confirm);
    const valid = new Set(real);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const char = fc.constantFrom(...`${alphabet}.=!~ %+/`);
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), char }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), char }),
    );
    const tampered = fc.tuple(fc.constantFrom(...real), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([token, edits]) =>
      edits.reduce((t, e) => {
        const at = e.at % (t.length + 1);
        if (e.kind === 'replace') return t.slice(0, at) + e.char + t.slice(at + 1);
        if (e.kind === 'insert') return t.slice(0, at) + e.char + t.slice(at);
        if (e.kind === 'delete') return t.slice(0, at) + t.slice(at + 1);
        return t.slice(0, at);
      }, token),
    );
    // Well-formed but unsigned: the right shape, any person, generation, campaign, platform and signature.
    const part = (length: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: length, maxLength: length });
    const madeUp = fc
      .tuple(
        fc.constantFrom('c', 'o', 'u', 'p', 'x'),
        fc.oneof(part(43), fc.constantFrom(people.a.id, people.b.id, people.pending.id)),
        fc.oneof(part(8), fc.constantFrom(people.a.generation, people.b.generation, people.pending.generation)),
        fc.constantFrom('', meta.id, 'linkedin-ai-2025'),
        fc.constantFrom('', 'facebook', 'threads'),
        part(22),
      )
      .map((parts) => parts.join('.'));
    const token = fc.oneof({ weight: 5, arbitrary: tampered }, { weight: 2, arbitrary: madeUp }, { weight: 1, arbitrary: junk });
    await fc.assert(
      fc.asyncProperty(token, fc.constantFrom(...LINK_ROUTES), linkBody, accepts, async (candidate, route, body, accept) => {
        // "." and ".." are path steps, not tokens: the URL would lead somewhere else.
        fc.pre(!valid.has(candidate) && candidate !== '.' && candidate !== '..');
        const path = route.path(encodeURIComponent(candidate));
        const label = `${route.method} ${path}`;
        const response = await send(stack.app, route.method, path, route.method === 'POST' ? body : undefined, accept);
        await expectRefused(table, response, label);
      }),
      { numRuns: RUNS.tokens },
    );
  });

  it('links: a token swapped between two people or generations, re-signed for another platform or campaign, or used for another purpose gets a 4xx and changes nothing', async () => {
    const { a, b, pending } = people;
    // The fuzzing above may have changed A's platforms: put back the two this test relies on.
    const reset = await send(stack.app, 'POST', `/preferences/${a.tokens.preferences}`, { type: 'form', fields: { platforms: ['facebook', 'instagram'], timezone: 'Europe/Berlin', save: 'yes' } }, 'json');
    expect(reset.status).toBe(200);
    const table = await watch(stack);
    type Parts = [code: string, personId: string, generation: string, campaignId: string, platform: string, signature: string];
    const parts = (token: string) => {
      const split = token.split('.');
      expect(split).toHaveLength(6);
      return split as Parts;
    };
    const sign = (
      purpose: TokenPurpose,
      person: { id: string; generation: string },
      target: { campaignId?: string; platform?: PlatformId } = {},
      secret = stack.config.SIGNING_SECRET,
    ) => signToken(secret, { purpose, personId: person.id, generation: person.generation, ...target });
    const cases: { label: string; token: string; routes: typeof LINK_ROUTES }[] = [];
    const routesFor = (purpose: TokenPurpose) => LINK_ROUTES.filter((r) => r.purpose === purpose);
    // A validly signed link of a person who is gone (or of an older generation of them) may still
    // unsubscribe or delete, harmlessly: nothing is left to change, so those routes answer 200.
    const refusingWhenGone = (purpose: TokenPurpose) => routesFor(purpose).filter((r) => r.purpose !== 'unsubscribe' && !r.path('x').endsWith('/delete'));
    for (const purpose of ['confirm', 'objected', 'unsubscribe', 'preferences'] as const) {
      const [codeA, idA, generationA, campaignA, platformA, signatureA] = parts(a.tokens[purpose]);
      const [, idB, generationB, , , signatureB] = parts(b.tokens[purpose]);
      const target = { ...(campaignA ? { campaignId: campaignA } : {}), ...(platformA ? { platform: platformA as PlatformId } : {}) };
      cases.push(
        { label: `${purpose}: A's claims with B's signature`, token: [codeA, idA, generationA, campaignA, platformA, signatureB].join('.'), routes: routesFor(purpose) },
        { label: `${purpose}: B's id with A's signature`, token: [codeA, idB, generationA, campaignA, platformA, signatureA].join('.'), routes: routesFor(purpose) },
        { label: `${purpose}: B's generation with A's signature`, token: [codeA, idA, generationB, campaignA, platformA, signatureA].join('.'), routes: routesFor(purpose) },
        { label: `${purpose}: signed with another secret`, token: sign(purpose, a, target, 'another-secret-0123456789abcdefghij'), routes: routesFor(purpose) },
      );
      if (purpose !== 'unsubscribe') {
        cases.push({ label: `${purpose}: signed for an older generation of A`, token: sign(purpose, { id: idA, generation: 'olderGen1' }, target), routes: refusingWhenGone(purpose) });
      }
      for (const other of ['confirm', 'objected', 'unsubscribe', 'preferences'] as const) {
        if (other === purpose) continue;
        cases.push({ label: `${purpose} token at the ${other} routes`, token: a.tokens[purpose], routes: routesFor(other) });
        const code = { confirm: 'c', objected: 'o', unsubscribe: 'u', preferences: 'p' }[other];
        cases.push({ label: `${purpose} token relabelled ${other}`, token: [code, idA, generationA, campaignA, platformA, signatureA].join('.'), routes: routesFor(other) });
      }
    }
    const [, idA, generationA, campaignA, , facebookSignature] = parts(a.tokens.objected);
    for (const platform of ['instagram', 'whatsapp', 'threads', '', 'FACEBOOK']) {
      cases.push({ label: `objected: platform changed to "${platform}"`, token: ['o', idA, generationA, campaignA, platform, facebookSignature].join('.'), routes: routesFor('objected') });
    }
    for (const campaign of ['meta-ai-2025', 'linkedin-ai-2025', 'META-AI-2025']) {
      cases.push({ label: `objected: campaign changed to "${campaign}"`, token: ['o', idA, generationA, campaign, 'facebook', facebookSignature].join('.'), routes: routesFor('objected') });
    }
    const [, , , unsubscribeCampaign, , unsubscribeSignature] = parts(a.tokens.unsubscribe);
    // A person's unsubscribe link names no campaign now: it ends everything.
    expect(unsubscribeCampaign).toBe('');
    cases.push(
      { label: 'unsubscribe: campaign changed', token: ['u', idA, generationA, 'linkedin-ai-2025', '', unsubscribeSignature].join('.'), routes: routesFor('unsubscribe') },
      { label: 'unsubscribe: a platform added', token: ['u', idA, generationA, unsubscribeCampaign, 'facebook', unsubscribeSignature].join('.'), routes: routesFor('unsubscribe') },
      { label: 'objected: signed for a platform A did not pick', token: sign('objected', a, { campaignId: meta.id, platform: 'threads' }), routes: routesFor('objected') },
      { label: 'objected: signed for a campaign A did not join', token: sign('objected', a, { campaignId: 'linkedin-ai-2025', platform: 'linkedin' }), routes: routesFor('objected') },
      { label: 'preferences: signed with a campaign', token: sign('preferences', a, { campaignId: meta.id }), routes: routesFor('preferences') },
      { label: 'signed for nobody', token: sign('preferences', { id: 'A'.repeat(43), generation: generationA }), routes: refusingWhenGone('preferences') },
      { label: 'objected: before confirming', token: sign('objected', pending, { campaignId: meta.id, platform: 'facebook' }), routes: routesFor('objected') },
      { label: 'preferences: before confirming', token: sign('preferences', pending), routes: routesFor('preferences').slice(0, 2) },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases).chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...c.routes))), linkBody, accepts, async ([c, route], body, accept) => {
        const path = route.path(c.token);
        const response = await send(stack.app, route.method, path, route.method === 'POST' ? body : undefined, accept);
        await expectRefused(table, response, `${c.label}: ${route.method} ${path}`);
      }),
      { numRuns: RUNS.swappedTokens },
    );
    // And the people behind the tokens are as they were.
    for (const person of [a, b]) {
      const response = await stack.app.request(`/preferences/${person.tokens.preferences}/data`);
      expect(await response.json()).toMatchObject({
        person: { email: person.email, status: 'active' },
        checklist: [
          { platform: 'facebook', state: 'active' },
          { platform: 'instagram', state: 'active' },
        ],
      });
    }
  });

  it('POST routes: any content type with any body never gets a 5xx, and a refusal changes nothing', async () => {
    const table = await watch(stack);
    const routes = [
      '/subscribe',
      `/preferences/${people.a.tokens.preferences}`,
      `/objected/${people.a.tokens.objected}`,
      `/confirm/${people.b.tokens.confirm}`,
      `/unsubscribe/${people.b.tokens.unsubscribe.slice(0, -1)}`,
    ];
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-16',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'multipart/form-data; boundary=xyz',
        'multipart/form-data; boundary=',
        'text/plain',
        'application/xml',
        'application/json, application/x-www-form-urlencoded',
      ),
      fc.string({ maxLength: 40 }),
    );
    const body = fc.oneof(
      junk,
      fc.json(),
      // The buttons' own values, so that some bodies get past the button check to the token.
      fc.constantFrom('confirm=yes', 'sent=yes&done=yes', 'undo=yes', 'scope=all', 'scope=campaign', '{"confirm":"yes","sent":"yes"}', '{"scope":"all"}', 'List-Unsubscribe=One-Click', 'save=yes&platforms=facebook&timezone=UTC'),
      fc.constantFrom('{"email":', '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.org\r\n--xyz--', '--xyz\r\n\r\n', 'email=%E0%A4%A&platforms=%', 'a=1&a=2&a[]=3&__proto__[x]=1'),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.option(contentType, { nil: undefined }), body, accepts, async (path, type, text, accept) => {
        const label = `POST ${path} ${type} ${JSON.stringify(text).slice(0, 200)}`;
        const response = await stack.app.request(path, {
          method: 'POST',
          headers: { Accept: accept === 'json' ? 'application/json' : 'text/html', ...(type === undefined ? {} : { 'Content-Type': type }) },
          body: text,
        });
        expect(response.status, label).toBeLessThan(500);
        if (response.status === 200) return table.accept();
        await expectExplained(response, label);
        await table.expectUnchanged(label);
      }),
      { numRuns: RUNS.bodies },
    );
  });

  it('any path, method and query: never a 5xx, and nothing but a valid POST changes anything', async () => {
    const table = await watch(stack);
    const segment = fc.oneof(fc.constantFrom('subscribe', 'confirm', 'objected', 'unsubscribe', 'preferences', 'data', 'delete', 'admin', 'stats', 'health', 'privacy', 'assets', 'site.css', '', '%00', '%2e%2e', '..'), fc.webSegment());
    const path = fc.array(segment, { minLength: 0, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
    const query = fc.option(fc.dictionary(fc.constantFrom('campaign', 'now', 'email', 'token', 'x'), fc.oneof(fc.constantFrom('meta-ai-2025', ''), fc.string({ maxLength: 30 })), { maxKeys: 3 }), { nil: undefined });
    const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(method, path, query, accepts, async (verb, where, params, accept) => {
        const url = params ? `${where}?${new URLSearchParams(params as Record<string, string>)}` : where;
        const label = `${verb} ${url}`;
        const response = await stack.app.request(url, { method: verb, headers: { Accept: accept === 'json' ? 'application/json' : 'text/html' } });
        expect(response.status, label).toBeLessThan(500);
        if (response.status >= 400 && verb !== 'HEAD') await expectExplained(response, label);
        await table.expectUnchanged(label);
      }),
      { numRuns: RUNS.paths },
    );
  });

  it('/admin/stats: any credentials but the admin token are refused (401, 400 when malformed, 429 once guesses are limited) and see no numbers', async () => {
    const table = await watch(stack);
    const token = stack.config.ADMIN_TOKEN;
    const near = fc.tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'aZ09-._~+/=')).map(([at, c]) => token.slice(0, at) + c + token.slice(at + 1));
    const credentials = fc.oneof(
      junk,
      junk.map((value) => `Bearer ${value}`),
      near.map((value) => `Bearer ${value}`),
      fc.constantFrom(token, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`, `Token ${token}`, 'Bearer', 'Bearer '),
    );
    await fc.assert(
      fc.asyncProperty(fc.option(credentials, { nil: undefined }), accepts, async (authorization, accept) => {
        fc.pre(authorization === undefined || !new RegExp(`^bearer +${token.replace(/[.+]/g, '\\$&')} *$`, 'i').test(authorization));
        const headers: Record<string, string> = { Accept: accept === 'json' ? 'application/json' : 'text/html' };
        // Header values cannot carry every character; a client that tried would not reach us.
        try {
          if (authorization !== undefined) new Headers({ Authorization: authorization });
        } catch {
          fc.pre(false);
        }
        if (authorization !== undefined) headers.Authorization = authorization;
        const response = await stack.app.request('/admin/stats', { headers });
        const label = `Authorization: ${authorization}`;
        expect([400, 401, 429], label).toContain(response.status);
        if (response.status === 429) expect(response.headers.get('retry-after'), label).toMatch(/^\d+$/);
        expect(await response.clone().text(), label).not.toContain('campaigns');
        await expectExplained(response, label);
        // A wrong Bearer token counts as a failed sign-in; nothing else may change.
        await table.expectUnchanged(label, { besideSignInCounters: true });
      }),
      { numRuns: RUNS.admin },
    );
    const allowed = await stack.app.request('/admin/stats', { headers: { Authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
  });
});

describe('oversized bodies', () => {
  it('get 413 with a reason on every POST route, whether or not the size is announced, and change nothing', async () => {
    const stack = await createTestStack({ clock: manualClock(START).clock });
    const welcome = await subscribeAndConfirm(stack, { email: testAddress('big'), platforms: ['facebook', 'instagram'], consent: 'yes' });
    const token = (kind: 'objected' | 'unsubscribe' | 'preferences') => linkIn(welcome, kind).split('/')[2]!;
    const routes = ['/subscribe', `/confirm/${token('preferences')}`, `/objected/${token('objected')}`, `/unsubscribe/${token('unsubscribe')}`, `/preferences/${token('preferences')}`, `/preferences/${token('preferences')}/delete`];
    const table = await watch(stack);
    const big = 'x'.repeat(stack.config.MAX_BODY_BYTES + 1);
    const bodies = {
      form: { type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ email: testAddress(), platforms: 'facebook', consent: 'yes', timezone: big }).toString() },
      json: { type: 'application/json', body: JSON.stringify({ email: testAddress(), platforms: ['facebook'], consent: true, locale: big, 'List-Unsubscribe': 'One-Click' }) },
      multipart: { type: 'multipart/form-data; boundary=b', body: `--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b\r\nContent-Disposition: form-data; name="pad"\r\n\r\n${big}\r\n--b--\r\n` },
    };
    for (const path of routes) {
      for (const [kind, { type, body }] of Object.entries(bodies)) {
        for (const streamed of [false, true]) {
          const label = `${path} ${kind}${streamed ? ' streamed, no Content-Length' : ''}`;
          const payload = streamed
            ? new ReadableStream({
                start(controller) {
                  for (let i = 0; i < body.length; i += 4096) controller.enqueue(new TextEncoder().encode(body.slice(i, i + 4096)));
                  controller.close();
                },
              })
            : body;
          const response = await stack.app.request(path, {
            method: 'POST',
            headers: { 'Content-Type': type, Accept: kind === 'json' ? 'application/json' : 'text/html' },
            body: payload,
            ...(streamed ? { duplex: 'half' } : {}),
          } as RequestInit);
          expect(response.status, label).toBe(413);
          if (kind === 'json') expect(await response.json(), label).toMatchObject({ code: 'body_too_large' });
          else expect(await response.text(), label).toContain('too much data');
          await table.expectUnchanged(label);
        }
      }
    }
  });
});
