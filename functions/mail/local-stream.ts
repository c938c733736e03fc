import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';

export interface LocalStreamOptions {
  endpoint: string;
  region: string;
  tableName: string;
  /** Handles one GetRecords page; batches run a few at once, since a job may wait out a backoff. */
  onRecords: (records: _Record[]) => Promise<void>;
  /**
   * Runs about once a second beside the polling (the mailer wakes deferred jobs here); returns how
   * many records it wrote to the stream, which the next turn reads.
   */
  onTick?: () => Promise<number>;
  /**
   * Whether nothing waits outside the stream (the mailer: no job waits for a wake-up). Asked in the
   * turn that would answer `caughtUp()`, after its tick, so that no tick runs in between.
   */
  quiet?: () => Promise<boolean>;
  pollMs?: number;
  /**
   * The pause between turns while nobody waits for the stream and nothing is on its way (default:
   * `pollMs`); a caller of `caughtUp()` ends it at once. Many idle pollers on one DynamoDB Local
   * (a test file's stacks) otherwise keep it busy answering empty reads.
   */
  idlePollMs?: number;
  maxInFlight?: number;
  onError?: (error: unknown) => void;
}

export interface RunningStream {
  stop(): Promise<void>;
  /**
   * Resolves once every record written before the call was read and handled: a whole turn over
   * every shard, begun after the call, found nothing new, no batch was running, its tick wrote
   * nothing and `quiet` held.
   */
  caughtUp(): Promise<void>;
}

interface Shard {
  parent: string | undefined;
  iterator: string | undefined;
  lastSequence: string | undefined;
  done: boolean;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The table's stream ARN; a table made before streams were on (old `.data`) gets its stream here. */
async function streamArnOf(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.LatestStreamArn && Table.StreamSpecification?.StreamEnabled) return Table.LatestStreamArn;
  await dynamo.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
  const again = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  if (!again.Table?.LatestStreamArn) throw new Error(`Table ${tableName} has no stream.`);
  return again.Table.LatestStreamArn;
}

/**
 * Reads DynamoDB Local's own stream of a table, as Lambda reads the real one: every shard from
 * its oldest record, a child shard only once its parent is read to its end (so that a split
 * keeps the order of each item's records), new shards found as they appear.
 *
 * @example
 * const stream = await startLocalStream({ endpoint, region, tableName, onRecords: (r) => mailer.handleStreamRecords(r).then(() => {}) });
 */
export async function startLocalStream(options: LocalStreamOptions): Promise<RunningStream> {
  const dynamo = new DynamoDBClient({ endpoint: options.endpoint, region: options.region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: options.region, credentials });
  const streamArn = await streamArnOf(dynamo, options.tableName);
  const pollMs = options.pollMs ?? 100;
  const idlePollMs = options.idlePollMs ?? pollMs;
  /** Ends the current idle pause early. */
  let wakeIdle: (() => void) | undefined;
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wakeIdle = undefined));
  const maxInFlight = options.maxInFlight ?? 8;
  const onError = options.onError ?? ((error: unknown) => console.error(`local mailer stream: ${error instanceof Error ? error.name : String(error)}`));
  const shards = new Map<string, Shard>();
  const inFlight = new Set<Promise<void>>();
  let running = true;
  let lastDescribe = 0;
  let lastTick = 0;
  /** Callers of caughtUp(), each with the turn it waits to see idle. */
  let turn = 0;
  const waiting: { afterTurn: number; resolve: () => void }[] = [];

  const discover = async () => {
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !shards.has(shard.ShardId)) {
          shards.set(shard.ShardId, { parent: shard.ParentShardId, iterator: undefined, lastSequence: undefined, done: false });
        }
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  };

  const iteratorFor = async (shardId: string, shard: Shard) => {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(shard.lastSequence ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  };

  const dispatch = async (records: _Record[]) => {
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const batch = options.onRecords(records).catch(onError);
    inFlight.add(batch);
    void batch.finally(() => inFlight.delete(batch));
  };

  /** Reads a shard once; returns how many records it read, or 1 when it could not read (its iterator was refused). */
  const pollShard = async (shardId: string, shard: Shard): Promise<number> => {
    // A parent still being read (or not yet known to be read): its child waits.
    const parent = shard.parent ? shards.get(shard.parent) : undefined;
    if (parent && !parent.done) return 0;
    shard.iterator ??= await iteratorFor(shardId, shard);
    if (!shard.iterator) {
      shard.done = true;
      return 0;
    }
    try {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
      const records = page.Records ?? [];
      if (records.length) {
        shard.lastSequence = records[records.length - 1]?.dynamodb?.SequenceNumber ?? shard.lastSequence;
        await dispatch(records);
      }
      shard.iterator = page.NextShardIterator;
      // No next iterator: the shard is closed and read to its end.
      if (!shard.iterator) shard.done = true;
      return records.length;
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        if (error instanceof TrimmedDataAccessException) shard.lastSequence = undefined;
        shard.iterator = undefined;
        // Not read to its end in this turn, so the turn is not idle: the next one reads it with a
        // fresh iterator. DynamoDB Local refuses (Trimmed…) the iterator of a new table's empty shard
        // when another table's write took the shard's starting sequence number before this table's first.
        return 1;
      }
      throw error;
    }
  };

  const loop = async () => {
    while (running) {
      let read = 0;
      let quiet = false;
      const thisTurn = ++turn;
      // A batch running as the turn starts may write (a retry re-queues its job) after this turn's
      // read: the turn cannot tell the stream is read to its end.
      const busyAtStart = inFlight.size > 0;
      // Someone waits for the stream to be read to its end: look for new shards in this turn too.
      if (waiting.length) lastDescribe = 0;
      try {
        // A new table's first shard appears with its first write: look for it at every turn until then.
        const open = [...shards.values()].some((shard) => !shard.done);
        if (!open || Date.now() - lastDescribe >= 1000) {
          await discover();
          lastDescribe = Date.now();
        }
        for (const [shardId, shard] of shards) if (!shard.done) read += await pollShard(shardId, shard);
        if (options.onTick && Date.now() - lastTick >= 1000) {
          lastTick = Date.now();
          // A woken job's fresh image is read next turn: a tick that wrote makes the turn not idle.
          read += await options.onTick().catch((error: unknown) => (onError(error), 1));
        }
        quiet = !read && waiting.length > 0 && !busyAtStart && inFlight.size === 0 && (await (options.quiet?.() ?? true));
      } catch (error) {
        onError(error);
        await sleep(500);
        continue;
      }
      // Nothing new and nothing running: what a running batch writes (a retry re-queues its job) is read next turn.
      if (quiet && inFlight.size === 0) {
        for (const waiter of waiting.filter((w) => w.afterTurn < thisTurn)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      if (!read && running) await (waiting.length || inFlight.size ? sleep(pollMs) : idle(idlePollMs));
    }
  };

  const done = loop();
  return {
    caughtUp() {
      const caught = new Promise<void>((resolve) => waiting.push({ afterTurn: turn, resolve }));
      wakeIdle?.();
      return caught;
    },
    async stop() {
      running = false;
      wakeIdle?.();
      await done;
      await Promise.allSettled([...inFlight]);
      streams.destroy();
      dynamo.destroy();
    },
  };
}
