import { email } from './email';
import { secrets } from './secrets';
import { mailFrom } from './stage';
import { table } from './storage';

/**
 * Mailer instances at most: the Lambda's reserved concurrency, and what each instance divides
 * SES's MaxSendRate by (MAILER_INSTANCES in functions/config.ts), so that together they keep to it.
 */
const MAILER_INSTANCES = 2;

/** Stream batches the mailer failed on after Lambda's retries: their jobs stay in the table, queued or claimed. */
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
    handler: 'functions/mailer.handler',
    link: [table, email, ...secrets],
    environment: mailerEnvironment,
    memory: '512 MB',
    // A batch is paced at SES's rate: 100 jobs at 7 a second take 15 s, a backoff waited in place up to 10 s more.
    timeout: '2 minutes',
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
        args.batchSize = 100;
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
    handler: 'functions/mailer.wake',
    link: [table, ...secrets],
    environment: mailerEnvironment,
    memory: '256 MB',
    timeout: '50 seconds',
  },
});
