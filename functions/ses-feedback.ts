import * as z from 'zod';
import { createService } from './app/composition-root.js';
import { recordSendEvents } from './app/mail-events.js';
import { configFromLinks, loadConfig } from './config.js';
import { flushMetrics, logger, recordRunDuration } from './observability.js';
import { MailJobs } from './store/mail-jobs.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const { feedback, db } = createService(config);

const mailJobs = new MailJobs(db, config.TABLE_NAME);

/** Only the SNS message ids, to correlate: the messages themselves carry addresses. */
const SnsIds = z.looseObject({ Records: z.array(z.looseObject({ Sns: z.looseObject({ MessageId: z.string().max(100) }) })) });

/**
 * The Lambda entry point of the SNS subscription that carries SES events: Send events are
 * recorded on their mail jobs, bounces and complaints go on to the feedback handler; one line per batch.
 */
export async function handler(event: unknown): Promise<unknown> {
  const startedAt = Date.now();
  const ids = SnsIds.safeParse(event);
  const messageIds = ids.success ? ids.data.Records.map((record) => record.Sns.MessageId) : [];
  try {
    const result = await feedback.handleSnsEvent((await recordSendEvents(event, mailJobs)).forward);
    logger.info('ses-feedback batch', { correlationId: messageIds[0], messageIds, durationMs: Date.now() - startedAt });
    return result;
  } finally {
    recordRunDuration('ses-feedback', Date.now() - startedAt);
    flushMetrics();
  }
}
