import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { DUE_INDEX, keys, parseDueSk, shardOf } from './keys.js';
import { conditionHeld, SendClaims, type ClaimOutcome, type Lease } from './send-claims.js';

/** What the countdown's reads and writes cost, for the run summary and the benchmark. */
export interface DynamoUsage {
  requests: number;
  readCapacity: number;
  writeCapacity: number;
}

const DueKey = z.object({ dueSk: z.string() });

/** How far re-timing a campaign towards a new schedule version has come: a shard and a page key in it. */
export const RetimeCursor = z.object({
  version: z.string(),
  shard: z.number().int().min(0),
  startKey: z.record(z.string(), z.unknown()).optional(),
});
export type RetimeCursor = z.infer<typeof RetimeCursor>;

const ScheduleState = z.object({ version: z.string().optional(), retiming: RetimeCursor.optional() });
export type ScheduleState = z.infer<typeof ScheduleState>;

/** One subscription the due index lists: a person and a campaign. */
export interface DueEntry {
  personId: string;
  campaignId: string;
}

/**
 * The countdown's side of the table: the sharded "next email due" index, the per-step claims that
 * make every send happen once, and the schedule version of each campaign.
 */
export class CountdownStore {
  readonly usage: DynamoUsage = { requests: 0, readCapacity: 0, writeCapacity: 0 };

  private readonly claims: SendClaims;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly shards: number,
  ) {
    this.claims = new SendClaims((command) => this.sendCounted(command), tableName);
  }

  private count(capacity: ConsumedCapacity | ConsumedCapacity[] | undefined, kind: 'read' | 'write'): void {
    this.usage.requests += 1;
    for (const item of [capacity ?? []].flat()) {
      if (kind === 'read') this.usage.readCapacity += item.CapacityUnits ?? 0;
      else this.usage.writeCapacity += item.CapacityUnits ?? 0;
    }
  }

  /**
   * One page of subscriptions due by `now` on one shard, oldest first. Only due items are read, so
   * a run costs one query per shard when nothing is due, however many people there are.
   */
  async queryDue(
    shard: number,
    now: Date | undefined,
    startKey?: Record<string, unknown>,
    pageSize = 100,
  ): Promise<{ entries: DueEntry[]; nextKey: Record<string, unknown> | undefined }> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: now ? 'duePk = :pk AND dueSk <= :upper' : 'duePk = :pk',
        ExpressionAttributeValues: {
          ':pk': keys.due(shard, new Date(0), '', '').duePk,
          // "~" sorts after every character of an id, so every item due at `now` is included.
          ...(now ? { ':upper': `${now.toISOString()}#~` } : {}),
        },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count(result.ConsumedCapacity, 'read');
    const entries = (result.Items ?? []).map((item) => parseDueSk(DueKey.parse(item).dueSk)).filter((entry) => entry !== undefined);
    return { entries, nextKey: result.LastEvaluatedKey };
  }

  /**
   * Claims (person, campaign, step) before sending. 'claimed' for exactly one caller; 'sent' when the
   * step went out before; 'busy' while another run holds it; 'taken-over' when the claim of a run
   * that died (its lease ran out) passes to this one, with when that run claimed it.
   */
  async claimStep(entry: DueEntry, stepId: string, runId: string, lease: Lease, expires: Date): Promise<ClaimOutcome> {
    return this.claims.claim(keys.step(entry.personId, entry.campaignId, stepId), runId, lease, expires);
  }

  /** Sends one command and counts it, answered or refused: a failed condition costs a request too. */
  private async sendCounted(command: PutCommand | GetCommand | UpdateCommand | DeleteCommand): Promise<{ Item?: Record<string, unknown> }> {
    try {
      // The commands share one output shape for what is read here.
      const result = (await this.db.send(command as GetCommand)) as { Item?: Record<string, unknown>; ConsumedCapacity?: ConsumedCapacity };
      this.count(result.ConsumedCapacity, command instanceof GetCommand ? 'read' : 'write');
      return result;
    } catch (error) {
      this.usage.requests += 1;
      throw error;
    }
  }

  /** Sends one conditional write and counts it; false when its condition did not hold. */
  private writeIf(command: UpdateCommand): Promise<boolean> {
    return conditionHeld(this.sendCounted(command));
  }

  /** Records a step as sent, for good. */
  markStepSent(entry: DueEntry, stepId: string, sentAt: Date): Promise<void> {
    return this.claims.markSent(keys.step(entry.personId, entry.campaignId, stepId), sentAt);
  }

  /** Gives a claim back after a failed send, so that a later run retries the step. */
  releaseStep(entry: DueEntry, stepId: string, runId: string): Promise<void> {
    return this.claims.release(keys.step(entry.personId, entry.campaignId, stepId), runId);
  }

  /**
   * Moves a subscription's place in the due index: to `next`, or out of it when nothing is left.
   * `handledUntil` only moves forward, so two runs racing cannot bring back a handled step.
   */
  async reschedule(entry: DueEntry, handledUntil: Date | undefined, next: Date | undefined): Promise<void> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':confirmed': 'confirmed' };
    const set: string[] = [];
    let condition = '#state = :confirmed';
    if (handledUntil) {
      set.push('handledUntil = :handled');
      values[':handled'] = handledUntil.toISOString();
      condition += ' AND (attribute_not_exists(handledUntil) OR handledUntil <= :handled)';
    }
    if (next) {
      const due = keys.due(shardOf(entry.personId, this.shards), next, entry.personId, entry.campaignId);
      set.push('duePk = :duePk', 'dueSk = :dueSk');
      Object.assign(values, { ':duePk': due.duePk, ':dueSk': due.dueSk });
    }
    const update = [set.length ? `SET ${set.join(', ')}` : '', next ? '' : 'REMOVE duePk, dueSk'].filter(Boolean).join(' ');
    // A failed condition means gone, no longer confirmed, or another run already moved further.
    await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscription(entry.personId, entry.campaignId),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Takes a subscription out of the due index, whatever its state (erased, ended, suppressed). */
  async unschedule(entry: DueEntry): Promise<void> {
    await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscription(entry.personId, entry.campaignId),
        UpdateExpression: 'REMOVE duePk, dueSk',
        ConditionExpression: 'attribute_exists(pk)',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /**
   * The schedule version the due index was last timed for, and the re-timing under way towards a
   * newer one: one read per campaign and run.
   */
  async scheduleState(campaignId: string): Promise<ScheduleState> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.campaignSchedule(campaignId), ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(result.ConsumedCapacity, 'read');
    return ScheduleState.parse(result.Item ?? {});
  }

  /** Where a re-timing stopped, saved after every page so that the next run goes on from there. */
  async saveRetimeCursor(campaignId: string, cursor: RetimeCursor): Promise<void> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.campaignSchedule(campaignId),
        UpdateExpression: 'SET retiming = :cursor',
        ExpressionAttributeValues: { ':cursor': RetimeCursor.parse(cursor) },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count(result.ConsumedCapacity, 'write');
  }

  /** The due index is timed for `version`: the re-timing towards it, if any, is over. */
  async saveScheduleVersion(campaignId: string, version: string): Promise<void> {
    const result = await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.campaignSchedule(campaignId), version }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(result.ConsumedCapacity, 'write');
  }
}
