/**
 * `npm run dev`: DynamoDB Local, the SES emulator with its inbox, and the API on localhost.
 * `--now <ISO instant>` starts the app's clock there and lets it run on, to try a past campaign.
 */
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { clockStartingAt, systemClock } from '../functions/clock.js';
import { createNewsletterSender } from '../functions/app/newsletter-send.js';
import { createService } from '../functions/app/composition-root.js';
import { ensureTable } from '../functions/store/table.js';
import { createApp } from '../functions/web/app.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mailComposerOf } from '../functions/app/mail-composer.js';
import { newsletterIssues } from '../functions/newsletter-issues.js';
import { startLocalMailer } from './local-mailer.js';
import { LocalStackEnv, localConfig, nowOption, startDynamo, startSes, type RunningDynamo, type RunningSes } from './local-stack.js';

/** What to stop on Ctrl-C, or when start-up fails half-way: never leave Java running. */
const stops: Array<() => Promise<void>> = [];
const stopAll = async () => {
  for (const stop of stops) await stop().catch(() => undefined);
};

async function main() {
  // The SDK's notice about its future Node 22 requirement is noise for a local run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ports = LocalStackEnv.parse(process.env);
  const start = nowOption();
  const dataDir = resolve(ports.DATA_DIR);

  let dynamo: RunningDynamo | undefined;
  let ses: RunningSes | undefined;
  if (!process.env.DYNAMODB_ENDPOINT) {
    dynamo = await startDynamo({ port: ports.DYNAMODB_PORT, dataDir: resolve(dataDir, 'dynamodb') });
    stops.push(dynamo.stop);
  }
  if (!process.env.SES_ENDPOINT) {
    ses = await startSes({ port: ports.SES_PORT });
    stops.push(ses.stop);
  }
  const config = localConfig(ports);
  const dynamoClient = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Under --now, DynamoDB Local's real-time TTL would delete what the simulated clock still keeps.
  await ensureTable(dynamoClient, config.TABLE_NAME, { timeToLive: !start });
  dynamoClient.destroy();

  const clock = start ? clockStartingAt(start) : systemClock;
  const service = createService(config, { clock });
  // The mailer drains mail jobs from DynamoDB Local's stream, as the Lambda does in AWS.
  const mailer = await startLocalMailer(config, { composer: mailComposerOf(service, newsletterIssues), clock });
  stops.unshift(mailer.stop);
  const app = createApp({ ...service, newsletters: createNewsletterSender(service, config), config, clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown' });
  const server = serve({ fetch: app.fetch, port: ports.PORT });
  await new Promise<void>((listening, failed) => {
    server.once('listening', listening);
    server.once('error', (error: NodeJS.ErrnoException) =>
      failed(new Error(error.code === 'EADDRINUSE' ? `Port ${ports.PORT} is already in use: set PORT to another one.` : error.message)),
    );
  });
  stops.unshift(() => new Promise<void>((done) => server.close(() => done())));

  console.log(`optout-countdown is running${start ? ` (clock starts at ${start.toISOString()})` : ''}:
  Sign-up form     http://localhost:${ports.PORT}
  Inbox (SES)      ${config.SES_ENDPOINT}${ses ? '' : ' (external)'}
  DynamoDB         ${config.DYNAMODB_ENDPOINT}${dynamo ? ` (data in ${dataDir})` : ' (external)'}
  Mailer           draining mail jobs from the table's stream at ${config.MAIL_FALLBACK_SEND_RATE}/s
  Operator page    http://localhost:${ports.PORT}/admin (sign in with the admin token below)
  Admin stats      curl -H "Authorization: Bearer ${config.ADMIN_TOKEN}" http://localhost:${ports.PORT}/admin/stats
Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stopAll();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
});
