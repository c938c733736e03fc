/**
 * `npm run newsletter -- <command>`, against the local stack of `npm run dev` (same environment):
 *   preview <file>                                      HTML and text to a temp folder; prints the paths
 *   test <file> --to <address>                          one copy, "[Test]" in the subject
 *   send <file> [--segment key=value ...] [--dry-run]   every copy still due to the issue's audience
 * The issue is compiled from its file here (this is not a Lambda); its id is the file name, the
 * same id the built issue has in Lambda, so either may continue what the other started.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { campaigns } from '../functions/campaigns.js';
import { platforms } from '../functions/platforms.js';
import { systemClock } from '../functions/clock.js';
import { parseSegment } from '../functions/domain/newsletter.js';
import { Links } from '../functions/mail/links.js';
import { newsletterEmail } from '../functions/mail/newsletter-email.js';
import { createNewsletterSender } from '../functions/app/newsletter-send.js';
import { sampleReader, sendTestCopy } from '../functions/app/newsletter-test-copy.js';
import { createService } from '../functions/app/composition-root.js';
import { LocalStackEnv, localConfig } from './local-stack.js';
import { compileNewsletter } from './newsletter-build.js';
import { progressReporter } from './newsletter-progress.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage:
  npm run newsletter -- preview <file> [--now <ISO instant>]
  npm run newsletter -- test <file> --to <address> [--now <ISO instant>]
  npm run newsletter -- send <file> [--segment key=value ...] [--dry-run] [--now <ISO instant>]
--now renders and selects as if the clock said so (days left, expired sign-ups).
Segment keys: platform (facebook, instagram, whatsapp, threads), done (true/false), locale.`;

const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const Command = z.discriminatedUnion('command', [
  z.object({ command: z.literal('preview'), file: z.string().min(1), now: Instant.optional() }),
  z.object({ command: z.literal('test'), file: z.string().min(1), to: z.email({ error: '--to wants an email address.' }), now: Instant.optional() }),
  z.object({
    command: z.literal('send'),
    file: z.string().min(1),
    segment: z.array(z.string()).default([]),
    dryRun: z.boolean().default(false),
    now: Instant.optional(),
  }),
]);

function parseCommand(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { to: { type: 'string' }, segment: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, now: { type: 'string' } },
  });
  const [command, file, ...extra] = positionals;
  if (extra.length > 0) throw new Error(`Unexpected arguments: ${extra.join(' ')}\n${USAGE}`);
  const parsed = Command.safeParse({ command, file, to: values.to, segment: values.segment, dryRun: values['dry-run'], now: values.now });
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`).join('\n')}\n${USAGE}`);
  return parsed.data;
}

async function main() {
  const command = parseCommand(process.argv.slice(2));
  const issue = await compileNewsletter(resolve(command.file));

  if (command.command === 'preview') {
    const campaign = campaigns.find((c) => c.id === issue.frontMatter.campaign);
    if (!campaign) throw new Error(`Unknown campaign "${issue.frontMatter.campaign}".`);
    // A made-up reader who picked every platform; the links are signed with a throwaway key.
    const now = command.now ?? new Date();
    const reader = sampleReader(issue, campaign, { campaigns, platforms, now, email: 'preview@example.org' });
    const email = newsletterEmail(issue, campaign, reader, new Links(process.env.PUBLIC_URL ?? 'http://localhost:3000', 'preview-only'), now);
    const dir = await mkdtemp(join(tmpdir(), `newsletter-${issue.id}-`));
    const html = join(dir, `${issue.id}.html`);
    const text = join(dir, `${issue.id}.txt`);
    await writeFile(html, email.html);
    await writeFile(text, `Subject: ${email.subject}\n\n${email.text}`);
    console.log(`${issue.id}: "${email.subject}" for ${issue.frontMatter.campaign} (${issue.frontMatter.locale})\nHTML: ${html}\nText: ${text}`);
    return;
  }

  const config = localConfig(LocalStackEnv.parse(process.env));
  const now = command.now;
  if (command.command === 'test') {
    await sendTestCopy(issue, command.to, { config, campaigns, platforms, clock: now ? () => now : systemClock });
    console.log(`Sent one test copy of ${issue.id}.`);
    return;
  }

  const newsletters = createNewsletterSender(createService(config, { clock: now ? () => now : systemClock }), config);
  const segment = parseSegment(command.segment);
  const summary = await newsletters.send(issue, segment, {
    dryRun: command.dryRun,
    onProgress: progressReporter(process.stderr),
  });
  console.log(
    summary.dryRun
      ? `Dry run of ${summary.issueId} (${summary.audience}): ${summary.total} in the audience, ${summary.toSend} to send, ${summary.alreadyQueued} sent or queued before. Nothing was sent.`
      : `${summary.issueId} (${summary.audience}): ${summary.total} in the audience, ${summary.queued} queued for the mailer, ${summary.alreadyQueued} sent or queued before, ${summary.failed} failed in ${(summary.elapsedMs / 1000).toFixed(1)} s.` +
          (summary.failed > 0 ? ' Run it again to write the failed copies.' : '') +
          (summary.queued > 0 ? ' The mailer of `npm run dev` sends them.' : ''),
  );
  if (summary.failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
