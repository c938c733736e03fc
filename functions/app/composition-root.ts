import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { campaigns as allCampaigns } from '../campaigns.js';
import { platforms as allPlatforms } from '../platforms.js';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Campaign } from '../domain/campaign.js';
import type { Platform } from '../domain/platform.js';
import { Links } from '../mail/links.js';
import { createDynamoClient } from '../store/client.js';
import { AnnouncementStore } from '../store/announcement-store.js';
import { CountdownStore } from '../store/countdown-store.js';
import { FeedbackStore } from '../store/feedback-store.js';
import { PersonStore } from '../store/person-store.js';
import { RateLimits } from '../store/rate-limits.js';
import { StatsStore } from '../store/stats-store.js';
import type { FailedMailSource } from '../failed-mail.js';
import { MailJobs } from '../store/mail-jobs.js';
import { Countdown } from './countdown-run.js';
import { failedMailOf } from './mail-pipeline.js';
import { Feedback } from './feedback.js';
import { SignupJourney } from './signup-journey.js';
import { WatchAnnouncements } from './watch-announcements.js';
import { WatchRenewals } from './watch-renewal.js';

/** Every part of the service, wired once. */
export interface Service {
  people: PersonStore;
  countdownStore: CountdownStore;
  countdown: Countdown;
  /** Signs the links of every email and page. */
  links: Links;
  /** The sender of every email, for the mailer's composer. */
  mailFrom: string;
  journey: SignupJourney;
  feedback: Feedback;
  stats: StatsStore;
  campaigns: readonly Campaign[];
  /** Every platform the service has a guide for. */
  platforms: readonly Platform[];
  /** The mail jobs parked as failed, for /admin to list and retry. */
  mailJobs: MailJobs;
  failedMail: FailedMailSource;
  /** For parts wired apart, so that a Lambda that does not need them does not bundle them (the newsletter sender). */
  db: DynamoDBDocumentClient;
  clock: Clock;
}

/**
 * The one composition root: wires the real parts together from configuration. Every entry point
 * (the Lambda handlers), the local server, the commands, the bench and the tests build their
 * parts here, so all of them run the same code.
 *
 * @example
 * const { journey, countdown } = createService(loadConfig(process.env));
 */
export function createService(config: Config, options: { clock?: Clock; campaigns?: readonly Campaign[]; platforms?: readonly Platform[] } = {}): Service {
  const clock = options.clock ?? systemClock;
  const campaigns = options.campaigns ?? allCampaigns;
  const platforms = options.platforms ?? allPlatforms;
  const db = createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const stats = new StatsStore(db, config.TABLE_NAME);
  const people = new PersonStore({ db, tableName: config.TABLE_NAME, shards: config.DUE_SHARDS, stats });
  const countdownStore = new CountdownStore(db, config.TABLE_NAME, config.DUE_SHARDS);
  // No mail transport here: every email is a mail job, and only the mailer (mail-pipeline.ts) sends.
  const links = new Links(config.PUBLIC_URL, config.SIGNING_SECRET);
  const limits = new RateLimits({ db, tableName: config.TABLE_NAME });
  const journey = new SignupJourney({ people, limits, links, campaigns, platforms, config, clock });
  const announcements = new WatchAnnouncements({ people, store: new AnnouncementStore(db, config.TABLE_NAME), stats, campaigns, platforms, config, clock });
  const renewals = new WatchRenewals({ people, campaigns, platforms, clock });
  const countdown = new Countdown({ people, store: countdownStore, campaigns, platforms, clock, stats, announcements, renewals });
  const feedback = new Feedback({
    store: new FeedbackStore(db, config.TABLE_NAME),
    people,
    signingSecret: config.SIGNING_SECRET,
    transientLimit: config.SOFT_BOUNCE_LIMIT,
    clock,
    stats,
  });
  const mailJobs = new MailJobs(db, config.TABLE_NAME);
  return {
    people,
    countdownStore,
    countdown,
    links,
    mailFrom: config.MAIL_FROM,
    journey,
    feedback,
    stats,
    campaigns,
    platforms,
    mailJobs,
    // The app's clock: whether a parked job's data is past its erasure date is judged as every read judges it.
    failedMail: failedMailOf(mailJobs, clock),
    db,
    clock,
  };
}
