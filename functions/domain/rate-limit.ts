/**
 * One rate limit for every rule that needs one (sign-ups per network, the operator's failed
 * sign-ins): a token bucket kept as a single instant, the generic cell rate algorithm (GCRA).
 * A client may act `limit` times at once; after that, once every `windowMs / limit`, as its
 * allowance comes back. Unlike a fixed window there is no edge at which a second burst fits in
 * right after the first, and the wait it names is exactly when the next action is accepted.
 */

/** At most `limit` actions at once, and on average `limit` per `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/** What is kept for one limited client: the instant (µs since the epoch) until which its allowance is spent. */
export interface Allowance {
  spentUntil: number;
}

/**
 * How an accepted action is written, so that racing writers cannot both take the last place: a
 * client idle until now starts afresh (if it is still idle when written, or its record is from a
 * later time than any claim made by now could leave); a busy one adds one interval (if it is still
 * busy, and still within the limit, when written).
 */
export type RateClaim =
  | { kind: 'restart'; spentUntil: number; idleAtOrBefore: number; orAfter: number }
  | { kind: 'extend'; by: number; busyAfter: number; atMost: number };

/** Accepted, with the write that takes the place and how long its record matters; or refused, with the wait. */
export type RateDecision = { allowed: true; claim: RateClaim; keepUntil: Date } | { allowed: false; retryAfterSeconds: number };

/** Time between two actions once the burst is spent, in whole µs, rounded up so the average never exceeds the rule. */
export function intervalOf(rule: RateRule): number {
  return Math.max(1, Math.ceil((rule.windowMs * 1000) / rule.limit));
}

/**
 * Whether one more action is allowed at `now`, given what is kept for the client (undefined: nothing,
 * or nothing any more). Pure: the store writes the claim under its condition.
 *
 * @example
 * decideRate({ limit: 3, windowMs: 600_000 }, undefined, now) // { allowed: true, claim: { kind: 'restart', … }, keepUntil }
 */
export function decideRate(rule: RateRule, allowance: Allowance | undefined, now: Date): RateDecision {
  const interval = intervalOf(rule);
  // How far ahead of now the allowance may be spent and still take one more action.
  const tolerance = (rule.limit - 1) * interval;
  const nowUs = now.getTime() * 1000;
  const keepUntil = new Date(Math.ceil((nowUs + tolerance + interval) / 1000));
  // No claim made by now leaves the allowance spent beyond this: a record past it is from a clock
  // that was set back since (`npm run dev -- --now`), and counts as none.
  const latest = nowUs + tolerance + interval;
  const spentUntil = allowance?.spentUntil;
  if (spentUntil === undefined || spentUntil <= nowUs || spentUntil > latest) {
    return { allowed: true, claim: { kind: 'restart', spentUntil: nowUs + interval, idleAtOrBefore: nowUs, orAfter: latest }, keepUntil };
  }
  if (spentUntil - nowUs <= tolerance) {
    return { allowed: true, claim: { kind: 'extend', by: interval, busyAfter: nowUs, atMost: nowUs + tolerance }, keepUntil };
  }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((spentUntil - tolerance - nowUs) / 1_000_000)) };
}
