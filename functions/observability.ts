import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Logs and metrics through Powertools for AWS Lambda: one JSON line per log call on stdout (in
 * Lambda, locally and in tests alike) and CloudWatch metrics as EMF lines, which CloudWatch
 * turns into metrics without an API call.
 *
 * The rule of every line: no address, no token, no IP, no message text of an error from a
 * library (it may quote an address). Log ids, counts, error names and codes.
 */

/** Every metric of the service lives in this CloudWatch namespace; infra/monitoring.ts alarms on it. */
export const METRICS_NAMESPACE = 'optout-countdown';

/** Set per function by infra/ (POWERTOOLS_SERVICE_NAME); locally the whole app is one service. */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'optout-countdown';

/** The one logger: the use cases import it instead of writing to the console. */
export const logger = new Logger({ serviceName });

/** The one metrics buffer; `flushMetrics()` writes it out at the end of each request, run or batch. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });

/**
 * The metric names, in one place so that infra/monitoring.ts alarms on exactly what is emitted.
 * Dimensions: `kind` on emails, `platform` on objections, `run` on durations.
 */
export const METRIC = {
  emailsSent: 'EmailsSent',
  emailsFailed: 'EmailsFailed',
  emailsThrottled: 'EmailsThrottled',
  signUps: 'SignUps',
  confirmations: 'Confirmations',
  objections: 'Objections',
  unsubscribes: 'Unsubscribes',
  bounces: 'Bounces',
  softBounces: 'SoftBounces',
  complaints: 'Complaints',
  runDuration: 'RunDuration',
  linksChecked: 'LinksChecked',
  brokenLinks: 'BrokenLinks',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

type Dimensions = Readonly<Record<string, string>>;
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

interface Pending {
  dimensions: Dimensions;
  values: Map<MetricName, { unit: Unit; value: number }>;
}

/**
 * Powertools gives one set of dimensions to a whole flush, so metrics wait here grouped by their
 * dimensions and each group becomes one EMF line: a run that sends 10,000 emails writes a few
 * lines, not 10,000.
 */
const pending = new Map<string, Pending>();

function add(name: MetricName, value: number, dimensions: Dimensions = {}, unit: Unit = MetricUnit.Count, keepZero = false): void {
  if (!Number.isFinite(value) || (value === 0 && !keepZero)) return;
  const key = JSON.stringify(Object.entries(dimensions).sort());
  let group = pending.get(key);
  if (!group) pending.set(key, (group = { dimensions, values: new Map() }));
  const current = group.values.get(name);
  group.values.set(name, { unit, value: (current?.value ?? 0) + value });
}

/** Emails that left (per kind: confirm, welcome, countdown, newsletter). */
export function countEmailsSent(kind: string, count = 1): void {
  add(METRIC.emailsSent, count, { kind });
}

/** Emails that failed for good after the retries, per kind. */
export function countEmailsFailed(kind: string, count = 1): void {
  add(METRIC.emailsFailed, count, { kind });
}

/** SES said "slow down" (each throttled attempt, retried with backoff); per kind where the caller knows it. */
export function countEmailsThrottled(kind = 'any', count = 1): void {
  add(METRIC.emailsThrottled, count, { kind });
}

export function countSignUps(count = 1): void {
  add(METRIC.signUps, count);
}

export function countConfirmations(count = 1): void {
  add(METRIC.confirmations, count);
}

/** "I've objected" on a platform; an undo counts -1. */
export function countObjections(platform: string, count = 1): void {
  add(METRIC.objections, count, { platform });
}

export function countUnsubscribes(count = 1): void {
  add(METRIC.unsubscribes, count);
}

/** Hard bounces, soft bounces and complaints, as SES reported them. */
export function countFeedback(counts: { bounces?: number; softBounces?: number; complaints?: number }): void {
  add(METRIC.bounces, counts.bounces ?? 0);
  add(METRIC.softBounces, counts.softBounces ?? 0);
  add(METRIC.complaints, counts.complaints ?? 0);
}

/** How long one run took (send-due, newsletter, check-links, a feedback batch). */
export function recordRunDuration(run: string, milliseconds: number): void {
  add(METRIC.runDuration, Math.max(0, milliseconds), { run }, MetricUnit.Milliseconds);
}

/** One link-check run: how many links were fetched and how many are broken (the alarm watches the second). */
export function countLinkChecks(checked: number, broken: number): void {
  add(METRIC.linksChecked, checked);
  // Zero is a value here: the alarm's data point that says "nothing broken".
  add(METRIC.brokenLinks, broken, {}, MetricUnit.Count, true);
}

/**
 * The daily counters of store/stats-store.ts as metrics, so that every count the operator's
 * chart shows is also a CloudWatch metric without a second call at each site.
 */
export function countCounters(increments: Readonly<Record<string, number | undefined>>): void {
  for (const [name, by] of Object.entries(increments)) {
    if (typeof by !== 'number') continue;
    if (name === 'signups') countSignUps(by);
    else if (name === 'confirmations') countConfirmations(by);
    else if (name === 'unsubscribes') countUnsubscribes(by);
    else if (name === 'bounces') countFeedback({ bounces: by });
    else if (name === 'soft_bounces') countFeedback({ softBounces: by });
    else if (name === 'complaints') countFeedback({ complaints: by });
    else if (name.startsWith('sent_')) countEmailsSent(name.slice('sent_'.length), by);
    else if (name.startsWith('done_')) countObjections(name.slice('done_'.length), by);
  }
}

/** Tests keep metrics out of their report (OPTOUT_METRICS_QUIET=1) except while they read them. */
let quiet = process.env.OPTOUT_METRICS_QUIET === '1';

/** Turns the EMF output off or on; for tests. */
export function setMetricsQuiet(value: boolean): void {
  quiet = value;
}

/** Writes every waiting metric as EMF lines, one per set of dimensions. Call once per request, run or batch. */
export function flushMetrics(): void {
  for (const group of quiet ? [] : pending.values()) {
    if (group.values.size === 0) continue;
    metrics.addDimensions({ ...group.dimensions });
    for (const [name, { unit, value }] of group.values) metrics.addMetric(name, unit, value);
    metrics.publishStoredMetrics();
  }
  pending.clear();
}

/**
 * What may be logged of an error: its name and, for AWS errors, the code and HTTP status. Never
 * its message, which may quote an address.
 *
 * @example
 * logger.error('send failed', { runId, ...errorFields(error) });
 */
export function errorFields(error: unknown): { error: string; code?: string; status?: number } {
  if (!(error instanceof Error)) return { error: 'unknown' };
  const withCode = error as Error & { code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return {
    error: error.name,
    ...(typeof withCode.code === 'string' && /^[A-Za-z_]{1,40}$/.test(withCode.code) ? { code: withCode.code } : {}),
    ...(typeof withCode.$metadata?.httpStatusCode === 'number' ? { status: withCode.$metadata.httpStatusCode } : {}),
  };
}
