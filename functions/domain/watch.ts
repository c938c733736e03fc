/**
 * How long a watch keeps a person's data while nothing of theirs runs: a watcher with no live
 * campaign is asked once a year whether to keep watching, and erased when they do not answer
 * within a month. The watch must never become a reason to keep data nobody wants kept.
 */
export const WATCH_RENEWAL_DAYS = 365;
export const WATCH_ANSWER_DAYS = 30;

/** The due-index entry of a watch's yearly question, beside the campaigns' entries. */
export const WATCH_RENEWAL = '~watch';

const DAY_MS = 86_400_000;

export type WatchRenewalDecision =
  /** Not a year yet, or a campaign of theirs still runs: look again at `next`. */
  | { kind: 'wait'; next: Date }
  /** Ask now, and look again for the answer at `next`. */
  | { kind: 'ask'; next: Date }
  /** Asked a month ago and no answer: erase. */
  | { kind: 'erase' };

/**
 * What the yearly check does for one watcher.
 *
 * @example
 * decideWatchRenewal({ keptAt: '2025-01-01T00:00:00Z', hasLiveCampaign: false, now: new Date('2026-01-02T00:00:00Z') }) // { kind: 'ask', … }
 */
export function decideWatchRenewal(options: { keptAt: string; askedAt?: string | undefined; hasLiveCampaign: boolean; now: Date }): WatchRenewalDecision {
  const now = options.now.getTime();
  const due = Date.parse(options.keptAt) + WATCH_RENEWAL_DAYS * DAY_MS;
  if (options.askedAt) {
    const answerBy = Date.parse(options.askedAt) + WATCH_ANSWER_DAYS * DAY_MS;
    return now >= answerBy ? { kind: 'erase' } : { kind: 'wait', next: new Date(answerBy) };
  }
  if (now < due) return { kind: 'wait', next: new Date(due) };
  // A running campaign of theirs keeps the data anyway: ask once it is over.
  if (options.hasLiveCampaign) return { kind: 'wait', next: new Date(now + WATCH_ANSWER_DAYS * DAY_MS) };
  return { kind: 'ask', next: new Date(now + WATCH_ANSWER_DAYS * DAY_MS) };
}

/** Until when a watch alone keeps the data: a year from the last "keep watching", plus the month to answer. */
export function watchRetainUntil(keptAt: Date): Date {
  return new Date(keptAt.getTime() + (WATCH_RENEWAL_DAYS + WATCH_ANSWER_DAYS) * DAY_MS);
}
