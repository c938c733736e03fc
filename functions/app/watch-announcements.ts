import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { deadlineOf, isAnnounced, type Campaign } from '../domain/campaign.js';
import type { Person } from '../domain/person.js';
import type { PlatformId } from '../domain/platform.js';
import { personalDataExpiry } from '../domain/retention.js';
import { countdownStartFor, nextStepAfter, stepsFor } from '../domain/schedule.js';
import { TABLE_LAYOUT_VERSION } from '../domain/person.js';
import type { Subscription } from '../domain/subscription.js';
import type { AnnouncementStore } from '../store/announcement-store.js';
import type { PersonStore } from '../store/person-store.js';
import { mailJobId, newMailJob } from '../domain/mail-job.js';
import type { StatsStore } from '../store/stats-store.js';
import { errorFields, logger } from '../observability.js';

/** What one pass over the announced campaigns did; counts only. */
export interface AnnouncementSummary {
  /** Watchers read from the platforms' indexes. */
  watchers: number;
  announced: number;
  /** Watchers already in the campaign, no longer watching, or announced to by another run. */
  skipped: number;
  failed: number;
  stoppedEarly: boolean;
}

/**
 * Whether a campaign is one to announce to watchers now: its announcement day has come and its
 * deadline is still ahead. A campaign without a deadline is a standing setting, not news.
 */
export type IsAnnounceable = (campaign: Campaign, now: Date) => boolean;

/** The rule: announced (its `announcedAt` has come) with its deadline still ahead. */
export const deadlineAhead: IsAnnounceable = (campaign, now) => isAnnounced(campaign, now) && (deadlineOf(campaign)?.getTime() ?? 0) > now.getTime();

/**
 * The watch, which no newsletter tool has: when a campaign with a deadline is announced, every
 * watcher of one of its platforms gets one announcement email with its guide and countdown, and is
 * enrolled in it. It reads only the watchers of those platforms (the audience index, by shard),
 * saves a cursor per shard as it goes (a run stopped by its budget, or killed, resumes there), and
 * enrols each watcher in one transaction with the announcement's mail job, so two runs at once or
 * a rerun announce nothing twice, and the mailer sends it.
 */
export class WatchAnnouncements {
  constructor(
    private readonly deps: {
      people: PersonStore;
      store: AnnouncementStore;
      stats: StatsStore;
      campaigns: readonly Campaign[];
      config: Pick<Config, 'PRIVACY_GRACE_DAYS'>;
      clock: Clock;
      isAnnounceable?: IsAnnounceable;
    },
  ) {}

  /**
   * Announces every announceable campaign to the watchers not yet told. Costs one read per campaign
   * once a campaign is done.
   */
  async run(options: { overBudget: () => boolean }): Promise<AnnouncementSummary> {
    const now = this.deps.clock();
    const summary: AnnouncementSummary = { watchers: 0, announced: 0, skipped: 0, failed: 0, stoppedEarly: false };
    const announceable = this.deps.isAnnounceable ?? deadlineAhead;
    for (const campaign of this.deps.campaigns) {
      if (!announceable(campaign, now) || (await this.deps.store.isDone(campaign.id))) continue;
      let complete = true;
      for (const platform of campaign.platforms.map((p) => p.id)) {
        for (let shard = 0; shard < this.deps.people.shards; shard++) {
          const finished = await this.announceShard({ campaign, platform, shard, now, summary, ...options });
          if (!finished) complete = false;
          if (summary.stoppedEarly) return summary;
        }
      }
      if (complete) await this.deps.store.markDone(campaign.id, now);
    }
    return summary;
  }

  /** Goes through one shard of one platform's watchers from its cursor; true once the shard is through. */
  private async announceShard(options: {
    campaign: Campaign;
    platform: PlatformId;
    shard: number;
    now: Date;
    summary: AnnouncementSummary;
    overBudget: () => boolean;
  }): Promise<boolean> {
    const { campaign, platform, shard, summary } = options;
    let cursor = await this.deps.store.cursor(campaign.id, platform, shard);
    if (cursor === 'done') return true;
    for (;;) {
      if (options.overBudget()) {
        summary.stoppedEarly = true;
        return false;
      }
      const page = await this.deps.people.audiencePage({ watchedPlatform: platform }, shard, cursor);
      summary.watchers += page.personIds.length;
      for (const personId of page.personIds) summary[await this.announceSafely(campaign, personId, options)] += 1;
      cursor = page.nextKey;
      await this.deps.store.saveCursor(campaign.id, platform, shard, cursor ?? 'done');
      if (!cursor) return true;
    }
  }

  private async announceSafely(campaign: Campaign, personId: string, options: { now: Date }) {
    try {
      return await this.announce(campaign, personId, options);
    } catch (error) {
      logger.error('announcement failed', { campaign: campaign.id, ...errorFields(error) });
      return 'failed' as const;
    }
  }

  private async announce(campaign: Campaign, personId: string, options: { now: Date }): Promise<'announced' | 'skipped' | 'failed'> {
    const { now } = options;
    const record = await this.deps.people.load(personId, now);
    const { person } = record;
    if (!person || person.status !== 'active' || !person.watch) return 'skipped';
    // Already in it: signed up for it, enrolled by an earlier run (whose announcement was written with
    // it), or left it ("not for me" stays said).
    if (record.subscriptions.some((s) => s.campaignId === campaign.id)) return 'skipped';
    const platforms = campaign.platforms.map((p) => p.id).filter((id) => person.platforms.includes(id));
    if (platforms.length === 0) return 'skipped';
    const expires = personalDataExpiry(campaign, this.deps.config.PRIVACY_GRACE_DAYS, now);
    if (!(await this.enrol(person, record.watches, campaign, platforms, expires, now))) return 'skipped';
    await this.deps.stats.countCampaign(campaign.id, { sent_announcement: 1 }, now);
    return 'announced';
  }

  /** Enrols the watcher: a confirmed subscription whose countdown starts now; undefined when that lost a race. */
  private async enrol(person: Person, watches: readonly PlatformId[], campaign: Campaign, platforms: PlatformId[], expiresAt: Date, now: Date): Promise<Subscription | undefined> {
    // The announcement is their welcome: the countdown starts after what it already says.
    const start = countdownStartFor(now);
    const subscription: Subscription = {
      personId: person.id,
      campaignId: campaign.id,
      state: 'confirmed',
      platforms,
      objections: {},
      createdAt: now.toISOString(),
      confirmedAt: now.toISOString(),
      handledUntil: start.toISOString(),
      layout: TABLE_LAYOUT_VERSION,
    };
    const firstStepAt = nextStepAfter(stepsFor(campaign, { timeZone: person.timeZone, confirmedAt: now }), start)?.dueAt;
    // The announcement is a mail job in the enrolment's own transaction: enrolled and told, or neither.
    const announcement = newMailJob({ jobId: mailJobId.announcement(person.id, person.generation, campaign.id), kind: 'announcement', personId: person.id, campaignId: campaign.id, now });
    const enrolled = await this.deps.people.enrol({ person, watches, subscription, firstStepAt, expiresAt, now, announcement });
    return enrolled ? subscription : undefined;
  }
}
