import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  FEEDBACK_SCOPE,
  PEOPLE_SCOPE,
  PLATFORMS_SCOPE,
  statsDay,
  summariseFeedback,
  summarisePeople,
  summarisePlatforms,
  type FeedbackCounter,
  type FeedbackStats,
  type PeopleCounter,
  type PeopleStats,
  type PlatformCounter,
  type PlatformStats,
} from '../domain/stats.js';
import { countCounters, errorFields, logger } from '../observability.js';
import { dayOfStatsKey, keys } from './keys.js';
import { queryPartition } from './partition.js';

/** The counter names each scope takes, so that a counted name is one the summaries read. */
interface ScopeCounters {
  [PEOPLE_SCOPE]: PeopleCounter;
  [PLATFORMS_SCOPE]: PlatformCounter;
  [FEEDBACK_SCOPE]: FeedbackCounter;
}

/** The increments of a scope: typed for a scope named as a constant, any names for a scope computed at run time. */
type Increments<S extends string> = S extends keyof ScopeCounters ? Partial<Record<ScopeCounters[S], number>> : Partial<Record<string, number>>;

/**
 * The daily counters behind the operator's numbers: one item per (scope, day) for the people, the
 * platforms and SES feedback, updated with atomic ADDs when something happens, so reading the
 * numbers never scans the table and the numbers survive every erasure (they hold no personal data).
 */
export class StatsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds to a scope's counters of the day. Never throws: a lost count must not fail a sign-up or a send.
   *
   * @example
   * await stats.count(PEOPLE_SCOPE, { sent_morning: 1 }, now);
   */
  async count<S extends string>(scope: S, increments: Increments<S>, now: Date): Promise<void> {
    await this.add(scope, increments, now);
  }

  /** Adds to the service's bounce and complaint counters of the day. Never throws. */
  async countFeedback(increments: Partial<Record<FeedbackCounter, number>>, now: Date): Promise<void> {
    await this.add(FEEDBACK_SCOPE, increments, now);
  }

  /**
   * The counter update of a day as one action of a transaction, so that a count moves in the same
   * conditional write as the state it counts (an objection and its `done_` counter); undefined when
   * nothing is to be counted.
   */
  counterUpdate<S extends string>(scope: S, increments: Increments<S>, now: Date) {
    const entries = Object.entries(increments as Partial<Record<string, number>>).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] !== 0);
    if (entries.length === 0) return undefined;
    return {
      TableName: this.tableName,
      Key: keys.dailyStats(scope, statsDay(now)),
      UpdateExpression: `ADD ${entries.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], index) => [`#c${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, by], index) => [`:c${index}`, by])),
    };
  }

  private async add(scope: string, increments: Partial<Record<string, number>>, now: Date): Promise<void> {
    const update = this.counterUpdate(scope, increments, now);
    if (!update) return;
    const entries = Object.values(update.ExpressionAttributeNames);
    // Every counter of the chart is a CloudWatch metric too (flushed by the entry point).
    countCounters(Object.fromEntries(entries.map((name, index) => [name, Number(update.ExpressionAttributeValues[`:c${index}`])])));
    try {
      await this.db.send(new UpdateCommand(update));
    } catch (error) {
      logger.warn('counter not updated', { scope, counters: entries, ...errorFields(error) });
    }
  }

  /** The people counters of every day: forms, new people, confirmations, leaving, emails by kind. */
  async peopleStats(): Promise<PeopleStats> {
    return summarisePeople(await this.days(PEOPLE_SCOPE));
  }

  /** The platform counters of every day: asked for, picked, done and dropped, per platform. */
  async platformStats(): Promise<PlatformStats> {
    return summarisePlatforms(await this.days(PLATFORMS_SCOPE));
  }

  /** Every day of bounces and complaints, with totals. */
  async feedbackStats(): Promise<FeedbackStats> {
    return summariseFeedback(await this.days(FEEDBACK_SCOPE));
  }

  private async days(scope: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (const item of await queryPartition(this.db, this.tableName, keys.dailyStats(scope, '').pk)) {
      const date = dayOfStatsKey(String(item.sk));
      if (date) items.push({ ...item, date });
    }
    return items;
  }
}
