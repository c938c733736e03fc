import { recordSendEvents } from './app/mail-events.js';
import { systemClock } from './clock.js';
import { configFromLinks, loadConfig } from './config.js';
import { Feedback } from './feedback.js';
import { createDynamoClient } from './store/client.js';
import { FeedbackStore } from './store/feedback-store.js';
import { MailJobs } from './store/mail-jobs.js';
import { StatsStore } from './store/stats-store.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const feedback = new Feedback(new FeedbackStore(db, config.TABLE_NAME), config.SIGNING_SECRET, config.SOFT_BOUNCE_LIMIT, systemClock, new StatsStore(db, config.TABLE_NAME));

const mailJobs = new MailJobs(db, config.TABLE_NAME);

/**
 * The Lambda entry point of the SNS subscription that carries SES events: Send events are
 * recorded on their mail jobs, bounces and complaints go on to the feedback handler.
 */
export const handler = async (event: unknown) => feedback.handleSnsEvent((await recordSendEvents(event, mailJobs)).forward);
