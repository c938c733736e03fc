import { api } from './api';
import { HANDLERS } from './bundling';
import { secrets } from './secrets';
import { table } from './storage';

/** Link-check runs the scheduler could not start, or that threw. */
export const linkCheckDeadLetters = new sst.aws.Queue('LinkCheckDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

/**
 * Once a week, every campaign link (forms, settings, links in the guides) fetched: platforms move
 * their objection forms without notice. Results land in the table (shown on /admin) and as the
 * BrokenLinks metric, which infra/monitoring.ts alarms on.
 */
export const linkCheck = new sst.aws.CronV2('LinkCheck', {
  // Monday 06:00 UTC: a broken form is found at the start of the operator's week.
  schedule: 'cron(0 6 ? * MON *)',
  retries: 2,
  dlq: linkCheckDeadLetters.arn,
  function: {
    handler: HANDLERS['check-links'],
    link: [table, ...secrets],
    environment: {
      TABLE_NAME: table.name,
      PUBLIC_URL: api.url,
      POWERTOOLS_SERVICE_NAME: 'check-links',
    },
    memory: '256 MB',
    timeout: '5 minutes',
    retries: 0,
    permissions: [{ actions: ['sqs:SendMessage'], resources: [linkCheckDeadLetters.arn] }],
    transform: {
      eventInvokeConfig: { destinationConfig: { onFailure: { destination: linkCheckDeadLetters.arn } } },
    },
  },
});
