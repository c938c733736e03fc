import { api } from './api';
import { HANDLERS } from './bundling';
import { secrets } from './secrets';
import { mailFrom } from './stage';
import { table } from './storage';

/** Runs that failed: ones the scheduler could not start, and ones that threw or timed out. */
export const sendDueDeadLetters = new sst.aws.Queue('SendDueDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

/**
 * Every 15 minutes, one send-due run. A run is idempotent and stops starting work before its
 * budget (SEND_DUE_BUDGET_SECONDS) runs out, so the next run is the retry of a failed one.
 */
export const sendDue = new sst.aws.CronV2('SendDue', {
  schedule: 'rate(15 minutes)',
  // Scheduler retries failures to start the function (throttling, quota), then dead-letters the event.
  retries: 2,
  dlq: sendDueDeadLetters.arn,
  function: {
    handler: HANDLERS['send-due'],
    // No email link: a run only writes mail jobs, the mailer sends them.
    link: [table, ...secrets],
    environment: {
      POWERTOOLS_SERVICE_NAME: 'send-due',
      TABLE_NAME: table.name,
      PUBLIC_URL: api.url,
      MAIL_FROM: mailFrom,
    },
    memory: '1024 MB',
    timeout: '14 minutes',
    // A run that threw is not repeated at once: the next scheduled run picks up where it stopped.
    retries: 0,
    permissions: [{ actions: ['sqs:SendMessage'], resources: [sendDueDeadLetters.arn] }],
    transform: {
      eventInvokeConfig: { destinationConfig: { onFailure: { destination: sendDueDeadLetters.arn } } },
    },
  },
});
