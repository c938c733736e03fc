import type { MailComposer } from '../../functions/app/mailer.js';
import { composeMessage } from '../../functions/mail/compose.js';

/**
 * A composer that builds a message from the job alone, to `<personId>@example.org`: the real
 * renderers (which look the person up) plug in later; the pipeline is the same.
 */
export const testComposer: MailComposer = {
  async compose(job) {
    const to = `${job.personId}@example.org`;
    const raw = await composeMessage(
      { subject: `${job.kind} ${job.jobId}`, text: `Job ${job.jobId}`, html: `<p>Job ${job.jobId}</p>` },
      { from: 'optout-countdown <countdown@optout-countdown.local>', to },
    );
    return { to, raw };
  },
};
