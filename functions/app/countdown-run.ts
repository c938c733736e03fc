import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { deadlineOf, type Campaign } from '../domain/campaign.js';
import { decideStep, DEFAULT_MAX_LATENESS_MS, nextStepAfter, stepsFor } from '../domain/schedule.js';
import { mailJobId, newMailJob } from '../domain/mail-job.js';
import { platformsLeft, scheduleReaderOf } from '../domain/subscription.js';
import type { CountdownStore, DueEntry, DynamoUsage, RetimeCursor } from '../store/countdown-store.js';
import type { PersonStore } from '../store/person-store.js';
import type { StatsStore } from '../store/stats-store.js';
import { errorFields, logger } from '../observability.js';
import type { AnnouncementSummary, WatchAnnouncements } from './watch-announcements.js';
import type { WatchRenewals } from './watch-renewal.js';
import { WATCH_RENEWAL } from '../domain/watch.js';

/** What one run did, printed by the command and logged as JSON in Lambda. */
export interface RunSummary {
  runId: string;
  now: string;
  /** Subscriptions the due index returned. */
  due: number;
  /** Steps whose mail job this run wrote; the mailer sends them. */
  queued: number;
  /** Due items that needed no email: done, gone, stale, re-timed, or enqueued by another run. */
  skipped: number;
  failed: number;
  /** Subscriptions re-timed because a campaign's schedule changed. */
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
  /** Subscriptions handled at once per shard. */
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

/** A fingerprint of what times a campaign's steps: when it changes, pending steps are re-timed. */
export function scheduleVersion(campaign: Campaign): string {
  const sorted = (days: readonly number[]) => [...days].sort((a, b) => a - b);
  const timing = JSON.stringify([campaign.deadline, sorted(campaign.reminderOffsetsDays), campaign.sendHour, sorted(campaign.reminderDaysAfterConfirm)]);
  return createHash('sha256').update(timing).digest('base64url').slice(0, 16);
}

/** The run options a configuration asks for. */
export function runOptionsFrom(config: Pick<Config, 'SEND_DUE_BUDGET_SECONDS'>): Partial<RunOptions> {
  return { budgetMs: config.SEND_DUE_BUDGET_SECONDS * 1000 };
}

type Outcome = 'queued' | 'skipped' | 'failed';

/**
 * The scheduled function: enqueues every countdown step that is due, once, and sends nothing
 * itself. Reads only what is due through the sharded index; writes each step's mail job in the
 * transaction that moves its subscription on, under the step's own job id, so concurrent or
 * repeated runs enqueue a step once. The mailer sends the jobs.
 */
export class Countdown {
  private readonly people: PersonStore;
  private readonly store: CountdownStore;
  private readonly campaigns: readonly Campaign[];
  private readonly clock: Clock;
  private readonly stats: StatsStore;

  private readonly announcements: WatchAnnouncements | undefined;
  private readonly renewals: WatchRenewals | undefined;

  constructor(deps: {
    people: PersonStore;
    store: CountdownStore;
    campaigns: readonly Campaign[];
    clock: Clock;
    stats: StatsStore;
    /** Tells watchers of new deadlines, in the same run, with what is left of its budget. */
    announcements?: WatchAnnouncements;
    /** Asks watchers once a year whether to keep watching; their questions sit in the same due index. */
    renewals?: WatchRenewals;
  }) {
    ({ people: this.people, store: this.store, campaigns: this.campaigns, clock: this.clock, stats: this.stats } = deps);
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

  /** One subscription's fault (a throttled read, a bad record) fails that subscription, not the run. */
  private async handleSafely(entry: DueEntry, now: Date, runId: string, opts: RunOptions): Promise<Outcome> {
    try {
      return await this.handle(entry, now, opts);
    } catch (error) {
      logger.error('subscription failed', { runId, campaign: entry.campaignId, ...errorFields(error) });
      return 'failed';
    }
  }

  /** Decides and, when a step is due, enqueues its email to one person for one campaign. */
  private async handle(entry: DueEntry, now: Date, opts: RunOptions): Promise<Outcome> {
    if (entry.campaignId === WATCH_RENEWAL) {
      if (!this.renewals) return 'skipped';
      return this.renewals.handle(entry.personId, now);
    }
    // One query reads the person and all their subscriptions: a person who left, or was
    // suppressed, gets nothing from any campaign.
    const record = await this.people.load(entry.personId, now);
    const { person } = record;
    const subscription = record.subscriptions.find((s) => s.campaignId === entry.campaignId);
    const campaign = this.campaigns.find((c) => c.id === entry.campaignId);
    // Gone, unconfirmed, left, suppressed or done: take them out of the index, send nothing.
    if (!person || person.status !== 'active' || !subscription || !campaign || subscription.state !== 'confirmed' || platformsLeft(subscription).length === 0) {
      await this.store.unschedule(entry);
      return 'skipped';
    }
    const steps = stepsFor(campaign, scheduleReaderOf(person, subscription));
    const handledUntil = new Date(subscription.handledUntil ?? subscription.confirmedAt ?? now);
    const decision = decideStep(steps, handledUntil, now, opts.maxLatenessMs);
    switch (decision.kind) {
      case 'finished':
        await this.store.reschedule(entry, undefined, undefined);
        return 'skipped';
      case 'wait':
        // The index said due, the schedule says later: the campaign moved. Re-time, send nothing.
        await this.store.reschedule(entry, undefined, decision.next.dueAt);
        return 'skipped';
      case 'skip': {
        const last = decision.skipped.at(-1);
        await this.store.reschedule(entry, last?.dueAt, decision.next?.dueAt);
        return 'skipped';
      }
      case 'send': {
        const { step, next } = decision;
        // The job goes when the subscriber's data goes: 90 days after the deadline.
        const expires = new Date((deadlineOf(campaign) ?? step.dueAt).getTime() + 90 * 86_400_000);
        const job = newMailJob({ jobId: mailJobId.step(person.id, campaign.id, step.id), kind: step.kind, personId: person.id, campaignId: campaign.id, stepId: step.id, now });
        const enqueued = await this.store.enqueueStep(entry, job, step.dueAt, next?.dueAt, expires);
        // 'duplicate': a racing run wrote the job and moved the subscription on with it.
        if (enqueued !== 'queued') return 'skipped';
        await this.stats.countCampaign(campaign.id, { sent_countdown: 1 }, now);
        return 'queued';
      }
    }
  }

  /**
   * When a campaign's deadline, offsets or send hour changed since the index was timed, moves each
   * of its confirmed subscriptions to its new next step. Walks the campaign's own audience, so the
   * cost grows with that campaign's people only; saves a cursor after every page and stops when
   * `stop()` says so, and the next run goes on from there. Costs one read per campaign otherwise.
   * Until it is done, sending stays right: each due entry is decided on the new schedule.
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
          break;
        }
        const page = await this.people.audiencePage({ campaignId: campaign.id }, cursor.shard, cursor.startKey);
        await inParallel(page.personIds, concurrency, async (personId) => {
          if (await this.retimeOne(campaign, personId, now)) retimed += 1;
        });
        if (page.nextKey) cursor.startKey = page.nextKey;
        else {
          cursor.shard += 1;
          delete cursor.startKey;
        }
        await this.store.saveRetimeCursor(campaign.id, cursor);
      }
      if (finished) await this.store.saveScheduleVersion(campaign.id, version);
      else left += 1;
    }
    return { retimed, left };
  }

  /** Puts one subscription at its next step on the campaign's current schedule; false when it has none to wait for. */
  private async retimeOne(campaign: Campaign, personId: string, now: Date): Promise<boolean> {
    const { person, subscriptions } = await this.people.load(personId, now);
    const subscription = subscriptions.find((s) => s.campaignId === campaign.id);
    if (!person || person.status !== 'active' || subscription?.state !== 'confirmed' || platformsLeft(subscription).length === 0) return false;
    const handledUntil = new Date(subscription.handledUntil ?? subscription.confirmedAt ?? now);
    const next = nextStepAfter(stepsFor(campaign, scheduleReaderOf(person, subscription)), handledUntil);
    await this.store.reschedule({ personId, campaignId: campaign.id }, undefined, next?.dueAt);
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
