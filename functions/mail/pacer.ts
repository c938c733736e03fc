import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';

/** SES's sending quota, as GetSendQuota tells it. */
export interface SendQuota {
  /** Messages per second the account may send. */
  maxSendRate: number;
  /** Messages per rolling 24 hours; negative for unlimited. */
  max24HourSend: number;
  sentLast24Hours: number;
}

export type QuotaSource = () => Promise<SendQuota>;

/** A quota that is configuration, not asked for: the local emulator has no GetSendQuota. */
export function fixedQuota(quota: SendQuota): QuotaSource {
  return () => Promise.resolve(quota);
}

/** The quota from SES's GetSendQuota, given up after `timeoutMs` (the pacer then keeps what it had). */
export function sesQuota(client: SESClient, timeoutMs = 2000): QuotaSource {
  return async () => {
    const quota = await client.send(new GetSendQuotaCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return { maxSendRate: quota.MaxSendRate ?? 1, max24HourSend: quota.Max24HourSend ?? -1, sentLast24Hours: quota.SentLast24Hours ?? 0 };
  };
}

export interface PacerOptions {
  quota: QuotaSource;
  /** Used until (and whenever) the quota cannot be read: the local emulator has no GetSendQuota. */
  fallback: SendQuota;
  /** Mailer instances sharing the quota (the reserved concurrency): each takes an equal share of the rate. */
  instances: number;
  /** Stop sending once this share of the 24-hour quota is used, as elistman does. */
  dailyShare: number;
  refreshMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Paces one mailer instance at SES's MaxSendRate ÷ instances, reading the quota again each
 * minute, and stops it at a share of the 24-hour quota. One slot per message, spaced evenly, so
 * that a burst never outruns SES (which refuses, it does not queue, over its rate).
 *
 * @example
 * const pacer = new Pacer({ quota: sesQuota(ses), fallback, instances: 2, dailyShare: 0.8 });
 * if (await pacer.paused()) defer(); else { await pacer.acquire(); send(); }
 */
export class Pacer {
  private quota: SendQuota | undefined;
  private fetchedAt = -Infinity;
  private sentSinceFetch = 0;
  private nextSlot = 0;
  private refreshing: Promise<void> | undefined;
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PacerOptions) {
    this.refreshMs = options.refreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** This instance's messages per second, as the last quota read allows. */
  async rate(): Promise<number> {
    const quota = await this.current();
    return Math.max(0.01, quota.maxSendRate / this.options.instances);
  }

  /**
   * Undefined while sending may go on; when the daily share is used up, the instant to look again
   * (the next quota read, when SES's rolling window may have room).
   */
  async paused(): Promise<Date | undefined> {
    const quota = await this.current();
    if (quota.max24HourSend < 0) return undefined;
    const used = quota.sentLast24Hours + this.sentSinceFetch;
    return used >= this.options.dailyShare * quota.max24HourSend ? new Date(this.fetchedAt + this.refreshMs) : undefined;
  }

  /** Waits for this instance's next send slot and counts the message against the daily share. */
  async acquire(): Promise<void> {
    const interval = 1000 / (await this.rate());
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + interval;
    this.sentSinceFetch += 1;
    if (slot > now) await this.sleep(slot - now);
  }

  private async current(): Promise<SendQuota> {
    if (this.now() - this.fetchedAt >= this.refreshMs) {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
      // Only the first read is waited for; later ones refresh in the background, sends go on.
      if (!this.quota) await this.refreshing;
    }
    return this.quota ?? this.options.fallback;
  }

  private async refresh(): Promise<void> {
    try {
      this.quota = await this.options.quota();
      this.sentSinceFetch = 0;
    } catch {
      // Keep the last quota read, or the fallback: a missing quota must not stop the mail.
      this.quota ??= this.options.fallback;
    }
    this.fetchedAt = this.now();
  }
}
