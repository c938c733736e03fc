/**
 * `npm run send-due -- --now <ISO instant>`: one run of the scheduled function against the local
 * stack started by `npm run dev` (same environment variables), as if the clock said `--now`.
 */
import { systemClock } from '../functions/clock.js';
import { runOptionsFrom } from '../functions/app/countdown-run.js';
import { createService } from '../functions/app/composition-root.js';
import { LocalStackEnv, localConfig, nowOption } from './local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';


async function main() {
  const now = nowOption();
  const config = localConfig(LocalStackEnv.parse(process.env));
  const { countdown } = createService(config, { clock: now ? () => now : systemClock });
  const summary = await countdown.run(runOptionsFrom(config));
  console.log(
    `send-due at ${summary.now}: ${summary.due} due, ${summary.queued} queued for the mailer, ${summary.skipped} skipped, ${summary.failed} failed` +
      (summary.retimed ? `, ${summary.retimed} re-timed` : '') +
      (summary.retimingLeft ? ` (re-timing ${summary.retimingLeft} moved campaign(s) goes on next run)` : '') +
      (summary.stoppedEarly ? ' (stopped at its time budget; run again to continue)' : '') +
      ` · DynamoDB: ${summary.dynamo.requests} requests, ${summary.dynamo.readCapacity} RCU`,
  );
  if (summary.failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
