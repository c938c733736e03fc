import { secrets } from './secrets';
import { domain, mailFrom } from './stage';
import { table } from './storage';

/**
 * Writes a newsletter issue's mail jobs: invoked asynchronously by POST /admin/newsletters, since a
 * big audience outlasts an API request. Runs up to NEWSLETTER_BUDGET_SECONDS and invokes itself
 * for the rest; each copy's job id (person and issue) makes a repeat write nothing twice. The
 * mailer sends the copies, so it has no email link.
 */
export const newsletterSender = new sst.aws.Function('NewsletterSender', {
  handler: 'functions/send-newsletter.handler',
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
  permissions: [
    {
      // Invoking itself to continue; its own ARN cannot be named in its own arguments.
      actions: ['lambda:InvokeFunction'],
      resources: [$interpolate`arn:aws:lambda:*:*:function:${$app.name}-${$app.stage}-NewsletterSender*`],
    },
  ],
});
