import { z } from 'zod';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { Feedback } from './feedback.js';
import { createDynamoClient } from './store/client.js';
import { FeedbackStore } from './store/feedback-store.js';

const config = loadConfig(process.env);
// How many soft bounces suppress an address; belongs in Config once that module takes it.
const limit = z.coerce.number().int().min(1).max(100).default(3).safeParse(process.env.SOFT_BOUNCE_LIMIT);
if (!limit.success) throw new Error('Invalid configuration:\n  SOFT_BOUNCE_LIMIT: a whole number from 1 to 100', { cause: limit.error });
const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const feedback = new Feedback(new FeedbackStore(db, config.TABLE_NAME), config.SIGNING_SECRET, limit.data, systemClock);

/** The Lambda entry point of the SNS subscription that carries SES bounces and complaints. */
export const handler = (event: unknown) => feedback.handleSnsEvent(event);
