import { campaigns as allCampaigns } from './campaigns.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Campaign } from './domain/campaign.js';
import { Links } from './mail/emails.js';
import { Outbox } from './mail/outbox.js';
import { createSesClient, LocalSesTransport, SesTransport, type MailTransport } from './mail/send.js';
import { createDynamoClient } from './store/client.js';
import { CountdownStore } from './store/countdown-store.js';
import { NewsletterStore } from './store/newsletter-store.js';
import { StatsStore } from './store/stats-store.js';
import { SubscriberStore } from './store/subscriber-store.js';
import { Countdown } from './countdown.js';
import { NewsletterSender } from './newsletter.js';
import { Subscriptions } from './subscriptions.js';

export interface Service {
  store: SubscriberStore;
  countdownStore: CountdownStore;
  countdown: Countdown;
  outbox: Outbox;
  subscriptions: Subscriptions;
  stats: StatsStore;
  newsletters: NewsletterSender;
  campaigns: readonly Campaign[];
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
  const newsletters = new NewsletterSender(store, new NewsletterStore(db, config.TABLE_NAME), stats, outbox, campaigns, config, clock);
  return { store, countdownStore, countdown, outbox, subscriptions, stats, newsletters, campaigns };
}
