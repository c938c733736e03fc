import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { MailComposer } from '../../functions/app/mailer.js';
import { testComposer } from './test-composer.js';
import type { Clock } from '../../functions/clock.js';
import { loadConfig, type Config } from '../../functions/config.js';
import { MailJob, mailJobId, newMailJob } from '../../functions/domain/mail-job.js';
import type { MailTransport } from '../../functions/mail/send.js';
import { keys } from '../../functions/store/keys.js';
import type { MailJobs } from '../../functions/store/mail-jobs.js';
import { startLocalMailer, type LocalMailer } from '../../scripts/local-mailer.js';
import { createFileTable } from './stack.js';

export { testComposer };

/** The configuration of a mailer test: its own table, the shared DynamoDB Local, an SES endpoint. */
export function mailerConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    TABLE_NAME: `mailer-${randomUUID()}`,
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    MAILER_INSTANCES: '1',
    ...env,
  });
}

/** Creates the test's table (with its stream) on DynamoDB Local. */
export async function createMailerTable(config: Config): Promise<void> {
  const dynamo = new DynamoDBClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createFileTable(dynamo, config, { stream: true });
  dynamo.destroy();
}

/**
 * Starts the local mailer (DynamoDB Local's stream poller and the Mailer) on a stack's table.
 * Stop it at the end of the test.
 *
 * @example
 * const mailer = await startMailer(stack);
 */
export function startMailer(
  stack: { config: Config },
  options: { composer?: MailComposer; transport?: MailTransport; clock?: Clock } = {},
): Promise<LocalMailer> {
  return startLocalMailer(stack.config, {
    composer: options.composer ?? testComposer,
    pollMs: 50,
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/** `count` confirmation jobs for fresh people; each person's address is `<personId>@example.org`. */
export function someJobs(count: number, label = 'p'): MailJob[] {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i) => {
    const personId = `${label}-${run}-${i}`;
    return newMailJob({ jobId: mailJobId.confirm(personId, 'g1', 1), kind: 'confirm', personId, now: new Date() });
  });
}

/** Writes jobs `atOnce` at a time, as producers under a spike would. */
export async function enqueueAll(jobs: MailJobs, all: readonly MailJob[], atOnce = 50): Promise<void> {
  for (let i = 0; i < all.length; i += atOnce) await Promise.all(all.slice(i, i + atOnce).map((job) => jobs.enqueue(job)));
}

/** The job as it is in the table now. */
export async function readJob(db: DynamoDBDocumentClient, config: Config, jobId: string): Promise<MailJob | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.TABLE_NAME, Key: keys.mailJob(jobId), ConsistentRead: true }));
  return Item ? MailJob.parse(Item) : undefined;
}

/**
 * Waits until every one of `jobs` is recorded sent, reading only those not seen sent yet: a sent
 * job stays sent (no mailer claims it again). Returns whether all were within `timeoutMs`.
 */
export async function allSent(db: DynamoDBDocumentClient, config: Config, jobs: readonly MailJob[], timeoutMs: number, everyMs = 100): Promise<boolean> {
  let left = jobs.map((job) => job.jobId);
  return eventually(async () => {
    const statuses = await Promise.all(left.map(async (jobId) => (await readJob(db, config, jobId))?.status));
    left = left.filter((_, i) => statuses[i] !== 'sent');
    return left.length === 0;
  }, timeoutMs, everyMs);
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
