import * as z from 'zod';
import { createMailSweep } from './app/mail-sweep.js';
import { configFromLinks, loadConfig } from './config.js';
import { flushMetrics, logger, recordRunDuration } from './observability.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const sweep = createMailSweep(config);

/**
 * A schedule's event (its id is logged), or the operator's own invocation, which may ask for a
 * shorter cut-off after fixing what failed: `{ "olderThanMinutes": 5 }`.
 */
const SweepEvent = z
  .looseObject({ id: z.string().max(100).optional(), olderThanMinutes: z.number().int().min(1).max(1440).optional() })
  .optional();

/** The Lambda entry point of the MailSweep schedule: stuck mail jobs handed to the mailer again, one summary line. */
export async function handler(event?: unknown): Promise<unknown> {
  const startedAt = Date.now();
  const request = SweepEvent.parse(event);
  try {
    const summary = await sweep.run({ olderThanMinutes: request?.olderThanMinutes ?? config.MAIL_SWEEP_AFTER_MINUTES });
    logger.info('sweep-mail', { scheduleEventId: request?.id, ...summary, durationMs: Date.now() - startedAt });
    return summary;
  } finally {
    recordRunDuration('sweep-mail', Date.now() - startedAt);
    flushMetrics();
  }
}
