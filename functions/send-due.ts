import { loadConfig } from './config.js';
import { runOptionsFrom } from './countdown.js';
import { createService } from './service.js';

const config = loadConfig(process.env);
const { countdown } = createService(config);

/** The Lambda entry point of the scheduled function: one run, its summary logged as JSON. */
export async function handler(): Promise<unknown> {
  const summary = await countdown.run(runOptionsFrom(config));
  console.log(JSON.stringify({ level: 'info', msg: 'send-due', ...summary }));
  return summary;
}
