import type { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { DomainError } from '../domain/errors.js';
import type { FailedMailSource } from '../failed-mail.js';
import { fixedQuota, Pacer, sesQuota } from '../mail/pacer.js';
import { createSesClient, LocalSesTransport, SesTransport, type MailTransport } from '../mail/send.js';
import { createDynamoClient } from '../store/client.js';
import { MailJobs } from '../store/mail-jobs.js';
import { Mailer, type MailComposer } from './mailer.js';

/**
 * The parked mail jobs as /admin lists them (no address, no token), and their retry: the
 * operator's side of the pipeline.
 */
export function failedMailOf(jobs: Pick<MailJobs, 'listFailed' | 'retryFailed'>, clock: Clock): FailedMailSource {
  return {
    list: async () =>
      (await jobs.listFailed({ now: clock() })).map((job) => ({
        id: job.jobId,
        kind: job.kind,
        failedAt: new Date(job.failedAt),
        reason: job.lastError ?? `failed ${job.attempts} times`,
      })),
    retry: async (id) => {
      if (!(await jobs.retryFailed(id, clock()))) throw new DomainError('not_found', 'failed_mail_unknown', `No failed email "${id}".`);
    },
  };
}

export interface MailPipeline {
  jobs: MailJobs;
  mailer: Mailer;
  pacer: Pacer;
  db: DynamoDBDocumentClient;
}

/**
 * The mailer's transport: one SES attempt per send, since the job, not the SDK, is what is
 * retried (with the job's backoff). On the local emulator it can also say what it accepted.
 *
 * @example
 * const transport = createMailTransport(config, createSesClient({ region, endpoint }));
 */
export function createMailTransport(config: Pick<Config, 'SES_ENDPOINT'>, ses: SESClient): MailTransport {
  const once = { attempts: 1 };
  return config.SES_ENDPOINT ? new LocalSesTransport(ses, config.SES_ENDPOINT, once) : new SesTransport(ses, once);
}

/**
 * The mailer and its parts from configuration: shared by the Lambda, `npm run dev`, the bench
 * and the tests.
 */
export function createMailPipeline(
  config: Config,
  options: {
    composer: MailComposer;
    transport?: MailTransport;
    clock?: Clock;
    db?: DynamoDBDocumentClient;
    ses?: SESClient;
    /** Jobs of one batch in flight at once (the Mailer's default unless set). */
    concurrency?: number;
    /** Real time for leases and backoff, and its waits (the system's unless set): tests skip the waits. */
    realTime?: { clock: Clock; sleep: (ms: number) => Promise<void> };
  },
): MailPipeline {
  const db = options.db ?? createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const ses = options.ses ?? createSesClient({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT });
  const transport = options.transport ?? createMailTransport(config, ses);
  const jobs = new MailJobs(db, config.TABLE_NAME);
  const fallback = { maxSendRate: config.MAIL_FALLBACK_SEND_RATE, max24HourSend: -1, sentLast24Hours: 0 };
  const pacer = new Pacer({
    // The emulator has no GetSendQuota (it never answers one); a proxy in front of it may have.
    quota: config.SES_ENDPOINT && !config.MAIL_QUOTA_FROM_SES ? fixedQuota(fallback) : sesQuota(ses),
    fallback,
    instances: config.MAILER_INSTANCES,
    dailyShare: config.MAIL_DAILY_QUOTA_SHARE,
  });
  const mailer = new Mailer({
    jobs,
    composer: options.composer,
    transport,
    pacer,
    policy: { maxAttempts: config.MAIL_MAX_ATTEMPTS, baseDelayMs: config.MAIL_RETRY_BASE_MS, maxDelayMs: config.MAIL_RETRY_MAX_MS },
    leaseMs: config.MAIL_LEASE_SECONDS * 1000,
    inlineWaitMs: config.MAIL_INLINE_WAIT_MS,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.realTime ? { realClock: options.realTime.clock, sleep: options.realTime.sleep } : {}),
  });
  return { jobs, mailer, pacer, db };
}
