/**
 * `npm run sweep-mail [-- --older-than <minutes>]`: one run of the MailSweep function against the
 * local stack of `npm run dev` (same environment variables): mail jobs left queued, or claimed by
 * a mailer that died, longer than the cut-off (MAIL_SWEEP_AFTER_MINUTES, 30) are handed to the
 * mailer again. Shares its code with the Lambda (functions/app/mail-sweep.ts).
 */
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { createMailSweep } from '../functions/app/mail-sweep.js';
import { LocalStackEnv, localConfig } from './local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const OlderThan = z.coerce.number().int().min(1).max(1440).optional();

async function main() {
  const { values } = parseArgs({ options: { 'older-than': { type: 'string' } } });
  const olderThan = OlderThan.safeParse(values['older-than']);
  if (!olderThan.success) throw new Error(`--older-than wants whole minutes from 1 to 1440, not "${values['older-than']}".`);
  const config = localConfig(LocalStackEnv.parse(process.env));
  const summary = await createMailSweep(config).run({ olderThanMinutes: olderThan.data ?? config.MAIL_SWEEP_AFTER_MINUTES });
  console.log(
    `sweep-mail: ${summary.found} job(s) unsettled for over ${summary.olderThanMinutes} min; ${summary.requeued} handed to the mailer again, ` +
      `${summary.busy} being sent, ${summary.settled} settled meanwhile` +
      (summary.limited ? ' (more are waiting: run it again)' : ''),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
