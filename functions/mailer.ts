import * as z from 'zod';
import { createService } from './app/composition-root.js';
import { mailComposerOf } from './app/mail-composer.js';
import { createMailPipeline } from './app/mail-pipeline.js';
import { configFromLinks, loadConfig } from './config.js';
import { newsletterIssues } from './newsletter-issues.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const service = createService(config);
const { mailer, jobs } = createMailPipeline(config, { composer: mailComposerOf(service, newsletterIssues), db: service.db });

/** A DynamoDB stream event: each record is checked by the mailer on its own. */
const StreamEvent = z.object({ Records: z.array(z.unknown()) });

/** The Lambda entry point on the table's stream: delivers the batch's queued jobs, reports the failures. */
export async function handler(event: unknown): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> {
  const { batchItemFailures, summary } = await mailer.handleStreamRecords(StreamEvent.parse(event).Records);
  // Jobs whose backoff ended meanwhile: touched now, they come back in a next batch.
  const woken = await jobs.wakeDue(new Date()).catch(() => 0);
  console.log(JSON.stringify({ level: 'info', msg: 'mailer', ...summary, woken, failedRecords: batchItemFailures.length }));
  return { batchItemFailures };
}

/** The one-minute schedule: touches deferred jobs that are due, so the stream brings them back. */
export async function wake(): Promise<{ woken: number }> {
  const woken = await jobs.wakeDue(new Date());
  console.log(JSON.stringify({ level: 'info', msg: 'mailer-wake', woken }));
  return { woken };
}
