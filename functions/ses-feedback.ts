import * as z from 'zod';
import { systemClock } from './clock.js';
import { configFromLinks, loadConfig } from './config.js';
import { Feedback } from './feedback.js';
import { flushMetrics, logger, recordRunDuration } from './observability.js';
import { createDynamoClient } from './store/client.js';
import { FeedbackStore } from './store/feedback-store.js';
import { StatsStore } from './store/stats-store.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const feedback = new Feedback(new FeedbackStore(db, config.TABLE_NAME), config.SIGNING_SECRET, config.SOFT_BOUNCE_LIMIT, systemClock, new StatsStore(db, config.TABLE_NAME));

/** Only the SNS message ids, to correlate: the messages themselves carry addresses. */
const SnsIds = z.looseObject({ Records: z.array(z.looseObject({ Sns: z.looseObject({ MessageId: z.string().max(100) }) })) });

/** The Lambda entry point of the SNS subscription that carries SES bounces and complaints: one line per batch. */
export async function handler(event: unknown): Promise<unknown> {
  const startedAt = Date.now();
  const ids = SnsIds.safeParse(event);
  const messageIds = ids.success ? ids.data.Records.map((record) => record.Sns.MessageId) : [];
  try {
    const result = await feedback.handleSnsEvent(event);
    logger.info('ses-feedback batch', { correlationId: messageIds[0], messageIds, durationMs: Date.now() - startedAt });
    return result;
  } finally {
    recordRunDuration('ses-feedback', Date.now() - startedAt);
    flushMetrics();
  }
}
