import { HANDLERS } from './bundling';
import { secrets } from './secrets';
import { domain, mailFrom } from './stage';
import { table } from './storage';

/** Newsletter runs that failed (threw or timed out): the operator sends the issue again, and the copies already written are skipped. */
export const newsletterDeadLetters = new sst.aws.Queue('NewsletterDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

/**
 * Writes a newsletter issue's mail jobs: invoked asynchronously by POST /admin/newsletters, since a
 * big audience outlasts an API request. Runs up to NEWSLETTER_BUDGET_SECONDS and invokes itself
 * for the rest; each copy's job id (person and issue) makes a repeat write nothing twice. The
 * mailer sends the copies, so it has no email link.
 */
export const newsletterSender = new sst.aws.Function('NewsletterSender', {
  handler: HANDLERS['send-newsletter'],
  link: [table, ...secrets],
  environment: {
    POWERTOOLS_SERVICE_NAME: 'send-newsletter',
    TABLE_NAME: table.name,
    // The API serves the stage's domain; its URL object would make a cycle (the API links this function).
    PUBLIC_URL: `https://${domain}`,
    MAIL_FROM: mailFrom,
  },
  memory: '1024 MB',
  timeout: '15 minutes',
  // A failed run is not repeated at once: the operator sends again, and the jobs already written are skipped.
  retries: 0,
  permissions: [{ actions: ['sqs:SendMessage'], resources: [newsletterDeadLetters.arn] }],
  transform: {
    eventInvokeConfig: { destinationConfig: { onFailure: { destination: newsletterDeadLetters.arn } } },
  },
});

// Invoking itself to continue a large send. Granted on its own ARN, after it exists: its arguments
// cannot name it, and a name pattern breaks where SST shortens the app's name (stages of 14
// characters or more, naming.ts), which would stop every send after its first run.
new aws.iam.RolePolicy('NewsletterSenderRelaunch', {
  role: newsletterSender.nodes.role.name,
  policy: $jsonStringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: newsletterSender.arn }],
  }),
});
