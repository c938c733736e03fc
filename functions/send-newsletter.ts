import { configFromLinks, loadConfig } from './config.js';
import { DomainError } from './domain/errors.js';
import { NewsletterJob } from './domain/newsletter.js';
import { createService } from './app/composition-root.js';
import { createNewsletterSender } from './app/newsletter-send.js';
import { newsletterIssues } from './newsletter-issues.js';
import { lambdaLauncher } from './newsletter-launch.js';
import { countEmailsFailed, flushMetrics, logger, recordRunDuration } from './observability.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const newsletters = createNewsletterSender(createService(config), config);
// Lambda names the running function: a send that outlasts one run hands the rest to the next.
const ownName = process.env.AWS_LAMBDA_FUNCTION_NAME;
const relaunch = ownName ? lambdaLauncher(ownName, config.AWS_REGION) : undefined;

/**
 * The Lambda entry point of a newsletter send, invoked (asynchronously) by POST /admin/newsletters.
 * Stops starting copies at NEWSLETTER_BUDGET_SECONDS and invokes itself again for the rest; the
 * per-copy claims make that, and any retry, send nothing twice.
 */
export async function handler(event: unknown): Promise<unknown> {
  const startedAt = Date.now();
  try {
    const job = NewsletterJob.parse(event);
    const issue = newsletterIssues.find((item) => item.id === job.issueId);
    if (!issue) throw new DomainError('not_found', 'issue_unknown', `No issue "${job.issueId}" was built into this deployment.`);
    const summary = await newsletters.send(issue, job.segment, { dryRun: job.dryRun, budgetMs: config.NEWSLETTER_BUDGET_SECONDS * 1000 });
    logger.info('newsletter', { correlationId: summary.runId, ...summary });
    countEmailsFailed('newsletter', summary.failed);
    // Only a run that got somewhere continues: one that wrote nothing would loop on a fault.
    if (summary.stoppedEarly && summary.queued > 0 && relaunch) await relaunch(job);
    return summary;
  } finally {
    recordRunDuration('send-newsletter', Date.now() - startedAt);
    flushMetrics();
  }
}
