import { handle } from 'hono/aws-lambda';
import { configFromLinks, loadConfig } from './config.js';
import { createService } from './service.js';
import { createApp } from './web/app.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const service = createService(config);
const app = createApp({
  ...service,
  config,
  // Lambda function URLs and API Gateway v2 put the caller's address in the request context.
  clientIp: (c) => (c.env as { event?: { requestContext?: { http?: { sourceIp?: string } } } }).event?.requestContext?.http?.sourceIp ?? 'unknown',
});

/** The Lambda entry point of the HTTP API. */
export const handler = handle(app);
