import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { classifyFeedback, SesNotificationMessage, SnsEvent, SnsRecord, type FeedbackDecision } from '../domain/ses-notification.js';
import { hashAddress } from '../domain/token.js';
import type { Counts } from '../domain/signup.js';
import { FEEDBACK_SCOPE, type FeedbackCounter } from '../domain/stats.js';
import type { FeedbackStore } from '../store/feedback-store.js';
import type { PersonStore } from '../store/person-store.js';
import type { StatsStore } from '../store/stats-store.js';
import { countCounters, errorFields, logger } from '../observability.js';

/** What one SNS batch did, logged as JSON and returned by the Lambda. */
export interface FeedbackSummary {
  /** Records in the event; an event that is not an SNS batch at all counts as one, dropped. */
  records: number;
  /** Addresses suppressed: hard bounces, complaints, and soft bounces that reached the limit. */
  suppressed: number;
  /** Soft (transient or undetermined) bounces counted. */
  counted: number;
  /** Records that changed nothing, their effect being in place already: SNS and Lambda redeliveries, an address suppressed before. */
  duplicates: number;
  /** Records of an unknown or invalid shape, logged without their content. */
  dropped: number;
}

/**
 * SES bounces and complaints, as SNS hands them to Lambda: a permanent bounce or a complaint
 * suppresses the person at once (every campaign, and their data erased but for the fingerprint),
 * soft bounces once `transientLimit` of them add up. Each SNS message takes effect once, however
 * often it arrives, and a delivery that failed half-way is completed by the next one.
 */
export class Feedback {
  private readonly store: FeedbackStore;
  private readonly people: PersonStore;
  private readonly signingSecret: string;
  private readonly transientLimit: number;
  private readonly clock: Clock;
  /** The operator's daily bounce and complaint counters; optional, as the counts are not the point. */
  private readonly stats: StatsStore | undefined;

  constructor(deps: { store: FeedbackStore; people: PersonStore; signingSecret: string; transientLimit: number; clock: Clock; stats?: StatsStore }) {
    ({ store: this.store, people: this.people, signingSecret: this.signingSecret, transientLimit: this.transientLimit, clock: this.clock } = deps);
    this.stats = deps.stats;
  }

  /**
   * Handles one SNS event. A record of an unknown shape is logged and dropped, never thrown:
   * SNS would only retry it. A failed write is thrown after the rest of the batch is handled, so
   * that Lambda retries the event; records handled already then change nothing.
   *
   * @example
   * export const handler = (event: unknown) => feedback.handleSnsEvent(event);
   */
  async handleSnsEvent(event: unknown): Promise<FeedbackSummary> {
    const summary: FeedbackSummary = { records: 0, suppressed: 0, counted: 0, duplicates: 0, dropped: 0 };
    const batch = SnsEvent.safeParse(event);
    if (!batch.success) {
      summary.records = 1;
      this.drop(summary, 'event', undefined, undefined, batch.error);
      log('info', 'ses-feedback', { ...summary });
      return summary;
    }
    summary.records = batch.data.Records.length;
    let failure: unknown;
    for (const [index, raw] of batch.data.Records.entries()) {
      try {
        await this.handleRecord(raw, index, summary);
      } catch (error) {
        failure ??= error;
        log('error', 'ses feedback record failed', { index, ...errorFields(error) });
      }
    }
    log('info', 'ses-feedback', { ...summary });
    if (failure !== undefined) throw new Error('Some SES feedback could not be stored; the retry handles it.', { cause: failure });
    return summary;
  }

  private async handleRecord(raw: unknown, index: number, summary: FeedbackSummary): Promise<void> {
    const record = SnsRecord.safeParse(raw);
    if (!record.success) return this.drop(summary, 'record', index, undefined, record.error);
    const { MessageId: messageId, Message: message } = record.data.Sns;
    const notification = SesNotificationMessage.safeParse(message);
    if (!notification.success) return this.drop(summary, 'notification', index, messageId, notification.error);

    const decisions = classifyFeedback(notification.data);
    // Deliveries change nothing, so they cost no write either.
    if (decisions.every((decision) => decision.action === 'ignore')) return;
    const now = this.clock();
    // No "handled" mark: every effect is idempotent by itself (a suppression is; a soft bounce counts
    // once per SNS message), so a delivery after a failure or a crash half-way does what is left.
    let changed = false;
    for (const decision of decisions) changed = (await this.apply(decision, messageId, now, summary)) || changed;
    if (!changed) summary.duplicates += 1;
  }

  /** Applies one decision; false when it found its effect in place already (a redelivery, an earlier suppression). */
  private async apply(decision: FeedbackDecision, messageId: string, now: Date, summary: FeedbackSummary): Promise<boolean> {
    const addressHash = hashAddress(this.signingSecret, decision.address);
    switch (decision.action) {
      case 'suppress': {
        const counted: Partial<Record<FeedbackCounter, number>> = decision.reason === 'complaint' ? { complaints: 1 } : { bounces: 1 };
        // Counted in the suppression's own transaction: a delivery that died after it (while the rest of
        // the person was being deleted) and comes again finds the address suppressed, and counted.
        if (!(await this.suppress(addressHash, decision.reason, now, summary, this.stats ? { [FEEDBACK_SCOPE]: counted } : {}))) return false;
        if (this.stats) countCounters(counted);
        return true;
      }
      case 'count-transient': {
        const { counted, bounces } = await this.store.countTransientBounce(addressHash, messageId, now);
        if (counted) {
          summary.counted += 1;
          await this.stats?.countFeedback({ soft_bounces: 1 }, now);
        }
        // Also when the message was counted before: the delivery that counted it may have died before suppressing.
        const suppressed = bounces >= this.transientLimit && (await this.suppress(addressHash, 'soft-bounce', now, summary));
        return counted || suppressed;
      }
      case 'ignore':
        return false;
    }
  }

  /** Suppresses the address (erasing the rest of the person), counting `counts` with it; false when it was suppressed before. */
  private async suppress(addressHash: string, reason: string, now: Date, summary: FeedbackSummary, counts: Counts = {}): Promise<boolean> {
    const before = await this.people.erase(addressHash, 'suppressed', now, reason, { countsWithStatus: counts });
    if ((before.person?.status ?? before.fingerprint?.status) === 'suppressed') return false;
    summary.suppressed += 1;
    return true;
  }

  /** Logs where a record failed validation (paths and codes only: never an address) and counts it. */
  private drop(summary: FeedbackSummary, stage: string, index: number | undefined, messageId: string | undefined, error: z.ZodError): void {
    summary.dropped += 1;
    const issues = error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
    log('warn', 'ses feedback record dropped', { stage, index, messageId, issues });
  }
}

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
  logger[level](msg, fields);
}
