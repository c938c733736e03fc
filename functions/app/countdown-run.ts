import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Campaign } from '../domain/campaign.js';
import { morningsOf } from '../domain/checklist.js';
import type { Platform } from '../domain/platform.js';
import { decideDue, DEFAULT_MAX_LATENESS_MS, nextAfter } from '../domain/schedule.js';
import { mailJobId, newMailJob } from '../domain/mail-job.js';
import { PEOPLE_SCOPE } from '../domain/stats.js';
import type { CountdownStore, DueEntry, DynamoUsage, RetimeCursor } from '../store/countdown-store.js';
import type { PersonStore } from '../store/person-store.js';
import type { StatsStore } from '../store/stats-store.js';
import { errorFields, logger } from '../observability.js';
import type { AnnouncementSummary, WatchAnnouncements } from './watch-announcements.js';
import type { WatchRenewals } from './watch-renewal.js';

/** What one run did, printed by the command and logged as JSON in Lambda. */
export interface RunSummary {
  runId: string;
  now: string;
  /** Entries the due index returned: people whose morning (or watch question) is due. */
  due: number;
  /** Morning emails (and watch questions) whose mail job this run wrote; the mailer sends them. */
  queued: number;
  /** Due entries that needed no email: done, gone, stale, re-timed, or enqueued by another run. */
  skipped: number;
  failed: number;
  /** People re-timed because a campaign's schedule changed. */
  retimed: number;
  /** Campaigns whose re-timing ran out of this run's share of the budget: the next run goes on from its cursor. */
  retimingLeft: number;
  /** The run hit its time budget; the next run continues where it stopped. */
  stoppedEarly: boolean;
  /** What the watch announced in this run, when it runs. */
  announcements: AnnouncementSummary | undefined;
  dynamo: DynamoUsage;
}

export interface RunOptions {
  /** Stop starting new work after this long (Lambda stops a run at 15 minutes). */
  budgetMs: number;
  /** Shards queried at once. */
  parallelShards: number;
  /** People handled at once per shard. */
  concurrency: number;
  maxLatenessMs: number;
  /** Real time, for budgets and claim leases, even when `now` is simulated. */
  realClock: Clock;
  /**
   * The share of the budget that re-timing moved campaigns may take before sending starts, so that
   * a big campaign's moved deadline never stops the other campaigns' reminders.
   */
  retimeShare: number;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  budgetMs: 10 * 60_000,
  parallelShards: 4,
  concurrency: 8,
  maxLatenessMs: DEFAULT_MAX_LATENESS_MS,
  realClock: () => new Date(),
  retimeShare: 0.5,
};

/** A fingerprint of what times a campaign's mornings: when it changes, people's next mornings are re-timed. */
export function scheduleVersion(campaign: Campaign): string {
  const sorted = (days: readonly number[]) => [...days].sort((a, b) => a - b);
  const timing = JSON.stringify([campaign.deadline, sorted(campaign.reminderOffsetsDays), campaign.announcedAt, campaign.platforms, campaign.earlierMarksCount]);
  return createHash('sha256').update(timing).digest('base64url').slice(0, 16);
}

/** The run options a configuration asks for. */
export function runOptionsFrom(config: Pick<Config, 'SEND_DUE_BUDGET_SECONDS'>): Partial<RunOptions> {
  return { budgetMs: config.SEND_DUE_BUDGET_SECONDS * 1000 };
}

type Outcome = 'queued' | 'skipped' | 'failed';

/**
 * The scheduled function: enqueues every morning email that is due, once, and sends nothing
 * itself. Reads only what is due through the sharded index; writes each morning's mail job in the
 * transaction that moves the person's mornings on, under the job id of the person's local date, so
 * concurrent or repeated runs enqueue a morning once and nobody gets two emails a day. The mailer
 * sends the jobs.
 */
export class Countdown {
  private readonly people: PersonStore;
  private readonly store: CountdownStore;
  private readonly campaigns: readonly Campaign[];
  private readonly platforms: readonly Platform[];
  private readonly clock: Clock;
  private readonly stats: StatsStore;

  private readonly announcements: WatchAnnouncements | undefined;
  private readonly renewals: WatchRenewals | undefined;

  constructor(deps: {
    people: PersonStore;
    store: CountdownStore;
    campaigns: readonly Campaign[];
    platforms: readonly Platform[];
    clock: Clock;
    stats: StatsStore;
    /** Tells watchers of new deadlines, in the same run, with what is left of its budget. */
    announcements?: WatchAnnouncements;
    /** Asks watchers once a year whether to keep watching; their questions sit in the same due index. */
    renewals?: WatchRenewals;
  }) {
    ({ people: this.people, store: this.store, campaigns: this.campaigns, platforms: this.platforms, clock: this.clock, stats: this.stats } = deps);
    this.announcements = deps.announcements;
    this.renewals = deps.renewals;
  }

  async run(options: Partial<RunOptions> = {}): Promise<RunSummary> {
    const opts = { ...DEFAULT_RUN_OPTIONS, ...options };
    const now = this.clock();
    const startedAt = opts.realClock().getTime();
    const overBudget = () => opts.realClock().getTime() - startedAt >= opts.budgetMs;
    const usageBefore = { ...this.store.usage };
    const summary: RunSummary = {
      runId: randomUUID(),
      now: now.toISOString(),
      due: 0,
      queued: 0,
      skipped: 0,
      failed: 0,
      retimed: 0,
      retimingLeft: 0,
      stoppedEarly: false,
      announcements: undefined,
      dynamo: usageBefore,
    };

    const retimeBudgetMs = opts.budgetMs * opts.retimeShare;
    const retiming = await this.retimeChangedCampaigns(() => opts.realClock().getTime() - startedAt >= retimeBudgetMs, opts.concurrency);
    summary.retimed = retiming.retimed;
    summary.retimingLeft = retiming.left;

    const shards = Array.from({ length: this.store.shards }, (_, shard) => shard);
    await inParallel(shards, opts.parallelShards, async (shard) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        if (overBudget()) {
          summary.stoppedEarly = true;
          return;
        }
        const page = await this.store.queryDue(shard, now, startKey);
        startKey = page.nextKey;
        summary.due += page.entries.length;
        await inParallel(page.entries, opts.concurrency, async (entry) => {
          if (overBudget()) {
            summary.stoppedEarly = true;
            return;
          }
          summary[await this.handleSafely(entry, now, summary.runId, opts)] += 1;
        });
      } while (startKey);
    });

    if (this.announcements && !summary.stoppedEarly) {
      summary.announcements = await this.announcements.run({ overBudget });
      summary.stoppedEarly ||= summary.announcements.stoppedEarly;
    }

    const usage = this.store.usage;
    summary.dynamo = {
      requests: usage.requests - usageBefore.requests,
      readCapacity: usage.readCapacity - usageBefore.readCapacity,
      writeCapacity: usage.writeCapacity - usageBefore.writeCapacity,
    };
    return summary;
  }

  /** One person's fault (a throttled read, a bad record) fails that person, not the run. */
  private async handleSafely(entry: DueEntry, now: Date, runId: string, opts: RunOptions): Promise<Outcome> {
    try {
      return await this.handle(entry, now, opts);
    } catch (error) {
      logger.error('due entry failed', { runId, kind: entry.kind, ...errorFields(error) });
      return 'failed';
    }
  }

  /** Decides and, when a morning is due, enqueues the one email of that morning to one person. */
  private async handle(entry: DueEntry, now: Date, opts: RunOptions): Promise<Outcome> {
    if (entry.kind === 'watch-renewal') {
      if (!this.renewals) return 'skipped';
      return this.renewals.handle(entry.personId, now);
    }
    // One query reads the person whole: a person who left, or was suppressed, gets nothing.
    const { person, mornings: state } = await this.people.load(entry.personId, now);
    if (!person || person.status !== 'active') {
      await this.store.unschedule(entry.personId);
      return 'skipped';
    }
    const mornings = morningsOf(person, this.platforms, this.campaigns, now);
    const handledUntil = new Date(state.handledUntil ?? person.confirmedAt ?? now);
    const decision = decideDue(mornings, handledUntil, now, opts.maxLatenessMs);
    switch (decision.kind) {
      case 'finished':
        // Everything done, or nothing more to remind of: out of the index.
        await this.store.reschedule(person.id, undefined, undefined);
        return 'skipped';
      case 'wait':
        // The index said due, the schedule says later: a campaign moved or a platform changed. Re-time, send nothing.
        await this.store.reschedule(person.id, undefined, decision.next.dueAt);
        return 'skipped';
      case 'skip':
        await this.store.reschedule(person.id, decision.skipped.at(-1)?.dueAt, decision.next?.dueAt);
        return 'skipped';
      case 'send': {
        const { step: morning, next } = decision;
        // The job goes when the person's data goes.
        const expires = new Date(Math.max(Date.parse(person.retainUntil ?? now.toISOString()), morning.dueAt.getTime() + 30 * 86_400_000));
        const job = newMailJob({ jobId: mailJobId.morning(person.id, person.generation, morning.id), kind: 'morning', personId: person.id, stepId: morning.id, now });
        const enqueued = await this.store.enqueueMorning(person.id, job, morning.dueAt, next?.dueAt, expires);
        // 'duplicate': a racing run wrote the job and moved the mornings on with it.
        if (enqueued !== 'queued') return 'skipped';
        await this.stats.count(PEOPLE_SCOPE, { sent_morning: 1 }, now);
        return 'queued';
      }
    }
  }

  /**
   * When a campaign's deadline, offsets or platforms changed since the index was timed (a new
   * campaign too), moves every active person to their next morning on the new schedules. Walks the
   * active people (the audience index), once per changed schedule; saves a cursor after every page
   * of people and when `stop()` says to stop, and the next run goes on from there. Costs one read
   * per campaign otherwise. Until it is done, sending stays right: each due entry is decided on the new schedule.
   */
  private async retimeChangedCampaigns(stop: () => boolean, concurrency: number): Promise<{ retimed: number; left: number }> {
    let retimed = 0;
    let left = 0;
    const now = this.clock();
    for (const campaign of this.campaigns) {
      const version = scheduleVersion(campaign);
      const state = await this.store.scheduleState(campaign.id);
      if (state.version === version) continue;
      const cursor: RetimeCursor = state.retiming?.version === version ? { ...state.retiming } : { version, shard: 0 };
      let finished = true;
      while (cursor.shard < this.people.shards) {
        if (stop()) {
          finished = false;
          await this.store.saveRetimeCursor(campaign.id, cursor);
          break;
        }
        const page = await this.people.audiencePage({ people: true }, cursor.shard, cursor.startKey);
        await inParallel(page.personIds, concurrency, async (personId) => {
          if (await this.retimeOne(campaign, personId, now)) retimed += 1;
        });
        if (page.nextKey) cursor.startKey = page.nextKey;
        else {
          cursor.shard += 1;
          delete cursor.startKey;
        }
        // After a page of people, so that a run that dies re-times few twice; an empty page (a new
        // table's shards) is cheaper to read again than to record.
        if (page.personIds.length) await this.store.saveRetimeCursor(campaign.id, cursor);
      }
      if (finished) await this.store.saveScheduleVersion(campaign.id, version);
      else left += 1;
    }
    return { retimed, left };
  }

  /** Puts one person of a campaign's platforms at their next morning; false when the campaign is not theirs. */
  private async retimeOne(campaign: Campaign, personId: string, now: Date): Promise<boolean> {
    const { person, mornings: state } = await this.people.load(personId, now);
    if (!person || person.status !== 'active' || !person.platforms.some((p) => p.state === 'active' && campaign.platforms.includes(p.id))) return false;
    const handledUntil = new Date(state.handledUntil ?? person.confirmedAt ?? now);
    const next = nextAfter(morningsOf(person, this.platforms, this.campaigns, now), handledUntil);
    await this.store.reschedule(personId, undefined, next?.dueAt);
    return true;
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (index < items.length) {
      const item = items[index++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}
