/**
 * `npm run send-due -- --now <ISO instant>`: one run of the scheduled function against the local
 * stack started by `npm run dev` (same environment variables), as if the clock said `--now`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../functions/clock.js';
import { loadConfig } from '../functions/config.js';
import { runOptionsFrom } from '../functions/countdown.js';
import { createService } from '../functions/service.js';
import { devSecrets } from './dev-secrets.js';
import { LocalStackEnv } from './local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';


async function main() {
  const { values: args } = parseArgs({ options: { now: { type: 'string' } } });
  const now = args.now === undefined ? undefined : new Date(args.now);
  if (now && Number.isNaN(now.getTime())) throw new Error(`--now wants an ISO instant such as 2025-05-20T07:00:00Z, not "${args.now}".`);
  const local = LocalStackEnv.parse(process.env);
  const secrets = process.env.SIGNING_SECRET && process.env.ADMIN_TOKEN ? {} : devSecrets(resolve(local.DATA_DIR));
  const config = loadConfig({
    PUBLIC_URL: `http://localhost:${local.PORT}`,
    ...secrets,
    ...process.env,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${local.DYNAMODB_PORT}`,
    SES_ENDPOINT: process.env.SES_ENDPOINT || `http://127.0.0.1:${local.SES_PORT}`,
  });
  const { countdown } = createService(config, { clock: now ? () => now : systemClock });
  const summary = await countdown.run(runOptionsFrom(config));
  console.log(
    `send-due at ${summary.now}: ${summary.due} due, ${summary.sent} sent, ${summary.skipped} skipped, ${summary.failed} failed` +
      (summary.retimed ? `, ${summary.retimed} re-timed` : '') +
      (summary.stoppedEarly ? ' (stopped at its time budget; run again to continue)' : '') +
      ` · DynamoDB: ${summary.dynamo.requests} requests, ${summary.dynamo.readCapacity} RCU`,
  );
  if (summary.failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
