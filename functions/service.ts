import { campaigns as allCampaigns } from './campaigns.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Campaign } from './domain/campaign.js';
import { Links } from './mail/emails.js';
import { Outbox } from './mail/outbox.js';
import { createSesClient, LocalSesTransport, SesTransport, type MailTransport } from './mail/send.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient } from './store/client.js';
import { CountdownStore } from './store/countdown-store.js';
import { StatsStore } from './store/stats-store.js';
import { SubscriberStore } from './store/subscriber-store.js';
import { Countdown } from './countdown.js';
import { Subscriptions } from './subscriptions.js';

export interface Service {
  store: SubscriberStore;
  countdownStore: CountdownStore;
  countdown: Countdown;
  outbox: Outbox;
  subscriptions: Subscriptions;
  stats: StatsStore;
  campaigns: readonly Campaign[];
  /** For parts wired apart, so that a Lambda that does not need them does not bundle them (the newsletter sender). */
  db: DynamoDBDocumentClient;
  clock: Clock;
}

/**
 * Wires the real parts together from configuration: shared by the Lambda handlers, the local
 * server and the tests, so all of them run the same code.
 */
export function createService(
  config: Config,
  options: { clock?: Clock; transport?: MailTransport; campaigns?: readonly Campaign[] } = {},
): Service {
  const clock = options.clock ?? systemClock;
  const campaigns = options.campaigns ?? allCampaigns;
  const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const store = new SubscriberStore(db, config.TABLE_NAME, config.DUE_SHARDS);
  const countdownStore = new CountdownStore(db, config.TABLE_NAME, config.DUE_SHARDS);
  const sesClient = createSesClient({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT });
  const transport =
    options.transport ?? (config.SES_ENDPOINT ? new LocalSesTransport(sesClient, config.SES_ENDPOINT) : new SesTransport(sesClient));
  const outbox = new Outbox(transport, config.MAIL_FROM, new Links(config.PUBLIC_URL, config.SIGNING_SECRET));
  const stats = new StatsStore(db, config.TABLE_NAME);
  const subscriptions = new Subscriptions(store, outbox, campaigns, config, clock, stats);
  const countdown = new Countdown(store, countdownStore, outbox, campaigns, clock, stats);
  return { store, countdownStore, countdown, outbox, subscriptions, stats, campaigns, db, clock };
}
