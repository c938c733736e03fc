import { Resource } from 'sst/resource';
import * as z from 'zod';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

/** Every setting the service reads, from the environment locally and from SST links in AWS. */
export const Config = z.object({
  TABLE_NAME: z.string().min(3).default('optout-countdown'),
  AWS_REGION: z.string().min(1).default('eu-central-1'),
  DYNAMODB_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  /** Where people reach the site; every link in an email starts with it. */
  PUBLIC_URL: z.url().transform((url) => url.replace(/\/+$/, '')).default('http://localhost:3000'),
  MAIL_FROM: z.string().min(3).default('optout-countdown <countdown@optout-countdown.local>'),
  /** Signs link tokens and keys address hashes; rotating it invalidates every link. */
  SIGNING_SECRET: z.string().min(32, 'SIGNING_SECRET must be at least 32 characters.'),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters.'),
  /** Partitions of the "next email due" index, so that no one partition gets hot. */
  DUE_SHARDS: z.coerce.number().int().min(1).max(64).default(8),
  CONFIRM_COOLDOWN_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  IP_SIGNUP_LIMIT: z.coerce.number().int().min(1).default(60),
  IP_SIGNUP_WINDOW_MINUTES: z.coerce.number().int().min(1).default(10),
  /** A send-due run stops starting new work after this long; the next run continues. */
  SEND_DUE_BUDGET_SECONDS: z.coerce.number().int().min(5).max(14 * 60).default(10 * 60),
  /** Soft (transient) bounces within 30 days that suppress an address. */
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16 * 1024),
  /** The newsletter Lambda stops starting copies after this long and invokes itself for the rest. */
  NEWSLETTER_BUDGET_SECONDS: z.coerce.number().int().min(5).max(14 * 60).default(13 * 60),
  /** Days after a campaign's deadline until its subscribers' personal data is erased (DynamoDB TTL). */
  PRIVACY_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /**
   * The Lambda that sends a newsletter (in AWS, where the API may not run for minutes); unset,
   * POST /admin/newsletters sends in the request itself (locally and in tests).
   */
  NEWSLETTER_FUNCTION_NAME: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),

  // The mailer (issue 13): how it drains mail jobs, paces itself and retries.
  /** Mailer instances at most (the Lambda's reserved concurrency): each paces at SES's rate ÷ this. */
  MAILER_INSTANCES: z.coerce.number().int().min(1).max(100).default(2),
  /** Failed sends after which a job is parked as failed and listed on /admin. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  MAIL_RETRY_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(5 * 60_000),
  /** How long a claimed job is the claimer's alone; past it, another mailer may take it over. */
  MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(900).default(60),
  /** A job due again within this long is waited for in the mailer; a longer wait is a wake-up item. */
  MAIL_INLINE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Share of SES's 24-hour quota after which the mailer stops sending until the window frees up. */
  MAIL_DAILY_QUOTA_SHARE: z.coerce.number().min(0.01).max(1).default(0.8),
  /** Where SES cannot tell its quota (the local emulator has no GetSendQuota): this rate per second. */
  MAIL_FALLBACK_SEND_RATE: z.coerce.number().min(0.1).max(10_000).default(14),
  /** Where SES_ENDPOINT is set, ask it for GetSendQuota all the same (a proxy in tests answers it). */
  MAIL_QUOTA_FROM_SES: z.stringbool().default(false),
  /**
   * A job still unsettled this long after it was last handed to the mailer is handed to it again
   * by the sweep (`npm run sweep-mail`, the MailSweep schedule): its stream record was lost.
   */
  MAIL_SWEEP_AFTER_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
});
export type Config = z.infer<typeof Config>;

/** One property of a linked resource, or undefined where it is not linked (locally, and in tests). */
function linked(name: string, property: string): string | undefined {
  try {
    // The proxy throws for a name that is not linked.
    const resource = z.record(z.string(), z.unknown()).safeParse((Resource as unknown as Record<string, unknown>)[name]);
    const value = resource.success ? resource.data[property] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What SST links give a Lambda in AWS (`Resource.X`), as configuration variables. Locally nothing
 * is linked and the environment alone configures the service.
 */
export function configFromLinks(): Record<string, string | undefined> {
  return {
    TABLE_NAME: linked('Table', 'name'),
    SIGNING_SECRET: linked('SigningSecret', 'value'),
    ADMIN_TOKEN: linked('AdminToken', 'value'),
  };
}

/**
 * Parses the configuration once and fails fast, naming each missing or invalid variable.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Config.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`, { cause: parsed.error });
}
