import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { announcedAtOf, deadlineOf } from '../../functions/domain/campaign.js';
import { DUE_INDEX, dueInstantOf, keys } from '../../functions/store/keys.js';
import type { manualClock, TestStack } from './stack.js';

export const HOUR = 3_600_000;

/** The earliest instant the due index names (a morning, a watch's yearly question), if any. */
export async function firstDueAt(stack: Pick<TestStack, 'service' | 'config'>): Promise<Date | undefined> {
  const firsts = await Promise.all(
    Array.from({ length: stack.config.DUE_SHARDS }, async (_, shard) => {
      const { Items } = await stack.service.db.send(
        new QueryCommand({
          TableName: stack.config.TABLE_NAME,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'duePk = :pk',
          ExpressionAttributeValues: { ':pk': keys.due(shard, new Date(0), '', 'mornings').duePk },
          Limit: 1,
        }),
      );
      const dueSk = Items?.[0]?.dueSk;
      return dueInstantOf(typeof dueSk === 'string' ? dueSk : undefined);
    }),
  );
  const instants = firsts.filter((at): at is string => at !== undefined).map((at) => Date.parse(at));
  return instants.length ? new Date(Math.min(...instants)) : undefined;
}

export interface CronOptions {
  from: string | number;
  to: string | number;
  /** The cron's period (an hour in production). */
  stepMs?: number;
  /** Instants the test changes something at (a person joins, leaves): the step at or after each is run. */
  visit?: readonly number[];
  /** Runs before the step's send-due run, at its instant (the clock is already there). */
  beforeRun?: (at: number) => Promise<void>;
}

/**
 * Runs send-due on the grid `from`, `from + stepMs`, … `to`, as the cron would, with the mailer
 * sending what each run queued, but skips the steps where a run has nothing to do: a run sends only
 * what the due index holds up to its instant, and announces a campaign only once it is announced
 * and before its deadline. So it runs at the first step, at the first step at or after the earliest
 * due entry, at or after each campaign's announcement and deadline, and at or after each `visit`.
 * What arrives, and at which step, is what running every step would send; a month of hourly runs
 * takes dozens of runs instead of 744.
 */
export async function runCron(stack: TestStack, time: ReturnType<typeof manualClock>, options: CronOptions) {
  const stepMs = options.stepMs ?? HOUR;
  const from = typeof options.from === 'number' ? options.from : Date.parse(options.from);
  const to = typeof options.to === 'number' ? options.to : Date.parse(options.to);
  const onGrid = (at: number) => from + Math.ceil((at - from) / stepMs) * stepMs;
  const fixed = [...stack.service.campaigns.flatMap((campaign) => [announcedAtOf(campaign).getTime(), deadlineOf(campaign)?.getTime() ?? -Infinity]), ...(options.visit ?? [])]
    .filter((at) => at >= from)
    .map(onGrid);
  const totals = { runs: 0, queued: 0, failed: 0 };
  // The mailer runs all the time: mail written before the cron's first run (a welcome) goes out before it.
  await stack.deliverMail();
  for (let t = from; t <= to; ) {
    time.set(new Date(t));
    await options.beforeRun?.(t);
    const summary = await stack.service.countdown.run();
    if (summary.queued > 0) await stack.deliverMail();
    totals.runs += 1;
    totals.queued += summary.queued;
    totals.failed += summary.failed;
    const due = await firstDueAt(stack);
    const next = Math.min(...fixed.filter((at) => at > t), due ? Math.max(onGrid(due.getTime()), t + stepMs) : Infinity);
    t = Number.isFinite(next) ? next : to + 1;
  }
  expect(totals.failed, 'send-due runs that failed').toBe(0);
  return totals;
}
