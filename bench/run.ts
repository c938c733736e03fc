/**
 * `npm run bench`: the service's speed and cost claims, each measured side by side with its
 * baseline in one run on the local stack, printed as a table and written to bench/results.md.
 * Not part of `npm test`: figures are for reading, not for failing a build on a noisy machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { campaigns } from '../functions/campaigns.js';
import { loadConfig } from '../functions/config.js';
import { countdownStartFor, nextStepAfter, stepsFor } from '../functions/domain/schedule.js';
import { hashAddress } from '../functions/domain/token.js';
import { composeMessage } from '../functions/mail/compose.js';
import { countdownEmail, Links } from '../functions/mail/emails.js';
import { createSesClient, SesTransport } from '../functions/mail/send.js';
import { createService } from '../functions/service.js';
import { scheduleVersion } from '../functions/countdown.js';
import { createDynamoClient } from '../functions/store/client.js';
import { dueShardOf, keys } from '../functions/store/keys.js';
import { ensureTable } from '../functions/store/table.js';
import { freePort, startDynamo, startSes } from '../scripts/local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = new URL('..', import.meta.url).pathname;
const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

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

  /** Confirmed subscribers written straight into the table, next step at `dueAt` (or their real next step). */
  async function seed(tableName: string, count: number, confirmedAt: Date, shards: number, dueAt?: Date) {
    const secret = env.SIGNING_SECRET;
    const items = Array.from({ length: count }, (_, i) => {
      const id = randomBytes(16).toString('base64url');
      const email = `bench-${i}-${randomUUID().slice(0, 6)}@example.org`;
      const timeZone = i % 2 ? 'Europe/Berlin' : 'Europe/London';
      const start = countdownStartFor(confirmedAt);
      const next = dueAt ?? nextStepAfter(stepsFor(meta, timeZone), start)!.dueAt;
      return {
        ...keys.subscriber(id),
        ...keys.due(dueShardOf(id, shards), next, id),
        id,
        campaignId: meta.id,
        email,
        addressHash: hashAddress(secret, email),
        state: 'confirmed',
        platforms: ['facebook', 'instagram'],
        objections: {},
        timeZone,
        locale: 'en',
        consent: { at: confirmedAt.toISOString(), textVersion: 'bench', method: 'web-form' },
        createdAt: confirmedAt.toISOString(),
        confirmedAt: confirmedAt.toISOString(),
        handledUntil: start.toISOString(),
      };
    });
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

  async function freshTable(shards = 8) {
    const tableName = `bench-${randomUUID()}`;
    await ensureTable(raw, tableName);
    return loadConfig({ ...env, TABLE_NAME: tableName, DUE_SHARDS: String(shards) });
  }

  // 1. Render plus compose, per email.
  {
    const links = new Links(env.PUBLIC_URL, env.SIGNING_SECRET);
    const subscriber = { id: 'AAAAAAAAAAAAAAAAAAAAAA', email: 'a@example.org', platforms: ['facebook', 'instagram', 'whatsapp'] as const, objections: {}, timeZone: 'Europe/Berlin', locale: 'en' as const, confirmedAt: '2025-05-01T10:00:00.000Z' };
    const now = new Date('2025-05-19T07:00:00Z');
    const times: number[] = [];
    const renderTimes: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const started = process.hrtime.bigint();
      const email = countdownEmail(meta, { ...subscriber, platforms: [...subscriber.platforms] }, links, now, 'reminder');
      const rendered = process.hrtime.bigint();
      await composeMessage(email, { from: 'optout <countdown@optout.example>', to: subscriber.email, unsubscribeUrl: links.to('unsubscribe', subscriber.id) });
      if (i >= 500) {
        times.push(Number(process.hrtime.bigint() - started) / 1000);
        renderTimes.push(Number(rendered - started) / 1000);
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

  // 2. The scheduler's pipeline against raw SendRawEmail of the same MIME to the same endpoint.
  {
    const count = 600;
    const config = await freshTable();
    const confirmedAt = new Date('2025-05-18T06:00:00Z');
    await seed(config.TABLE_NAME, count, confirmedAt, config.DUE_SHARDS, new Date('2025-05-19T07:00:00Z'));
    const now = new Date('2025-05-19T08:30:00Z');
    const service = createService(config, { clock: () => now });
    // The index was seeded for this schedule: record that, so the run measured only sends.
    await service.countdownStore.saveScheduleVersion(meta.id, scheduleVersion(meta));
    const started = performance.now();
    const summary = await service.countdown.run();
    const pipelineSeconds = (performance.now() - started) / 1000;
    const pipelineRate = summary.sent / pipelineSeconds;

    const transport = new SesTransport(createSesClient({ region: 'eu-central-1', endpoint: ses.endpoint }));
    const links = new Links(env.PUBLIC_URL, env.SIGNING_SECRET);
    const mime = await composeMessage(
      countdownEmail(meta, { id: 'AAAAAAAAAAAAAAAAAAAAAA', platforms: ['facebook', 'instagram'], objections: {}, timeZone: 'Europe/Berlin', locale: 'en', confirmedAt: confirmedAt.toISOString() }, links, now, 'reminder'),
      { from: config.MAIL_FROM, to: 'raw@example.org', unsubscribeUrl: links.to('unsubscribe', 'AAAAAAAAAAAAAAAAAAAAAA') },
    );
    // The same concurrency the run uses: 4 shards at once, 8 subscribers each.
    let sent = 0;
    const rawStarted = performance.now();
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (sent < count) {
        sent++;
        await transport.sendRaw(mime);
      }
    }));
    const rawRate = count / ((performance.now() - rawStarted) / 1000);
    const ratio = pipelineRate / rawRate;
    report({
      figure: `send-due pipeline ÷ raw SendRawEmail (${count} emails, ${summary.sent} sent)`,
      measured: `${pipelineRate.toFixed(0)}/s ÷ ${rawRate.toFixed(0)}/s = ${ratio.toFixed(2)}`,
      target: '≥ 0.8',
      met: ratio >= 0.8,
    });
  }

  // 3. A run with nothing due: its cost at 100,000 subscribers against 1,000.
  {
    const config = await freshTable();
    const later = new Date('2025-05-19T07:00:00Z');
    const now = new Date('2025-05-10T12:00:00Z');
    const service = createService(config, { clock: () => now });
    await seed(config.TABLE_NAME, 1000, new Date('2025-05-01T06:00:00Z'), config.DUE_SHARDS, later);
    await service.countdownStore.saveScheduleVersion(meta.id, scheduleVersion(meta));
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

  // 4. Bundles: size, and cold import time against a bare Hono handler bundled the same way.
  {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { cwd: root, stdio: 'ignore' });
    const dir = mkdtempSync(join(tmpdir(), 'bench-bare-'));
    const bareEntry = join(dir, 'bare.ts');
    writeFileSync(bareEntry, "import { Hono } from 'hono';\nimport { handle } from 'hono/aws-lambda';\nconst app = new Hono();\napp.get('/', (c) => c.text('ok'));\nexport const handler = handle(app);\n");
    const bare = join(root, 'dist', 'bare-hono.mjs');
    await build({ entryPoints: [bareEntry], outfile: bare, bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node20', nodePaths: [join(root, 'node_modules')] });
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
    const limits: Record<string, number> = { api: 250, 'send-due': 400, 'ses-feedback': Number.POSITIVE_INFINITY };
    for (const name of ['api', 'send-due', 'ses-feedback']) {
      const file = join(root, 'dist', `${name}.mjs`);
      const kb = statSync(file).size / 1024;
      const limit = limits[name]!;
      report({ figure: `${name} bundle size`, measured: `${kb.toFixed(0)} KB`, target: Number.isFinite(limit) ? `≤ ${limit} KB` : '—', met: Number.isFinite(limit) ? kb <= limit : undefined });
      const ms = importMs(file);
      report({
        figure: `${name} cold import ÷ bare Hono handler (${bareKb.toFixed(0)} KB)`,
        measured: `${ms.toFixed(0)} ms ÷ ${bareMs.toFixed(0)} ms = ${(ms / bareMs).toFixed(1)}×`,
        target: '≤ 2×',
        met: ms / bareMs <= 2,
      });
    }
  }

  report({ figure: 'sign-up throughput ÷ bare Hono PutItem route, p99 ÷ p50', measured: 'not measured yet', target: '≥ 0.7; ≤ 3', met: undefined });

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const table = [
    '| figure | measured | target | met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.figure} | ${r.measured} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`),
  ].join('\n');
  writeFileSync(join(root, 'bench', 'results.md'), `# Benchmark results\n\nMachine: ${machine}. Measured by \`npm run bench\` on the local stack (DynamoDB Local, SES emulator), all in one run.\n\n${table}\n`);
  console.log(`\nMachine: ${machine}\n\n${table}\n\nWritten to bench/results.md`);
} finally {
  await Promise.all([dynamo.stop(), ses.stop()]);
}
