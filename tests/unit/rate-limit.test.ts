import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRate, type Allowance, type RateDecision, type RateRule } from '../../functions/domain/rate-limit.js';

const rule: RateRule = { limit: 3, windowMs: 10 * 60_000 };
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs);

/** What the table holds after an accepted claim, as the store's conditional write computes it. */
function apply(allowance: Allowance | undefined, decision: RateDecision, now: Date): Allowance {
  if (!decision.allowed) throw new Error('a refusal writes nothing');
  const { claim } = decision;
  const stored = allowance?.spentUntil;
  if (claim.kind === 'restart') {
    expect(stored === undefined || stored <= claim.idleAtOrBefore || stored > claim.orAfter).toBe(true);
    return { spentUntil: claim.spentUntil };
  }
  expect(stored !== undefined && stored > claim.busyAfter && stored <= claim.atMost).toBe(true);
  expect(claim.busyAfter).toBe(now.getTime() * 1000);
  return { spentUntil: stored! + claim.by };
}

/** Runs requests at the given instants through one allowance; returns which were accepted. */
function run(instants: readonly Date[], limit: RateRule = rule): { accepted: Date[]; decisions: RateDecision[] } {
  let allowance: Allowance | undefined;
  const accepted: Date[] = [];
  const decisions: RateDecision[] = [];
  for (const now of instants) {
    const decision = decideRate(limit, allowance, now);
    decisions.push(decision);
    if (decision.allowed) {
      allowance = apply(allowance, decision, now);
      accepted.push(now);
    }
  }
  return { accepted, decisions };
}

describe('decideRate', () => {
  it('allows the limit at once, then one more each window ÷ limit, and says the wait to the second', () => {
    const start = '2025-05-14T08:09:58Z';
    const { decisions } = run([at(start), at(start), at(start), at(start, 4_000), at(start, 199_000), at(start, 200_000), at(start, 200_000)]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 196 });
    expect(decisions[4]).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(decisions[6]).toEqual({ allowed: false, retryAfterSeconds: 200 });
  });

  it('starts afresh after a quiet spell, whatever came before', () => {
    const { decisions } = run([at('2025-05-14T08:00:00Z'), at('2025-05-14T08:00:00Z'), at('2025-05-14T08:00:00Z'), at('2025-05-14T09:00:00Z'), at('2025-05-14T09:00:00Z'), at('2025-05-14T09:00:00Z')]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
  });

  it('counts a record from a later time as none, as after the clock was set back', () => {
    const { accepted } = run([at('2025-05-21T08:00:00Z'), at('2025-05-21T08:00:00Z'), at('2025-05-21T08:00:00Z'), at('2025-05-14T08:00:00Z')]);
    expect(accepted).toHaveLength(4);
  });

  it('keeps the record no longer than it matters: a window after the claim at most', () => {
    const now = at('2025-05-14T08:00:00Z');
    const decision = decideRate(rule, undefined, now);
    expect(decision.allowed && decision.keepUntil.getTime() - now.getTime()).toBeLessThanOrEqual(rule.windowMs + 1000);
  });

  it('never lets more than the limit through in a short span, nor twice the limit in any window, wherever the requests fall', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 3 * 3_600_000 }), { minLength: 1, maxLength: 120 }),
        (limit, minutes, offsets) => {
          const limitRule = { limit, windowMs: minutes * 60_000 };
          const start = Date.parse('2025-05-14T07:59:00Z');
          const { accepted } = run([...offsets].sort((a, b) => a - b).map((ms) => new Date(start + ms)), limitRule);
          const interval = limitRule.windowMs / limit;
          for (const [i, first] of accepted.entries()) {
            // Within one interval of the first: the burst, and no more.
            expect(accepted.slice(i).filter((t) => t.getTime() - first.getTime() < interval).length).toBeLessThanOrEqual(limit);
            // Within one window: the burst and one per interval after it, fewer than twice the limit.
            expect(accepted.slice(i).filter((t) => t.getTime() - first.getTime() < limitRule.windowMs).length).toBeLessThan(2 * limit);
          }
        },
      ),
    );
  });

  it('names a wait after which a retry is accepted, and a second less is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 60 }), fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 40 }), (limit, minutes, gaps) => {
        const limitRule = { limit, windowMs: minutes * 60_000 };
        let allowance: Allowance | undefined;
        let now = Date.parse('2025-05-14T08:00:00Z');
        for (const gap of gaps) {
          now += gap;
          const decision = decideRate(limitRule, allowance, new Date(now));
          if (decision.allowed) {
            allowance = apply(allowance, decision, new Date(now));
            continue;
          }
          const wait = decision.retryAfterSeconds * 1000;
          expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(decideRate(limitRule, allowance, new Date(now + wait)).allowed).toBe(true);
          if (wait > 1000) expect(decideRate(limitRule, allowance, new Date(now + wait - 1000)).allowed).toBe(false);
        }
      }),
    );
  });
});
