import { TransactionCanceledException, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { MailJob } from '../domain/mail-job.js';
import { DUE_INDEX, keys, parseDueSk, shardOf, type DueKind } from './keys.js';
import { mailJobPut } from './mail-jobs.js';
import { conditionHeld } from './conditions.js';

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

/** One entry of the due index: a person, and whether their mornings or their watch's question is due. */
export interface DueEntry {
  personId: string;
  kind: DueKind;
}

/**
 * What enqueueing a morning did: 'queued' wrote its mail job and moved the mornings on;
 * 'duplicate' found the job written before (a repeated or racing run); 'moved' found the
 * person's mornings gone (erased) or already past it.
 */
export type MorningEnqueued = 'queued' | 'duplicate' | 'moved';

/** Tries of one morning's transaction when it races another run's (TransactionConflict), as many as a sign-up's. */
const CONFLICT_TRIES = 8;

/**
 * The countdown's side of the table: the sharded "next email due" index, the transaction that
 * writes a morning's mail job as it moves the person's mornings on, and the schedule version of
 * each campaign.
 */
export class CountdownStore {
  readonly usage: DynamoUsage = { requests: 0, readCapacity: 0, writeCapacity: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly shards: number,
  ) {}

  private count(capacity: ConsumedCapacity | ConsumedCapacity[] | undefined, kind: 'read' | 'write'): void {
    this.usage.requests += 1;
    for (const item of [capacity ?? []].flat()) {
      if (kind === 'read') this.usage.readCapacity += item.CapacityUnits ?? 0;
      else this.usage.writeCapacity += item.CapacityUnits ?? 0;
    }
  }

  /**
   * One page of entries due by `now` on one shard, oldest first. Only due items are read, so
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
          ':pk': keys.due(shard, new Date(0), '', 'mornings').duePk,
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

  /** Sends one write and counts it, answered or refused: a failed condition costs a request too. */
  private async sendCounted(command: UpdateCommand | TransactWriteCommand): Promise<void> {
    try {
      // The commands share the one output field read here.
      const result = (await this.db.send(command as UpdateCommand)) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      this.count(result.ConsumedCapacity, 'write');
    } catch (error) {
      this.usage.requests += 1;
      throw error;
    }
  }

  /** Sends one conditional write and counts it; false when its condition did not hold. */
  private writeIf(command: UpdateCommand): Promise<boolean> {
    return conditionHeld(this.sendCounted(command));
  }

  /**
   * Moves a person's mornings in the due index: to `next`, or out of it when nothing is left.
   * `handledUntil` only moves forward, so two runs racing cannot bring back a handled morning.
   */
  async reschedule(personId: string, handledUntil: Date | undefined, next: Date | undefined): Promise<void> {
    // A failed condition means gone (erased), or another run already moved further.
    await this.writeIf(new UpdateCommand({ ...this.rescheduleUpdate(personId, handledUntil, next), ReturnConsumedCapacity: 'TOTAL' }));
  }

  /**
   * A due morning's email: writes its mail job and moves the person's mornings past it in ONE
   * transaction, so the morning is enqueued exactly when the mornings move on. The job's
   * deterministic id (the person's local date) makes a repeated or racing run collapse into the
   * job already written; a transaction that raced another (TransactionConflict) is tried again,
   * and then finds it.
   */
  async enqueueMorning(personId: string, job: MailJob, handledUntil: Date, next: Date | undefined, expires: Date): Promise<MorningEnqueued> {
    const write = new TransactWriteCommand({
      TransactItems: [mailJobPut(this.tableName, job, { expires }), { Update: this.rescheduleUpdate(personId, handledUntil, next) }],
      ReturnConsumedCapacity: 'TOTAL',
    });
    for (let tries = 1; ; tries += 1) {
      try {
        await this.sendCounted(write);
        return 'queued';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [jobReason, morningsReason] = error.CancellationReasons ?? [];
        if (jobReason?.Code === 'ConditionalCheckFailed') return 'duplicate';
        if (morningsReason?.Code === 'ConditionalCheckFailed') return 'moved';
        if (tries >= CONFLICT_TRIES) throw error;
        // A short random wait, so that the two racers do not meet again at once.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * tries));
      }
    }
  }

  /** The update that moves a person's mornings in the due index, guarded so that it never moves back. */
  private rescheduleUpdate(personId: string, handledUntil: Date | undefined, next: Date | undefined) {
    const values: Record<string, unknown> = {};
    const set: string[] = [];
    let condition = 'attribute_exists(pk)';
    if (handledUntil) {
      set.push('handledUntil = :handled');
      values[':handled'] = handledUntil.toISOString();
      condition += ' AND (attribute_not_exists(handledUntil) OR handledUntil <= :handled)';
    }
    if (next) {
      const due = keys.due(shardOf(personId, this.shards), next, personId, 'mornings');
      set.push('duePk = :duePk', 'dueSk = :dueSk');
      Object.assign(values, { ':duePk': due.duePk, ':dueSk': due.dueSk });
    }
    const update = [set.length ? `SET ${set.join(', ')}` : '', next ? '' : 'REMOVE duePk, dueSk'].filter(Boolean).join(' ');
    return {
      TableName: this.tableName,
      Key: keys.mornings(personId),
      UpdateExpression: update,
      ConditionExpression: condition,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    };
  }

  /** Takes a person's mornings out of the due index, whatever became of them (erased, suppressed, done). */
  async unschedule(personId: string): Promise<void> {
    await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.mornings(personId),
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
