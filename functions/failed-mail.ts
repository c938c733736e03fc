import { DomainError } from './domain/errors.js';

/** An email that failed for good (after the pipeline's retries), as the operator sees it: no address, no token. */
export interface FailedMail {
  /** The pipeline's own id of the message, for the retry. */
  id: string;
  /** confirm, welcome, countdown, newsletter… */
  kind: string;
  campaignId?: string | undefined;
  failedAt: Date;
  /** Why, in words safe to show: an error name or SES's reason, never the message text. */
  reason: string;
}

/**
 * Where /admin reads the emails that failed for good, and asks for one to be sent again. A
 * placeholder port: the mail pipeline implements it; until then nothing is listed.
 */
export interface FailedMailSource {
  list(): Promise<readonly FailedMail[]>;
  retry(id: string): Promise<void>;
}

/** The default: no pipeline wired yet, so nothing failed and nothing can be retried. */
export const noFailedMail: FailedMailSource = {
  list: async () => [],
  retry: async (id) => {
    throw new DomainError('not_found', 'failed_mail_unknown', `No failed email "${id}".`);
  },
};
