import { handle } from 'hono/aws-lambda';
import { configFromLinks, loadConfig } from './config.js';
import { createService } from './app/composition-root.js';
import { createNewsletterSender } from './app/newsletter-send.js';
import { lambdaLauncher } from './newsletter-launch.js';
import { createApp } from './web/app.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const service = createService(config);
const app = createApp({
  ...service,
  newsletters: createNewsletterSender(service, config),
  config,
  // Lambda function URLs and API Gateway v2 put the caller's address in the request context.
  // Set in AWS: a newsletter send runs in its own Lambda, since it outlasts an API request.
  launchNewsletter: config.NEWSLETTER_FUNCTION_NAME ? lambdaLauncher(config.NEWSLETTER_FUNCTION_NAME, config.AWS_REGION) : undefined,
  clientIp: (c) => (c.env as { event?: { requestContext?: { http?: { sourceIp?: string } } } }).event?.requestContext?.http?.sourceIp ?? 'unknown',
});

/** The Lambda entry point of the HTTP API. */
export const handler = handle(app);
