import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  FEEDBACK_SCOPE,
  PEOPLE_SCOPE,
  statsDay,
  summariseCampaign,
  summariseFeedback,
  summarisePeople,
  type CampaignCounter,
  type CampaignStats,
  type FeedbackCounter,
  type FeedbackStats,
  type PeopleStats,
} from '../domain/stats.js';
import { countCounters, errorFields, logger } from '../observability.js';
import { dayOfStatsKey, keys } from './keys.js';
import { queryPartition } from './partition.js';

/**
 * The daily counters behind the operator's chart: one item per (campaign, day), updated with
 * atomic ADDs when something happens, so reading the numbers never scans the table and the
 * numbers survive every erasure (they hold no personal data).
 */
export class StatsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds to a campaign's counters of the day. Never throws: a lost count must not fail a sign-up or a send. */
  async countCampaign(campaignId: string, increments: Partial<Record<CampaignCounter, number>>, now: Date): Promise<void> {
    await this.add(campaignId, increments, now);
  }

  /** Adds to any scope's counters of the day (a campaign, or the people). Never throws. */
  async count(scope: string, increments: Partial<Record<string, number>>, now: Date): Promise<void> {
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
  counterUpdate(scope: string, increments: Partial<Record<string, number>>, now: Date) {
    const entries = Object.entries(increments).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] !== 0);
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

  /** Every day of a campaign's counters, with totals. */
  async campaignStats(campaignId: string): Promise<CampaignStats> {
    return summariseCampaign(await this.days(campaignId));
  }

  /** The people counters: persons signed up, confirmed, left, suppressed (subscriptions are counted per campaign). */
  async peopleStats(): Promise<PeopleStats> {
    return summarisePeople(await this.days(PEOPLE_SCOPE));
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
