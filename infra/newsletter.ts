import { email } from './email';
import { secrets } from './secrets';
import { domain, mailFrom } from './stage';
import { table } from './storage';

/**
 * Sends a newsletter issue: invoked asynchronously by POST /admin/newsletters, since a send at
 * SES's rate outlasts an API request. Runs up to NEWSLETTER_BUDGET_SECONDS and invokes itself
 * for the rest; the per-copy claims make a repeat send nothing twice.
 */
export const newsletterSender = new sst.aws.Function('NewsletterSender', {
  handler: 'functions/send-newsletter.handler',
  link: [table, email, ...secrets],
  environment: {
    POWERTOOLS_SERVICE_NAME: 'send-newsletter',
    TABLE_NAME: table.name,
    // The API serves the stage's domain; its URL object would make a cycle (the API links this function).
    PUBLIC_URL: `https://${domain}`,
    MAIL_FROM: mailFrom,
  },
  memory: '1024 MB',
  timeout: '15 minutes',
  // A failed run is not repeated at once: the operator sends again, and the claims skip what went out.
  retries: 0,
  permissions: [
    {
      // Invoking itself to continue; its own ARN cannot be named in its own arguments.
      actions: ['lambda:InvokeFunction'],
      resources: [$interpolate`arn:aws:lambda:*:*:function:${$app.name}-${$app.stage}-NewsletterSender*`],
    },
  ],
});
