import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { markCounts } from '../domain/action.js';
import type { Campaign } from '../domain/campaign.js';
import { DomainError } from '../domain/errors.js';
import { audienceOf, describeAudience, isInAudience, type NewsletterIssue, type Segment } from '../domain/newsletter.js';
import { mailJobId, newMailJob } from '../domain/mail-job.js';
import type { Person } from '../domain/person.js';
import { PEOPLE_SCOPE } from '../domain/stats.js';
import type { MailJobs } from '../store/mail-jobs.js';
import type { PersonStore } from '../store/person-store.js';
import type { StatsStore } from '../store/stats-store.js';
import type { Service } from './composition-root.js';
import { errorFields, logger } from '../observability.js';

/** Where a send stands; counts only, never an address. */
export interface NewsletterProgress {
  /** People in the audience. */
  total: number;
  /** Of those, handled so far (queued, queued before, or failed). */
  handled: number;
  /** Copies whose mail job this send wrote; the mailer sends them, paced to SES. */
  queued: number;
  /** Copies an earlier send of the issue wrote already: never written, or sent, twice. */
  alreadyQueued: number;
  failed: number;
  /** In a dry run: copies a real send would write now (in the audience, not suppressed, not yet written). */
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
  /** The run hit its time budget; running it again writes the rest. */
  stoppedEarly: boolean;
  elapsedMs: number;
}

export interface NewsletterSendOptions {
  dryRun: boolean;
  /** Stop starting new copies after this long (a Lambda stops at 15 minutes); unlimited when absent. */
  budgetMs?: number;
  /** Copies written at once. */
  concurrency: number;
  /** Real time, for budgets, even when `now` is simulated. */
  realClock: Clock;
  onProgress?: (progress: NewsletterProgress) => void;
}

export const DEFAULT_SEND_OPTIONS: NewsletterSendOptions = {
  dryRun: false,
  concurrency: 16,
  realClock: () => new Date(),
};

type CopyOutcome = 'queued' | 'alreadyQueued' | 'failed' | 'toSend';

/** The campaign an issue is for, or a DomainError naming the one not configured. */
export function campaignOfIssue(issue: NewsletterIssue, campaigns: readonly Campaign[]): Campaign {
  const campaign = campaigns.find((c) => c.id === issue.frontMatter.campaign);
  if (!campaign) throw new DomainError('not_found', 'campaign_unknown', `Issue ${issue.id} is for campaign "${issue.frontMatter.campaign}", which is not configured.`);
  return campaign;
}

/**
 * The person with only the marks that still count, as their checklist and the copy itself see
 * them: a campaign that asks everyone to object again voids the marks made before it.
 */
function withMarksThatCount(person: Person, campaigns: readonly Campaign[], now: Date): Person {
  const platforms = person.platforms.map((entry) => {
    if (entry.doneAt === undefined || markCounts(entry.id, new Date(entry.doneAt), campaigns, now)) return entry;
    const { doneAt: _void, ...open } = entry;
    return open;
  });
  return { ...person, platforms };
}

/**
 * Sends a newsletter issue to its audience: confirmed people who use a platform of its campaign,
 * in its language, narrowed by a segment, never to a suppressed address. Selects them through the
 * people's audience index and writes one mail job per (issue, person), under an id made of the
 * two, so a re-run after a crash writes only what is left and nothing goes twice. Sends nothing
 * itself: the mailer drains the jobs at SES's rate. The same code runs from the command line and in Lambda.
 */
export class NewsletterSender {
  private readonly people: PersonStore;
  private readonly jobs: Pick<MailJobs, 'enqueue' | 'exists'>;
  private readonly stats: StatsStore;
  private readonly campaigns: readonly Campaign[];
  private readonly config: Pick<Config, 'PRIVACY_GRACE_DAYS'>;
  private readonly clock: Clock;

  constructor(deps: {
    people: PersonStore;
    jobs: Pick<MailJobs, 'enqueue' | 'exists'>;
    stats: StatsStore;
    campaigns: readonly Campaign[];
    config: Pick<Config, 'PRIVACY_GRACE_DAYS'>;
    clock: Clock;
  }) {
    ({ people: this.people, jobs: this.jobs, stats: this.stats, campaigns: this.campaigns, config: this.config, clock: this.clock } = deps);
  }

  private campaignOf(issue: NewsletterIssue): Campaign {
    return campaignOfIssue(issue, this.campaigns);
  }

  /**
   * Writes (or, with `dryRun`, counts) every copy of an issue still due to its audience.
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

    // The audience index lists the active people; each is read whole, so that one who left, was
    // suppressed or dropped the campaign's platforms since is left out.
    const recipients: string[] = [];
    for await (const page of this.people.audience({ people: true })) {
      const records = await Promise.all(page.map((personId) => this.people.load(personId, now)));
      for (const { person } of records) if (person && isInAudience(withMarksThatCount(person, this.campaigns, now), campaign.platforms, audience)) recipients.push(person.id);
    }

    const progress: NewsletterProgress = { total: recipients.length, handled: 0, queued: 0, alreadyQueued: 0, failed: 0, toSend: 0, elapsedMs: 0 };
    let stoppedEarly = false;
    // The jobs go a grace period from now (as a reader's data may), never sooner than a week, so a re-run soon after still finds them.
    const expires = new Date(now.getTime() + Math.max(this.config.PRIVACY_GRACE_DAYS, 7) * 86_400_000);
    opts.onProgress?.({ ...progress });

    let next = 0;
    const worker = async () => {
      while (next < recipients.length) {
        if (opts.budgetMs !== undefined && elapsed() >= opts.budgetMs) {
          stoppedEarly = true;
          return;
        }
        const personId = recipients[next++] as string;
        const outcome = await this.writeCopy(issue, campaign, personId, now, runId, expires, opts.dryRun);
        progress[outcome] += 1;
        progress.handled += 1;
        progress.elapsedMs = elapsed();
        opts.onProgress?.({ ...progress });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, recipients.length)) }, worker));

    const { handled: _handled, ...counts } = progress;
    return { ...counts, runId, issueId: issue.id, audience: describeAudience(audience), dryRun: opts.dryRun, stoppedEarly, elapsedMs: elapsed() };
  }

  /** One copy's mail job, written once; a failure is that copy's, not the run's, and a re-run writes it. */
  private async writeCopy(issue: NewsletterIssue, campaign: Campaign, personId: string, now: Date, runId: string, expires: Date, dryRun: boolean): Promise<CopyOutcome> {
    const jobId = mailJobId.news(personId, issue.id);
    try {
      if (dryRun) return (await this.jobs.exists(jobId)) ? 'alreadyQueued' : 'toSend';
      const job = newMailJob({ jobId, kind: 'newsletter', personId, campaignId: campaign.id, issueId: issue.id, now });
      if (!(await this.jobs.enqueue(job, { expires }))) return 'alreadyQueued';
      await this.stats.count(PEOPLE_SCOPE, { sent_newsletter: 1 }, now);
      return 'queued';
    } catch (error) {
      logger.error('newsletter copy failed', { runId, issueId: issue.id, ...errorFields(error) });
      return 'failed';
    }
  }
}

/**
 * The newsletter sender on the service's parts. Wired apart from createService so that send-due,
 * which never sends a newsletter, does not bundle it.
 *
 * @example
 * const newsletters = createNewsletterSender(createService(config), config);
 */
export function createNewsletterSender(service: Service, config: Pick<Config, 'PRIVACY_GRACE_DAYS'>): NewsletterSender {
  return new NewsletterSender({
    people: service.people,
    jobs: service.mailJobs,
    stats: service.stats,
    campaigns: service.campaigns,
    config,
    clock: service.clock,
  });
}
