import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { announcedAtOf, deadlineOf, isAnnounced, type Campaign } from '../domain/campaign.js';
import { morningsOf } from '../domain/checklist.js';
import { mailJobId, newMailJob } from '../domain/mail-job.js';
import type { Platform, PlatformId } from '../domain/platform.js';
import { activeSince } from '../domain/platform-list.js';
import { personalDataExpiry } from '../domain/retention.js';
import { nextAfter } from '../domain/schedule.js';
import { PEOPLE_SCOPE } from '../domain/stats.js';
import type { AnnouncementStore } from '../store/announcement-store.js';
import type { PersonStore } from '../store/person-store.js';
import type { StatsStore } from '../store/stats-store.js';
import { errorFields, logger } from '../observability.js';

/** What one pass over the announced campaigns did; counts only. */
export interface AnnouncementSummary {
  /** Watchers read from the platforms' indexes. */
  watchers: number;
  announced: number;
  /** Watchers no longer watching or using its platforms, or announced to by another run. */
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
 * watcher of one of its platforms gets one announcement email with its guide and countdown; the
 * deadline is then their platform's action, and their mornings count down to it. It reads only the
 * watchers of those platforms (the audience index, by shard), saves a cursor per shard as it goes
 * (a run stopped by its budget, or killed, resumes there), and writes each announcement in one
 * transaction with the watcher's next morning and kept data, under a job id per (person,
 * campaign), so two runs at once or a rerun announce nothing twice, and the mailer sends it.
 */
export class WatchAnnouncements {
  constructor(
    private readonly deps: {
      people: PersonStore;
      store: AnnouncementStore;
      stats: StatsStore;
      campaigns: readonly Campaign[];
      platforms: readonly Platform[];
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
      for (const platform of campaign.platforms) {
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

  /** A watcher changed meanwhile: read them again, a few times; an announcement written before fails every time. */
  private async announce(campaign: Campaign, personId: string, options: { now: Date }): Promise<'announced' | 'skipped' | 'failed'> {
    for (let round = 0; round < 3; round++) {
      const outcome = await this.announceOnce(campaign, personId, options);
      if (outcome !== 'raced') return outcome;
    }
    return 'skipped';
  }

  private async announceOnce(campaign: Campaign, personId: string, options: { now: Date }): Promise<'announced' | 'skipped' | 'raced'> {
    const { now } = options;
    const { people, platforms: catalog, campaigns } = this.deps;
    const record = await people.load(personId, now);
    const { person } = record;
    if (!person || person.status !== 'active' || !person.watch) return 'skipped';
    // News only for a platform they used before the campaign was announced: one added since got its guide with the countdown.
    const announced = announcedAtOf(campaign).getTime();
    if (!person.platforms.some((p) => p.state === 'active' && campaign.platforms.includes(p.id) && Date.parse(p.addedAt ?? p.askedAt) < announced)) return 'skipped';
    // The data is kept through the new countdown, and the mornings count down to it from now on.
    const retainUntil = personalDataExpiry(
      { timeZone: person.timeZone, platforms: activeSince(person) },
      { catalog, campaigns, graceDays: this.deps.config.PRIVACY_GRACE_DAYS, now, notBefore: new Date(person.retainUntil ?? now.toISOString()) },
    );
    const next = nextAfter(morningsOf(person, catalog, campaigns, now), new Date(record.mornings.handledUntil ?? now.toISOString()))?.dueAt;
    // The announcement's job id is one per (person, campaign): a second run's transaction fails on it.
    const announcement = newMailJob({ jobId: mailJobId.announcement(person.id, person.generation, campaign.id), kind: 'announcement', personId: person.id, campaignId: campaign.id, now });
    const saved = await people.savePerson(
      {
        person: { ...person, retainUntil: retainUntil.toISOString(), version: person.version + 1 },
        expectedVersion: person.version,
        personExpiresAt: retainUntil,
        personDue: record.personDue,
        mornings: { next, handledUntil: now },
        watches: { add: [], remove: [], keep: record.watches, since: now },
        mails: [announcement],
      },
      now,
    );
    if (!saved) return 'raced';
    await this.deps.stats.count(PEOPLE_SCOPE, { sent_announcement: 1 }, now);
    return 'announced';
  }
}
