import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { createMailPipeline } from '../../functions/app/mail-pipeline.js';
import type { MailComposer } from '../../functions/app/mailer.js';
import type { Clock } from '../../functions/clock.js';
import type { Config } from '../../functions/config.js';
import type { MailTransport } from '../../functions/mail/send.js';
import { leaveUnrecorded, type WriteLog } from './writes.js';

/** The records of a job that threw are delivered again this often, as the stream's event source does (infra/mailer.ts). */
const MAX_RECORD_RETRIES = 10;

/** Rounds after which a test's mail is surely stuck: a job is parked long before. */
const MAX_ROUNDS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Real time whose waits take no time: a wait moves this clock on to its end at once, and it never
 * goes back. A backoff or a lease is then over the moment the mailer asks again, so the order of
 * what happens is the production one, and no test waits for a second to pass. It is never behind
 * the system's clock, so leases and backoffs written by other processes read as they do in real
 * time, only sooner: no other mailer may be sending from a stack's table while it delivers.
 */
function timeWithoutWaits(): { clock: Clock; sleep: (ms: number) => Promise<void> } {
  let ahead = 0;
  const clock: Clock = () => new Date(Date.now() + ahead);
  return {
    clock,
    sleep: async (ms) => {
      const until = clock().getTime() + ms;
      // Other work goes on first, as it would during a real wait.
      await new Promise((resolve) => setImmediate(resolve));
      ahead = Math.max(ahead, until - Date.now());
    },
  };
}

export interface OnDemandMail {
  /**
   * Delivers every job written so far and whatever they lead to, then resolves: the jobs the
   * service wrote (what the stream would bring), a released job again (its backoff waited for or
   * deferred), a deferred one once its wake-up is due, and last, for a stack whose table other
   * processes write to (a command), any job still unsettled.
   */
  deliver(): Promise<void>;
  stop(): void;
}

/**
 * The production mail pipeline (`createMailPipeline`: Mailer, pacer, retry policy, lease) fed the
 * way the table's stream feeds it, without polling the stream: the mail jobs a test stack's
 * service wrote are known from its recorded writes (tests/support/writes.ts). A poller asked
 * DynamoDB Local for records again and again, and every request to a table with a stream costs it
 * a pass over every stream record it holds. The real stream poller is kept end to end in the tests
 * of the local mailer (tests/integration/mailer.test.ts) and of `npm run dev`.
 */
export function onDemandMail(
  config: Config,
  options: {
    composer: MailComposer;
    transport: MailTransport;
    clock?: Clock;
    writes: WriteLog;
    /** Other processes write mail jobs to the table too (a command): their jobs are not recorded here. */
    otherWriters?: boolean;
  },
): OnDemandMail {
  const realTime = timeWithoutWaits();
  const { mailer, jobs, db } = createMailPipeline(config, {
    composer: options.composer,
    transport: options.transport,
    realTime,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // The mailer's own claims and marks are not new mail: the stream would bring them, but the
  // mailer leaves every image that is not a queued job alone.
  leaveUnrecorded(db);

  /**
   * Jobs still queued or claimed, whoever wrote them: what the sweep would hand to a mailer, read
   * as the sweep reads them (the due index's mail shards hold only unsettled jobs), never a scan.
   * Every instant in the index sorts below the last one with a four-digit year.
   */
  const unsettled = () => jobs.findStuck(new Date('9999-12-31T23:59:59Z'), 10_000);
  /**
   * Whether this mailer deferred a job whose wake-up it has not seen done: only the mailer writes
   * wake-ups, so a delivery with none deferred asks nothing of the table at its end (every
   * `inbox()` delivers for every stack of its file).
   */
  let deferred = false;

  const deliverAll = async () => {
    let again: string[] = [];
    const failures = new Map<string, number>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let ids = [...new Set([...again, ...options.writes.takeJobIds()])];
      again = [];
      if (!ids.length && deferred) {
        const wakeAt = await jobs.firstWakeAt();
        deferred = wakeAt !== undefined;
        if (wakeAt) {
          // Waited for as a mailer would (a little past it, so that the claim sees it due).
          if (wakeAt > realTime.clock()) await realTime.sleep(wakeAt.getTime() - realTime.clock().getTime() + 20);
          // Woken, the jobs are queued again: the due index lists them with any others unsettled.
          await jobs.wakeDue(realTime.clock());
          ids = await unsettled();
        }
      }
      if (!ids.length && options.otherWriters) ids = await unsettled();
      if (!ids.length) return;
      const { outcomes } = await mailer.deliver(ids);
      for (const id of ids) {
        const outcome = outcomes.get(id);
        // Released with backoff: its stream record would bring it back; the claim then waits or defers.
        if (outcome === 'retry-later') again.push(id);
        if (outcome === 'deferred') deferred = true;
        if (outcome === undefined) {
          // It threw (DynamoDB Local busy, say): delivered again, as Lambda retries a batch item failure.
          const failed = (failures.get(id) ?? 0) + 1;
          failures.set(id, failed);
          if (failed <= MAX_RECORD_RETRIES) again.push(id);
        }
      }
      if (again.length && again.every((id) => outcomes.get(id) === undefined)) await sleep(50 * Math.max(...again.map((id) => failures.get(id) ?? 1)));
    }
    throw new Error(`mail jobs of ${config.TABLE_NAME} still unsettled after ${MAX_ROUNDS} rounds of delivery`);
  };

  // One delivery at a time, as one shard of the stream is read in order.
  let queue: Promise<unknown> = Promise.resolve();
  const deliverUnlessDropped = () =>
    deliverAll().catch((error: unknown) => {
      // A test that dropped its table (to provoke failures) has no mail left to send.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  return {
    deliver: () => {
      const next = queue.then(deliverUnlessDropped);
      queue = next.catch(() => undefined);
      return next;
    },
    stop: () => db.destroy(),
  };
}
