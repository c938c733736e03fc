import * as z from 'zod';
import { configFromLinks, loadConfig } from './config.js';
import { createService } from './app/composition-root.js';
import { runOptionsFrom } from './app/countdown-run.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const { countdown } = createService(config);

/** A schedule's event carries nothing the run needs; only its shape is checked, and its time logged. */
const ScheduleEvent = z.looseObject({ time: z.string().optional() }).optional();

/** The Lambda entry point of the scheduled function: one run, its summary logged as JSON. */
export async function handler(event?: unknown): Promise<unknown> {
  const scheduledAt = ScheduleEvent.parse(event)?.time;
  const summary = await countdown.run(runOptionsFrom(config));
  console.log(JSON.stringify({ level: 'info', msg: 'send-due', scheduledAt, ...summary }));
  return summary;
}
