import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { timeZoneOf, type Campaign } from '../domain/campaign.js';
import { DomainError } from '../domain/errors.js';
import { audienceOf, describeAudience, isInAudience, type NewsletterIssue, type Segment } from '../domain/newsletter.js';
import { personalDataExpiry } from '../domain/retention.js';
import { readerOf, type Reader } from '../mail/emails.js';
import type { Addressed, Outbox } from '../mail/outbox.js';
import { isRetryable } from '../mail/send.js';
import { NewsletterStore } from '../store/newsletter-store.js';
import type { PersonStore } from '../store/person-store.js';
import type { StatsStore } from '../store/stats-store.js';
import type { Service } from './composition-root.js';
import { errorFields, logger } from '../observability.js';

/** Where a send stands; counts only, never an address. */
export interface NewsletterProgress {
  /** People in the audience. */
  total: number;
  /** Of those, handled so far (sent, already sent, skipped or failed). */
  handled: number;
  sent: number;
  alreadySent: number;
  skipped: number;
  failed: number;
  /** In a dry run: copies a real run would send now (in the audience, not suppressed, not yet sent). */
  toSend: number;
  /** Real milliseconds since the send started. */
  elapsedMs: number;
}

/** What one send did, printed by the command, returned by POST /admin/newsletters and logged in Lambda. */
export interface NewsletterSummary extends Omit<NewsletterProgress, 'handled' | 'elapsedMs'> {
  runId: string;
  issueId: string;
  audience: string;
  dryRun: boolean;
  /** The run hit its time budget; running it again sends the rest. */
  stoppedEarly: boolean;
  elapsedMs: number;
}

export interface NewsletterSendOptions {
  dryRun: boolean;
  /** Copies per second at most (SES's sending rate). */
  ratePerSecond: number;
  /** How long a claimed copy is held against other runs before a dead run's claim may be taken over. */
  claimLeaseMs: number;
  /** Stop starting new copies after this long (a Lambda stops at 15 minutes); unlimited when absent. */
  budgetMs?: number;
  /** Copies in flight at once; the rate limit still holds. */
  concurrency: number;
  /** Real time, for pacing, budgets and leases, even when `now` is simulated. */
  realClock: Clock;
  sleep: (ms: number) => Promise<void>;
  onProgress?: (progress: NewsletterProgress) => void;
}

export const DEFAULT_SEND_OPTIONS: NewsletterSendOptions = {
  dryRun: false,
  ratePerSecond: 14,
  claimLeaseMs: 5 * 60_000,
  concurrency: 4,
  realClock: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The send options a configuration asks for. */
export function sendOptionsFrom(config: Pick<Config, 'NEWSLETTER_RATE_PER_SECOND' | 'CLAIM_LEASE_SECONDS'>): Partial<NewsletterSendOptions> {
  return { ratePerSecond: config.NEWSLETTER_RATE_PER_SECOND, claimLeaseMs: config.CLAIM_LEASE_SECONDS * 1000 };
}

/**
 * Hands out send slots no faster than a rate, to any number of concurrent senders. After SES
 * throttled a copy despite the transport's backoff, the rate halves for the rest of the run.
 */
export class Pacer {
  private nextSlot = 0;
  constructor(
    private ratePerSecond: number,
    private readonly realClock: Clock,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async slot(): Promise<void> {
    const now = this.realClock().getTime();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / this.ratePerSecond;
    if (at > now) await this.sleep(at - now);
  }

  slowDown(): void {
    this.ratePerSecond = Math.max(1, this.ratePerSecond / 2);
  }
}

type CopyOutcome = 'sent' | 'alreadySent' | 'skipped' | 'failed' | 'toSend';

/**
 * Sends a newsletter issue to its audience: confirmed subscribers of its campaign in its
 * language, narrowed by a segment, never to a suppressed address. Each (issue, subscriber) copy is
 * claimed before it is sent and marked after, so a re-run after a crash sends only what is left.
 * The same code runs from the command line and in Lambda.
 */
export class NewsletterSender {
  private readonly people: PersonStore;
  private readonly store: NewsletterStore;
  private readonly stats: StatsStore;
  private readonly outbox: Outbox;
  private readonly campaigns: readonly Campaign[];
  private readonly config: Pick<Config, 'PRIVACY_GRACE_DAYS'>;
  private readonly clock: Clock;

  constructor(deps: {
    people: PersonStore;
    store: NewsletterStore;
    stats: StatsStore;
    outbox: Outbox;
    campaigns: readonly Campaign[];
    config: Pick<Config, 'PRIVACY_GRACE_DAYS'>;
    clock: Clock;
  }) {
    ({ people: this.people, store: this.store, stats: this.stats, outbox: this.outbox, campaigns: this.campaigns, config: this.config, clock: this.clock } = deps);
  }

  private campaignOf(issue: NewsletterIssue): Campaign {
    const campaign = this.campaigns.find((c) => c.id === issue.frontMatter.campaign);
    if (!campaign) throw new DomainError('not_found', 'campaign_unknown', `Issue ${issue.id} is for campaign "${issue.frontMatter.campaign}", which is not configured.`);
    return campaign;
  }

  /**
   * Sends (or, with `dryRun`, counts) every copy of an issue still due to its audience.
   *
   * @example
   * const summary = await sender.send(issue, { platform: 'instagram', done: false }, { dryRun: true });
   */
  async send(issue: NewsletterIssue, segment: Segment = {}, options: Partial<NewsletterSendOptions> = {}): Promise<NewsletterSummary> {
    const opts = { ...DEFAULT_SEND_OPTIONS, ...options };
    const campaign = this.campaignOf(issue);
    const audience = audienceOf(issue, segment);
    const now = this.clock();
    const startedAt = opts.realClock().getTime();
    const elapsed = () => opts.realClock().getTime() - startedAt;
    const runId = randomUUID();

    // The campaign's audience index lists its confirmed people; each is read whole, so that one
    // who left or was suppressed since is left out.
    const recipients: Addressed<Reader>[] = [];
    for await (const page of this.people.audience({ campaignId: campaign.id })) {
      const records = await Promise.all(page.map((personId) => this.people.load(personId, now)));
      for (const { person, subscriptions } of records) {
        const subscription = subscriptions.find((s) => s.campaignId === campaign.id);
        if (person && subscription && isInAudience(person, subscription, audience)) recipients.push({ ...readerOf(person, subscription), person });
      }
    }

    const progress: NewsletterProgress = { total: recipients.length, handled: 0, sent: 0, alreadySent: 0, skipped: 0, failed: 0, toSend: 0, elapsedMs: 0 };
    let stoppedEarly = false;
    const pacer = new Pacer(opts.ratePerSecond, opts.realClock, opts.sleep);
    // The claims go when the subscribers' data goes; never sooner than a week, so a re-run soon after still finds them.
    const expires = new Date(Math.max(personalDataExpiry(campaign, this.config.PRIVACY_GRACE_DAYS, now).getTime(), now.getTime() + 7 * 86_400_000));
    opts.onProgress?.({ ...progress });

    let next = 0;
    const worker = async () => {
      while (next < recipients.length) {
        if (opts.budgetMs !== undefined && elapsed() >= opts.budgetMs) {
          stoppedEarly = true;
          return;
        }
        const reader = recipients[next++] as Addressed<Reader>;
        const outcome = await this.sendCopy(issue, campaign, reader, now, runId, expires, pacer, opts);
        progress[outcome] += 1;
        progress.handled += 1;
        progress.elapsedMs = elapsed();
        opts.onProgress?.({ ...progress });
      }
    };
    // A dry run only reads, unpaced: more at once keeps it within an API request's time.
    const concurrency = opts.dryRun ? Math.max(opts.concurrency, 16) : opts.concurrency;
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, recipients.length)) }, worker));

    const { handled: _handled, ...counts } = progress;
    return { ...counts, runId, issueId: issue.id, audience: describeAudience(audience), dryRun: opts.dryRun, stoppedEarly, elapsedMs: elapsed() };
  }

  /** One copy, claimed, sent and recorded; a failure is that copy's, not the run's. */
  private async sendCopy(
    issue: NewsletterIssue,
    campaign: Campaign,
    reader: Addressed<Reader>,
    now: Date,
    runId: string,
    expires: Date,
    pacer: Pacer,
    opts: NewsletterSendOptions,
  ): Promise<CopyOutcome> {
    const personId = reader.person.id;
    try {
      if (opts.dryRun) return (await this.store.wasSent(issue.id, personId)) ? 'alreadySent' : 'toSend';
      const lease = { realNow: opts.realClock().getTime(), leaseMs: opts.claimLeaseMs };
      const claim = await this.store.claimCopy(issue.id, personId, runId, lease, expires);
      if (claim.outcome === 'sent') return 'alreadySent';
      if (claim.outcome === 'busy') return 'skipped';
      // A run killed after the mail server took the copy but before recording it: record, never resend.
      if (claim.outcome === 'taken-over' && (await this.outbox.wasAccepted(reader.person.email, claim.claimedAt)) === true) {
        await this.store.markCopySent(issue.id, personId, now);
        return 'alreadySent';
      }
      await pacer.slot();
      try {
        await this.outbox.sendNewsletter(issue, campaign, reader, now);
      } catch (error) {
        if (isRetryable(error)) pacer.slowDown();
        await this.store.releaseCopy(issue.id, personId, runId);
        logger.error('newsletter copy failed', { runId, issueId: issue.id, ...errorFields(error) });
        return 'failed';
      }
      await this.store.markCopySent(issue.id, personId, now);
      await this.stats.countCampaign(campaign.id, { sent_newsletter: 1 }, now);
      return 'sent';
    } catch (error) {
      logger.error('newsletter copy failed', { runId, issueId: issue.id, ...errorFields(error) });
      return 'failed';
    }
  }

  /**
   * One test copy to the operator, marked "[Test]" in the subject. Its footer links are signed for
   * no subscriber, so they lead to "this link no longer works". Claims and counts nothing.
   */
  async sendTest(issue: NewsletterIssue, to: string): Promise<void> {
    const campaign = this.campaignOf(issue);
    const now = this.clock();
    const reader: Addressed<Reader> = {
      person: { id: 'test-copy'.padEnd(43, '0'), generation: 'test-copy', email: to, locale: issue.frontMatter.locale, timeZone: timeZoneOf(campaign) },
      campaignId: campaign.id,
      platforms: campaign.platforms.map((platform) => platform.id),
      objections: {},
      confirmedAt: now.toISOString(),
    };
    await this.outbox.sendNewsletter(issue, campaign, reader, now, { subjectPrefix: '[Test] ' });
  }
}

/**
 * The newsletter sender on the service's parts. Wired apart from createService so that send-due,
 * which never sends a newsletter, does not bundle it.
 *
 * @example
 * const newsletters = createNewsletterSender(createService(config), config);
 */
export function createNewsletterSender(service: Service, config: Pick<Config, 'TABLE_NAME' | 'PRIVACY_GRACE_DAYS'>): NewsletterSender {
  return new NewsletterSender({
    people: service.people,
    store: new NewsletterStore(service.db, config.TABLE_NAME),
    stats: service.stats,
    outbox: service.outbox,
    campaigns: service.campaigns,
    config,
    clock: service.clock,
  });
}
