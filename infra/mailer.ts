import { HANDLERS } from './bundling';
import { email } from './email';
import { secrets } from './secrets';
import { mailFrom } from './stage';
import { table } from './storage';

/**
 * Mailer instances at most: the Lambda's reserved concurrency, and what each instance divides
 * SES's MaxSendRate by (MAILER_INSTANCES in functions/config.ts), so that together they keep to it.
 */
const MAILER_INSTANCES = 2;

/**
 * The slowest SES sending rate the mailer meets: the sandbox's 1 message a second (production
 * access starts at 14). Each instance sends at this ÷ MAILER_INSTANCES.
 */
const SLOWEST_SES_RATE = 1;

/** Jobs per stream batch: at most 100 (DynamoDB Streams' default), fewer only if a batch could not finish in 15 minutes. */
const BATCH_SIZE = 100;

/**
 * A batch's time at the slowest rate (100 jobs at 0.5 a second take 200 s), plus the mailer's
 * longest wait in place for a job due again (MAIL_INLINE_WAIT_MS, 10 s) and 30 s for the reads,
 * writes and the wake-ups after the batch: 240 s. Sized from the rate, so that no batch times out
 * in the sandbox (where 2 minutes timed every full batch out) and is retried for nothing.
 */
const MAILER_TIMEOUT_SECONDS = Math.ceil(BATCH_SIZE / (SLOWEST_SES_RATE / MAILER_INSTANCES)) + 10 + 30;

/**
 * Stream batches the mailer failed on after Lambda's retries. A message holds only the batch's
 * shard and sequence numbers, never the jobs, so it cannot be redriven: the jobs stay in the table,
 * queued or claimed, and MailSweep below hands them to the mailer again.
 */
export const mailerDeadLetters = new sst.aws.Queue('MailerDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

const mailerEnvironment = {
  TABLE_NAME: table.name,
  MAIL_FROM: mailFrom,
  MAILER_INSTANCES: String(MAILER_INSTANCES),
};

/**
 * Drains mail jobs from the table's stream: only new images of job items that are queued reach
 * it (the filter below is the one `queuedJobIdOf` applies locally). It reports batch item
 * failures, so one bad job does not hold the rest of its batch.
 */
export const mailer = table.subscribe(
  'Mailer',
  {
    handler: HANDLERS.mailer,
    link: [table, email, ...secrets],
    environment: mailerEnvironment,
    memory: '512 MB',
    timeout: `${MAILER_TIMEOUT_SECONDS} seconds` as const,
    concurrency: { reserved: MAILER_INSTANCES },
    permissions: [
      // GetSendQuota has no resource of its own; the Email link covers SendRawEmail.
      { actions: ['ses:GetSendQuota'], resources: ['*'] },
      { actions: ['sqs:SendMessage'], resources: [mailerDeadLetters.arn] },
    ],
  },
  {
    filters: [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'PERSON#' }] }, sk: { S: [{ prefix: 'JOB#' }] } }, NewImage: { status: { S: ['queued'] } } } }],
    transform: {
      eventSourceMapping: (args) => {
        args.batchSize = BATCH_SIZE;
        args.maximumBatchingWindowInSeconds = 0;
        args.parallelizationFactor = MAILER_INSTANCES;
        args.functionResponseTypes = ['ReportBatchItemFailures'];
        args.bisectBatchOnFunctionError = true;
        args.maximumRetryAttempts = 10;
        // A stream keeps 24 hours: start from its oldest record, so that a first deploy misses no job.
        args.startingPosition = 'TRIM_HORIZON';
        args.destinationConfig = { onFailure: { destinationArn: mailerDeadLetters.arn } };
      },
    },
  },
);

/**
 * Once a minute, touches the jobs whose backoff or dead claim is over (their wake-up items), so
 * that the stream brings them to the mailer again even when no other job is being written.
 */
export const mailerWake = new sst.aws.CronV2('MailerWake', {
  schedule: 'rate(1 minute)',
  function: {
    handler: HANDLERS['mailer-wake'],
    link: [table, ...secrets],
    environment: mailerEnvironment,
    memory: '256 MB',
    timeout: '50 seconds',
  },
});

/**
 * Every 15 minutes, hands the mail jobs a lost stream record left behind (unsettled for over
 * MAIL_SWEEP_AFTER_MINUTES, 30, since they were last handed over) to the mailer again: a batch
 * dead-lettered after its retries, or a record past the stream's 24 hours. It reads only the
 * `due-at` index's mail shards. docs/operating.md has the runbook; `npm run sweep-mail` is the
 * same code locally.
 */
export const mailSweep = new sst.aws.CronV2('MailSweep', {
  schedule: 'rate(15 minutes)',
  function: {
    handler: HANDLERS['sweep-mail'],
    link: [table, ...secrets],
    environment: { TABLE_NAME: table.name, POWERTOOLS_SERVICE_NAME: 'sweep-mail' },
    memory: '256 MB',
    // At most 1,000 jobs a run (SWEEP_LIMIT), one conditional write each.
    timeout: '5 minutes',
  },
});
