/**
 * `npm run bench`: the service's speed and cost claims, each measured side by side with its
 * baseline in one run on the local stack, printed as a table and written to bench/results.md.
 * Not part of `npm test`: figures are for reading, not for failing a build on a noisy machine.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { campaigns } from '../functions/campaigns.js';
import { loadConfig } from '../functions/config.js';
import { TABLE_LAYOUT_VERSION, type Person } from '../functions/domain/person.js';
import { checklistOf, morningsOf } from '../functions/domain/checklist.js';
import { nextAfter } from '../functions/domain/schedule.js';
import { hashAddress } from '../functions/domain/token.js';
import { composeMessage } from '../functions/mail/compose.js';
import { morningEmail, type Reader } from '../functions/mail/emails.js';
import { platforms } from '../functions/platforms.js';
import { Links } from '../functions/mail/links.js';
import { createSesClient, SesTransport, type MailTransport } from '../functions/mail/send.js';
import type { MailComposer } from '../functions/app/mailer.js';
import { mailJobId, newMailJob } from '../functions/domain/mail-job.js';
import { MailJobs } from '../functions/store/mail-jobs.js';
import { sstBuildOptions } from '../scripts/lambda-bundle.js';
import { startLocalMailer } from '../scripts/local-mailer.js';
import { createService } from '../functions/app/composition-root.js';
import { runOptionsFrom, scheduleVersion } from '../functions/app/countdown-run.js';
import { createDynamoClient } from '../functions/store/client.js';
import { keys, shardOf, ttlOf } from '../functions/store/keys.js';
import { ensureTable } from '../functions/store/table.js';
import { freePort, startDynamo, startSes } from '../scripts/local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = new URL('..', import.meta.url).pathname;
// Other work on the machine slows some figures more than their baselines: say how busy it was.
const loadAtStart = loadavg()[0]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A reader who confirmed on 1 May 2025 and uses `list`, none done: what a morning email of Meta's countdown goes to. */
function benchReader(who: { id: string; email: string }, list: readonly ('facebook' | 'instagram' | 'whatsapp')[], now: Date): Reader {
  const at = '2025-05-01T10:00:00.000Z';
  const person = { id: who.id, generation: 'bench000', email: who.email, timeZone: 'Europe/Berlin', locale: 'en' as const, confirmedAt: at };
  return { person, checklist: checklistOf({ platforms: list.map((id) => ({ id, state: 'active' as const, askedAt: at, addedAt: at })) }, platforms, campaigns, now) };
}

interface Row {
  figure: string;
  measured: string;
  target: string;
  met: boolean | undefined;
}
const rows: Row[] = [];
const report = (row: Row) => {
  rows.push(row);
  console.log(`${row.met === undefined ? '·' : row.met ? '✓' : '✗'} ${row.figure}: ${row.measured} (target ${row.target})`);
};

/** `--only <section>` runs one section (render, enqueue, mailer, idle, bundles, signup) and writes no results file. */
const only = parseArgs({ options: { only: { type: 'string' } } }).values.only;
const wants = (section: string) => only === undefined || only === section;

/** Starts bench/signup-server.ts in its own process and waits until it listens. */
async function startSignupServer(kind: 'real' | 'bare', env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'signup-server.ts'), kind], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the ${kind} sign-up server exited (${code}) before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The form's body for one sign-up of `email`, as the browser posts it. */
const signupForm = (email: string) => new URLSearchParams({ email, platforms: 'facebook', timezone: 'Europe/Berlin', consent: 'yes' }).toString();

/** Form sign-ups for `seconds`, each for a new address, so every one is a real new sign-up. */
async function hammer(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  const tag = randomUUID().slice(0, 8);
  let sent = 0;
  return autocannon({
    url: `${url}/subscribe`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (request) => ({
          ...request,
          body: signupForm(`bench-${tag}-${sent++}@example.org`),
        }),
      },
    ],
  });
}

const [dynamo, ses] = await Promise.all([startDynamo({ port: await freePort() }), startSes({ port: await freePort() })]);
try {
  const env = {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SES_ENDPOINT: ses.endpoint,
    SIGNING_SECRET: randomBytes(32).toString('base64url'),
    ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    PUBLIC_URL: 'https://optout.example',
  };
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const db = createDynamoClient({ region: 'eu-central-1', endpoint: dynamo.endpoint });

  /**
   * Confirmed people written straight into the table, each using Facebook and Instagram, whose
   * next morning is at `dueAt` (or their real next morning), as confirming leaves them.
   */
  async function seed(tableName: string, count: number, confirmedAt: Date, shards: number, dueAt?: Date) {
    const secret = env.SIGNING_SECRET;
    const at = confirmedAt.toISOString();
    const retainUntil = new Date(confirmedAt.getTime() + 60 * 86_400_000);
    const items = Array.from({ length: count }, (_, i): Record<string, unknown>[] => {
      const email = `bench-${i}-${randomUUID().slice(0, 6)}@example.org`;
      const id = hashAddress(secret, email);
      const timeZone = i % 2 ? 'Europe/Berlin' : 'Europe/London';
      const shard = shardOf(id, shards);
      const person: Person = {
        id,
        generation: randomBytes(6).toString('base64url'),
        status: 'active',
        email,
        locale: 'en',
        timeZone,
        platforms: (['facebook', 'instagram'] as const).map((platform) => ({ id: platform, state: 'active' as const, askedAt: at, addedAt: at })),
        watch: false,
        consents: [{ kind: 'reminders', platforms: ['facebook', 'instagram'], at, textVersion: 'bench', method: 'web-form', confirmedAt: at }],
        createdAt: at,
        confirmedAt: at,
        retainUntil: retainUntil.toISOString(),
        version: 2,
        layout: TABLE_LAYOUT_VERSION,
      };
      const next = dueAt ?? nextAfter(morningsOf(person, platforms, campaigns, confirmedAt), confirmedAt)!.dueAt;
      return [
        { ...keys.person(id), ...person, ...keys.audience({ people: true }, shard, id), ttl: ttlOf(retainUntil) },
        { ...keys.mornings(id), handledUntil: at, ...keys.due(shard, next, id, 'mornings'), ttl: ttlOf(retainUntil) },
      ];
    }).flat();
    const batches: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < batches.length) {
          let pending: Record<string, unknown>[] | undefined = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
          while (pending && pending.length) {
            const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
            pending = result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
          }
        }
      }),
    );
  }

  /** Items whose pk starts with `prefix` and sort key with `sk`, counted by a scan. */
  async function countItems(tableName: string, prefix: string, sk: string) {
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: tableName,
          Select: 'COUNT',
          FilterExpression: 'begins_with(pk, :prefix) AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':prefix': prefix, ':sk': sk },
          ExclusiveStartKey,
        }),
      );
      count += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return count;
  }

  /** Mail jobs recorded sent, counted by a scan. */
  async function countSent(tableName: string) {
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: tableName, Select: 'COUNT', FilterExpression: 'begins_with(sk, :job) AND #status = :sent', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':job': 'JOB#', ':sent': 'sent' }, ExclusiveStartKey, ConsistentRead: true }),
      );
      count += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return count;
  }

  async function freshTable(shards = 8) {
    const tableName = `bench-${randomUUID()}`;
    await ensureTable(raw, tableName);
    return loadConfig({ ...env, TABLE_NAME: tableName, DUE_SHARDS: String(shards) });
  }

  // 1. Render plus compose, per email.
  if (wants('render')) {
    const links = new Links(env.PUBLIC_URL, env.SIGNING_SECRET);
    const email = 'a@example.org';
    const now = new Date('2025-05-19T07:00:00Z');
    const reader = benchReader({ id: hashAddress(env.SIGNING_SECRET, email), email }, ['facebook', 'instagram', 'whatsapp'], now);
    const morning = { id: '2025-05-19', dueAt: now, reasons: [] };
    const times: number[] = [];
    const renderTimes: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const started = process.hrtime.bigint();
      const rendered = morningEmail(reader, morning, links, now);
      const renderedAt = process.hrtime.bigint();
      await composeMessage(rendered, { from: 'optout <countdown@optout.example>', to: email, unsubscribeUrl: links.unsubscribe(reader.person) });
      if (i >= 500) {
        times.push(Number(process.hrtime.bigint() - started) / 1000);
        renderTimes.push(Number(renderedAt - started) / 1000);
      }
    }
    const us = median(times);
    const renderUs = median(renderTimes);
    report({
      figure: 'render + compose per email, median (of which render)',
      measured: `${us.toFixed(0)} µs (${renderUs.toFixed(0)} µs)`,
      target: '≤ 300 µs',
      met: us <= 300,
    });
  }

  // 2. The countdown run only enqueues: 100,000 due steps, each a mail job written in the transaction that moves it on.
  if (wants('enqueue')) {
    const count = Number(process.env.BENCH_DUE_STEPS ?? 100_000);
    const config = await freshTable();
    const seedStarted = performance.now();
    await seed(config.TABLE_NAME, count, new Date('2025-05-18T06:00:00Z'), config.DUE_SHARDS, new Date('2025-05-19T07:00:00Z'));
    const seeded = ((performance.now() - seedStarted) / 1000).toFixed(0);
    const now = new Date('2025-05-19T08:30:00Z');
    const service = createService(config, { clock: () => now });
    // The index was seeded for these schedules: record that, so the run measured only enqueues.
    for (const campaign of campaigns) await service.countdownStore.saveScheduleVersion(campaign.id, scheduleVersion(campaign));
    const budgetSeconds = config.SEND_DUE_BUDGET_SECONDS;
    const started = performance.now();
    const summary = await service.countdown.run(runOptionsFrom(config));
    const seconds = (performance.now() - started) / 1000;
    const jobs = await countItems(config.TABLE_NAME, 'PERSON#', 'JOB#');
    report({
      figure: `send-due enqueue of ${count.toLocaleString('en')} due steps (seeded in ${seeded} s): ${summary.queued.toLocaleString('en')} mail jobs written, ${summary.dynamo.requests.toLocaleString('en')} DynamoDB requests, time ÷ one run's budget`,
      measured: `${seconds.toFixed(0)} s ÷ ${budgetSeconds} s = ${(seconds / budgetSeconds).toFixed(2)}${summary.stoppedEarly ? ' (stopped at the budget)' : ''}`,
      target: '≤ 1, all written',
      met: !summary.stoppedEarly && summary.queued === count && jobs === count && seconds <= budgetSeconds,
    });
    // 200,000 items left behind slow DynamoDB Local's later writes into lock time-outs.
    await raw.send(new DeleteTableCommand({ TableName: config.TABLE_NAME }));
  }

  if (wants('mailer')) {
    const count = 600;
    const concurrency = 16;
    // The pacer is set far above what the emulator takes, so that the figure is the pipeline's own cost.
    const config = { ...(await freshTable()), MAIL_FALLBACK_SEND_RATE: 100_000, MAILER_INSTANCES: 1 };
    const links = new Links(env.PUBLIC_URL, env.SIGNING_SECRET);
    const now = new Date('2025-05-19T08:30:00Z');
    const jobs = Array.from({ length: count }, (_, i) => {
      const personId = `bench${i}-${randomUUID().slice(0, 8)}`;
      return newMailJob({ jobId: mailJobId.morning(personId, 'bench000', '2025-05-19'), kind: 'morning', personId, stepId: '2025-05-19', now });
    });
    // The same messages for both: composed once, before either is timed.
    const messages = new Map<string, { to: string; raw: Buffer }>();
    for (const job of jobs) {
      const to = `${job.personId}@example.org`;
      const reader = benchReader({ id: job.personId, email: to }, ['facebook', 'instagram'], now);
      messages.set(job.jobId, {
        to,
        raw: await composeMessage(morningEmail(reader, { id: '2025-05-19', dueAt: now, reasons: [] }, links, now), { from: config.MAIL_FROM, to, unsubscribeUrl: links.unsubscribe(reader.person) }),
      });
    }
    const composer: MailComposer = { compose: async (job) => messages.get(job.jobId) ?? { drop: 'not_needed' } };

    const rawTransport = new SesTransport(createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint }), { attempts: 1 });
    const queue = [...messages.values()];
    const rawStarted = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let message = queue.shift(); message; message = queue.shift()) await rawTransport.sendRaw(message.raw);
    }));
    const rawRate = count / ((performance.now() - rawStarted) / 1000);

    // Every request the mailer's DynamoDB client makes is counted (the stream's GetRecords are the Streams API's).
    const mailerDb = createDynamoClient({ region: 'eu-central-1', endpoint: dynamo.endpoint });
    let requests = 0;
    mailerDb.middlewareStack.add((next) => (args) => ((requests += 1), next(args)), { step: 'initialize', name: 'countRequests' });
    const store = new MailJobs(db, config.TABLE_NAME);
    for (let i = 0; i < jobs.length; i += 10) await Promise.all(jobs.slice(i, i + 10).map((job) => store.enqueue(job)));
    let sent = 0;
    let allSent: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allSent = resolve));
    const ses2 = createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint });
    const inner = new SesTransport(ses2, { attempts: 1 });
    const transport: MailTransport = {
      sendRaw: async (raw, options) => {
        const result = await inner.sendRaw(raw, options);
        if (++sent === count) allSent();
        return result;
      },
    };
    const mailerStarted = performance.now();
    const mailer = await startLocalMailer(config, { composer, transport, pollMs: 20, db: mailerDb });
    await done;
    const mailerSeconds = (performance.now() - mailerStarted) / 1000;
    // The last marks sent land just after the last send.
    for (let waited = 0; waited < 5000 && (await countSent(config.TABLE_NAME)) < count; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await mailer.stop();
    const recorded = await countSent(config.TABLE_NAME);
    const mailerRate = count / mailerSeconds;
    const ratio = mailerRate / rawRate;
    report({
      figure: `mailer (DynamoDB Local stream → claim → SendRawEmail → mark sent; ${count} jobs, ${recorded} recorded sent) ÷ raw SendRawEmail of the same messages, ${concurrency} at once`,
      measured: `${mailerRate.toFixed(0)}/s ÷ ${rawRate.toFixed(0)}/s = ${ratio.toFixed(2)}`,
      target: '≥ 0.8',
      met: ratio >= 0.8 && recorded === count,
    });
    const perEmail = requests / count;
    report({
      figure: 'mailer DynamoDB requests per email sent (claim, mark sent, and the once-a-second wake-up queries of the run)',
      measured: `${requests} ÷ ${count} = ${perEmail.toFixed(2)}`,
      target: '≤ 3',
      met: perEmail <= 3,
    });
  }

  // 3. A run with nothing due: its cost at 100,000 subscribers against 1,000.
  if (wants('idle')) {
    const config = await freshTable();
    const later = new Date('2025-05-19T07:00:00Z');
    const now = new Date('2025-05-10T12:00:00Z');
    const service = createService(config, { clock: () => now });
    await seed(config.TABLE_NAME, 1000, new Date('2025-05-01T06:00:00Z'), config.DUE_SHARDS, later);
    // Every campaign's schedule is current, so neither run re-times anything.
    for (const campaign of campaigns) await service.countdownStore.saveScheduleVersion(campaign.id, scheduleVersion(campaign));
    const small = await service.countdown.run();
    const seedStarted = performance.now();
    await seed(config.TABLE_NAME, 99_000, new Date('2025-05-01T06:00:00Z'), config.DUE_SHARDS, later);
    const seeded = ((performance.now() - seedStarted) / 1000).toFixed(0);
    const large = await service.countdown.run();
    const requests = large.dynamo.requests / small.dynamo.requests;
    report({
      figure: `idle send-due run, 100,000 ÷ 1,000 subscribers: DynamoDB requests (seeded in ${seeded} s)`,
      measured: `${large.dynamo.requests} ÷ ${small.dynamo.requests} = ${requests.toFixed(2)}`,
      target: '1.0',
      met: requests === 1,
    });
    const capacity = small.dynamo.readCapacity === 0 ? Number.NaN : large.dynamo.readCapacity / small.dynamo.readCapacity;
    report({
      figure: 'idle send-due run, 100,000 ÷ 1,000 subscribers: consumed read capacity (as DynamoDB Local reports it)',
      measured: `${large.dynamo.readCapacity} ÷ ${small.dynamo.readCapacity} = ${capacity.toFixed(2)}`,
      target: '1.0',
      met: capacity === 1,
    });
  }

  // 4. Bundles as SST deploys them (scripts/lambda-bundle.ts: the AWS SDK inside, minified, SST's
  // banner): size, and cold import time against a bare Hono handler bundled the same way.
  if (wants('bundles')) {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { cwd: root, stdio: 'ignore' });
    const dir = mkdtempSync(join(tmpdir(), 'bench-bare-'));
    const bareEntry = join(dir, 'bare.ts');
    // The bare handler loads the same AWS clients as ours, so the ratio is what our code adds.
    writeFileSync(
      bareEntry,
      [
        "import { Hono } from 'hono';",
        "import { handle } from 'hono/aws-lambda';",
        "import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
        "import { SESClient } from '@aws-sdk/client-ses';",
        "const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));",
        "const ses = new SESClient({ region: 'eu-central-1' });",
        "const app = new Hono();",
        "app.get('/', (c) => c.text(String(Boolean(db && ses))));",
        'export const handler = handle(app);',
      ].join('\n'),
    );
    const bare = join(root, 'dist', 'bare-hono.mjs');
    await build({ ...sstBuildOptions({ entry: bareEntry, outfile: bare }), nodePaths: [join(root, 'node_modules')] });
    const importMs = (file: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const result = spawnSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`], {
          cwd: root,
          env: { ...process.env, ...env, TABLE_NAME: 'bench' },
          encoding: 'utf8',
        });
        times.push(Number(result.stdout.trim().split('\n').at(-1)));
      }
      return median(times);
    };
    const bareMs = importMs(bare);
    const bareKb = statSync(bare).size / 1024;
    const limits: Record<string, number> = { api: 200, mailer: 350, 'send-due': 400, 'ses-feedback': Number.POSITIVE_INFINITY };
    for (const name of ['api', 'mailer', 'send-due', 'ses-feedback']) {
      const file = join(root, 'dist', `${name}.mjs`);
      const kb = statSync(file).size / 1024;
      const limit = limits[name]!;
      report({ figure: `${name} bundle size`, measured: `${kb.toFixed(0)} KB`, target: Number.isFinite(limit) ? `≤ ${limit} KB` : '—', met: Number.isFinite(limit) ? kb <= limit : undefined });
      const ms = importMs(file);
      report({
        figure: `${name} cold import ÷ bare Hono handler loading the same AWS clients (${bareKb.toFixed(0)} KB)`,
        measured: `${ms.toFixed(0)} ms ÷ ${bareMs.toFixed(0)} ms = ${(ms / bareMs).toFixed(1)}×`,
        target: '≤ 1.5×',
        met: ms / bareMs <= 1.5,
      });
    }
  }

  // 5. Sign-ups over HTTP: the real server against a bare Hono route doing one PutItem, same DynamoDB Local.
  if (wants('signup')) {
    const config = await freshTable();
    const serverEnv = {
      ...env,
      TABLE_NAME: config.TABLE_NAME,
      // The per-IP limit would answer 429 to one client.
      IP_SIGNUP_LIMIT: '100000000',
    };
    const [real, bare] = await Promise.all([startSignupServer('real', serverEnv), startSignupServer('bare', serverEnv)]);
    try {
      const connections = 16;
      // Warm both up (JIT, connection pools, DynamoDB Local's own warm-up), then measure one after the other.
      await hammer(bare.url, 3, connections);
      const realWarmUp = await hammer(real.url, 3, connections);
      const bareResult = await hammer(bare.url, 10, connections);
      const realResult = await hammer(real.url, 10, connections);
      const rate = (r: autocannon.Result) => r['2xx'] / r.duration;
      const refused = realResult.non2xx + realResult.errors + realResult.timeouts + bareResult.non2xx + bareResult.errors + bareResult.timeouts;
      const ratio = rate(realResult) / rate(bareResult);
      // Every answered sign-up must be a stored one, or the figure measures something else. Up to one
      // request per connection per run was still in flight when autocannon stopped: stored, not counted.
      const stored = await countItems(config.TABLE_NAME, 'PERSON#', keys.person('').sk);
      const answered = realWarmUp['2xx'] + realResult['2xx'];
      if (stored < answered || stored > answered + 2 * connections) throw new Error(`${answered} sign-ups answered 200 but ${stored} were stored`);
      const spread = realResult.latency.p99 / Math.max(realResult.latency.p50, 1);
      report({
        figure: `sign-up throughput (new address each, its confirmation written as a mail job, ${connections} connections, 10 s) ÷ bare Hono PutItem route${refused ? `; ${refused} requests failed` : ''}`,
        measured: `${rate(realResult).toFixed(0)}/s ÷ ${rate(bareResult).toFixed(0)}/s = ${ratio.toFixed(2)}`,
        target: '≥ 0.7',
        met: ratio >= 0.7 && refused === 0,
      });
      report({
        figure: 'sign-up latency p99 ÷ p50 (same run)',
        measured: `${realResult.latency.p99} ms ÷ ${realResult.latency.p50} ms = ${spread.toFixed(1)}`,
        target: '≤ 3',
        met: spread <= 3 && refused === 0,
      });
      // A known address against a new one, one request at a time and interleaved, so that both
      // meet the same machine: the difference is what timing could tell a stranger.
      const timedSignup = async (email: string) => {
        const started = performance.now();
        const response = await fetch(`${real.url}/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: signupForm(email),
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`a timed sign-up answered ${response.status}`);
        return performance.now() - started;
      };
      const tag = randomUUID().slice(0, 8);
      const known = Array.from({ length: 20 }, (_, i) => `bench-known-${tag}-${i}@example.org`);
      for (const email of known) await timedSignup(email);
      const fresh: number[] = [];
      const repeated: number[] = [];
      for (let i = 0; i < 400; i++) {
        fresh.push(await timedSignup(`bench-timed-${tag}-${i}@example.org`));
        repeated.push(await timedSignup(known[i % known.length]!));
      }
      const knownRatio = median(repeated) / median(fresh);
      report({
        figure: 'sign-up latency of a known (pending) address ÷ a new one, median of 400 each, interleaved, one at a time',
        measured: `${median(repeated).toFixed(2)} ms ÷ ${median(fresh).toFixed(2)} ms = ${knownRatio.toFixed(2)}`,
        target: '0.9–1.1',
        met: knownRatio >= 0.9 && knownRatio <= 1.1,
      });
    } finally {
      await Promise.all([real.stop(), bare.stop()]);
    }
  }


  if (only) {
    console.log(`\n--only ${only}: bench/results.md left as it was.`);
  } else {
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end`;
    const table = [
      '| figure | measured | target | met |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.figure} | ${r.measured} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`),
    ].join('\n');
    writeFileSync(join(root, 'bench', 'results.md'), `# Benchmark results\n\nMachine: ${machine}. Measured by \`npm run bench\` on the local stack (DynamoDB Local, SES emulator), all in one run.\n\n${table}\n`);
    console.log(`\nMachine: ${machine}\n\n${table}\n\nWritten to bench/results.md`);
  }
} finally {
  await Promise.all([dynamo.stop(), ses.stop()]);
}
