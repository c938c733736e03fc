import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { NewsletterJob } from './domain/newsletter.js';

/** Starts a newsletter send somewhere it may run for minutes, and returns at once. */
export type LaunchNewsletter = (job: NewsletterJob) => Promise<void>;

/**
 * Invokes the newsletter Lambda asynchronously (InvocationType Event): the API answers within its
 * 20 seconds, the send runs up to 15 minutes and re-launches itself to finish a long list.
 */
export function lambdaLauncher(functionName: string, region: string): LaunchNewsletter {
  const client = new LambdaClient({ region });
  return async (job) => {
    await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(job)) }));
  };
}
