import * as z from 'zod';
import { configFromLinks, loadConfig } from './config.js';
import { createService } from './app/composition-root.js';
import { runOptionsFrom } from './app/countdown-run.js';
import { countEmailsFailed, flushMetrics, logger, recordRunDuration } from './observability.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const { countdown } = createService(config);

/** A schedule's event carries nothing the run needs; its id and time are logged. */
const ScheduleEvent = z.looseObject({ id: z.string().max(100).optional(), time: z.string().max(40).optional() }).optional();

/** The Lambda entry point of the scheduled function: one run, one summary line, its metrics. */
export async function handler(event?: unknown): Promise<unknown> {
  const startedAt = Date.now();
  const scheduled = ScheduleEvent.parse(event);
  try {
    const summary = await countdown.run(runOptionsFrom(config));
    // The run's own id ties this line to its error lines; the event's id to the scheduler.
    logger.info('send-due', { correlationId: summary.runId, scheduleEventId: scheduled?.id, scheduledAt: scheduled?.time, ...summary, durationMs: Date.now() - startedAt });
    countEmailsFailed('countdown', summary.failed);
    return summary;
  } finally {
    recordRunDuration('send-due', Date.now() - startedAt);
    flushMetrics();
  }
}
