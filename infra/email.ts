import { HANDLERS } from './bundling';
import { secrets } from './secrets';
import { certificateArn, domain, isProduction } from './stage';
import { table } from './storage';

/** SES publishes what became of each message here; ses-feedback turns bounces and complaints into suppressions. */
export const feedbackTopic = new sst.aws.SnsTopic('EmailFeedback');

/**
 * The sending domain. The component creates DKIM, DMARC and the MAIL FROM records in Route 53
 * (none where the DNS is elsewhere: OPTOUT_CERTIFICATE_ARN) and waits, in either case, until SES
 * has verified the domain; the identity's default configuration set carries the events, so every
 * SendRawEmail from this domain reports sends, bounces, complaints and deliveries without naming it.
 */
export const email = new sst.aws.Email('Email', {
  sender: domain,
  ...(certificateArn ? { dns: false as const } : {}),
  // SES signs with DKIM for this domain (strict alignment); the MAIL FROM subdomain aligns SPF relaxed.
  dmarc: isProduction ? 'v=DMARC1; p=quarantine; adkim=s; aspf=r;' : 'v=DMARC1; p=none;',
  mailFrom: { domain: `bounce.${domain}` },
  // Send: SES accepted a message; ses-feedback records it on its mail job (the `job` tag), so a
  // mailer taking over a dead claim does not send it again.
  events: [{ name: 'Feedback', types: ['send', 'bounce', 'complaint', 'delivery'], topic: feedbackTopic.arn }],
});

// SES may only publish to a topic whose policy lets it, and only for this account's configuration set.
new aws.sns.TopicPolicy('EmailFeedbackPolicy', {
  arn: feedbackTopic.arn,
  policy: aws.iam.getPolicyDocumentOutput({
    statements: [
      {
        principals: [{ type: 'Service', identifiers: ['ses.amazonaws.com'] }],
        actions: ['sns:Publish'],
        resources: [feedbackTopic.arn],
        conditions: [
          { test: 'StringEquals', variable: 'AWS:SourceAccount', values: [aws.getCallerIdentityOutput({}).accountId] },
          { test: 'ArnLike', variable: 'AWS:SourceArn', values: [email.nodes.configurationSet.arn] },
        ],
      },
    ],
  }).json,
});

/** Feedback the handler failed on, after Lambda's own retries: a lost bounce means mailing a dead address again. */
export const feedbackDeadLetters = new sst.aws.Queue('EmailFeedbackDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

/** The function that turns SES feedback into suppressions (its errors are alarmed on in infra/monitoring.ts). */
export const feedbackHandler = feedbackTopic.subscribe('EmailFeedbackHandler', {
  handler: HANDLERS['ses-feedback'],
  link: [table, ...secrets],
  environment: { TABLE_NAME: table.name, POWERTOOLS_SERVICE_NAME: 'ses-feedback' },
  timeout: '30 seconds',
  retries: 2,
  permissions: [{ actions: ['sqs:SendMessage'], resources: [feedbackDeadLetters.arn] }],
  transform: {
    eventInvokeConfig: { destinationConfig: { onFailure: { destination: feedbackDeadLetters.arn } } },
  },
});
