/**
 * The mailer on DynamoDB Local's own stream: `npm run dev` runs it beside the API, the tests and
 * the bench start it on their tables. The same Mailer as the Lambda, fed by a poller.
 */
import { createMailPipeline, type MailPipeline } from '../functions/app/mail-pipeline.js';
import type { MailComposer } from '../functions/app/mailer.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../functions/clock.js';
import type { Config } from '../functions/config.js';
import { startLocalStream } from '../functions/mail/local-stream.js';
import type { MailTransport } from '../functions/mail/send.js';

export interface LocalMailer extends MailPipeline {
  stop(): Promise<void>;
  /**
   * Resolves once this mailer has handled every job written before the call and none waits for a
   * wake-up (a backoff, or another mailer's lease): what tests and the bench wait for.
   */
  settled(): Promise<void>;
}

/** The stream event source's `maximumRetryAttempts` in infra/mailer.ts. */
const MAX_RECORD_RETRIES = 10;

/** Starts the poller and the mailer on `config.TABLE_NAME`; resolves once it reads the stream. */
export async function startLocalMailer(
  config: Config,
  options: {
    composer: MailComposer;
    transport?: MailTransport;
    clock?: Clock;
    pollMs?: number;
    /** The pause between the stream poller's turns while nobody waits for it (local-stream.ts). */
    idlePollMs?: number;
    db?: DynamoDBDocumentClient;
    /**
     * Sends in flight at most: jobs of a batch at once, and batches at once. Unset, the Mailer's
     * 16 jobs and the stream's 8 batches; 1 sends one message at a time, so that a test knows which
     * is in flight.
     */
    concurrency?: number;
  },
): Promise<LocalMailer> {
  if (!config.DYNAMODB_ENDPOINT) throw new Error('The local mailer reads DynamoDB Local: set DYNAMODB_ENDPOINT.');
  const pipeline = createMailPipeline(config, options);
  const stream = await startLocalStream({
    endpoint: config.DYNAMODB_ENDPOINT,
    region: config.AWS_REGION,
    tableName: config.TABLE_NAME,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.idlePollMs ? { idlePollMs: options.idlePollMs } : {}),
    ...(options.concurrency ? { maxInFlight: options.concurrency } : {}),
    // As Lambda does with the batch's reported failures (infra/mailer.ts): the records of a job
    // that threw (DynamoDB Local busy, say) are delivered again, up to ten times, and the batch
    // counts as running until then, so that `settled()` never passes a job left queued.
    onRecords: async (records) => {
      let pending = records;
      for (let retry = 0; pending.length && retry <= MAX_RECORD_RETRIES; retry++) {
        if (retry) await new Promise((resolve) => setTimeout(resolve, 50 * retry));
        const { batchItemFailures } = await pipeline.mailer.handleStreamRecords(pending);
        const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
        pending = pending.filter((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
      }
    },
    onTick: () => pipeline.jobs.wakeDue(new Date()),
    quiet: async () => !(await pipeline.jobs.hasWakes()),
  });
  return {
    ...pipeline,
    // One turn of the poller decides: nothing read, no batch, no job woken, and then no wake-up left.
    settled: () => stream.caughtUp(),
    stop: async () => {
      await stream.stop();
      pipeline.db.destroy();
    },
  };
}
