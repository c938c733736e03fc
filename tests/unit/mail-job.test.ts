import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import {
  decideClaim,
  defaultRetryPolicy,
  mailJobId,
  newMailJob,
  retryDelayMs,
  transition,
  type MailJob,
  type MailJobEvent,
  type MailJobEventType,
} from '../../functions/domain/mail-job.js';

const now = new Date('2026-12-01T12:00:00.000Z');
const iso = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
const base = newMailJob({ jobId: mailJobId.confirm('p1', 'g1', 1), kind: 'confirm', personId: 'p1', now: new Date(iso(-60_000)) });

/** One job per situation a mailer meets. */
const situations: Record<string, MailJob> = {
  queued: base,
  'queued, backing off': { ...base, attempts: 1, notBefore: iso(5_000) },
  'sending, live lease': { ...base, status: 'sending', claimToken: 'mine', claimedAt: iso(-1_000), leaseUntil: iso(29_000) },
  'sending, lapsed lease': { ...base, status: 'sending', claimToken: 'mine', claimedAt: iso(-31_000), leaseUntil: iso(-1_000) },
  'sending, lapsed, accepted by SES': { ...base, status: 'sending', claimToken: 'mine', claimedAt: iso(-31_000), leaseUntil: iso(-1_000), acceptedAt: iso(-30_000) },
  sent: { ...base, status: 'sent', sentAt: iso(-10_000) },
  failed: { ...base, status: 'failed', attempts: 8, failedAt: iso(-10_000), lastError: 'Throttling' },
};

const events: Record<MailJobEventType, MailJobEvent> = {
  claim: { type: 'claim', token: 'other', leaseMs: 30_000 },
  'send-ok': { type: 'send-ok', token: 'mine', sesMessageId: 'ses-1' },
  drop: { type: 'drop', token: 'mine', reason: 'suppressed' },
  'send-failed': { type: 'send-failed', token: 'mine', error: 'Throttling', policy: defaultRetryPolicy, random: 0.5 },
  'expire-claim': { type: 'expire-claim' },
  accepted: { type: 'accepted', acceptedAt: new Date(iso(-500)), sesMessageId: 'ses-2' },
  retry: { type: 'retry' },
};

/** The status each (situation, event) leads to; `refused` where the move is illegal. */
const expected: Record<string, Record<MailJobEventType, MailJob['status'] | 'refused'>> = {
  queued: { claim: 'sending', 'send-ok': 'refused', drop: 'refused', 'send-failed': 'refused', 'expire-claim': 'refused', accepted: 'sent', retry: 'refused' },
  'queued, backing off': { claim: 'refused', 'send-ok': 'refused', drop: 'refused', 'send-failed': 'refused', 'expire-claim': 'refused', accepted: 'sent', retry: 'refused' },
  'sending, live lease': { claim: 'refused', 'send-ok': 'sent', drop: 'sent', 'send-failed': 'queued', 'expire-claim': 'refused', accepted: 'sent', retry: 'refused' },
  'sending, lapsed lease': { claim: 'sending', 'send-ok': 'sent', drop: 'sent', 'send-failed': 'queued', 'expire-claim': 'queued', accepted: 'sent', retry: 'refused' },
  'sending, lapsed, accepted by SES': { claim: 'refused', 'send-ok': 'sent', drop: 'sent', 'send-failed': 'queued', 'expire-claim': 'refused', accepted: 'sent', retry: 'refused' },
  sent: { claim: 'refused', 'send-ok': 'refused', drop: 'refused', 'send-failed': 'refused', 'expire-claim': 'refused', accepted: 'sent', retry: 'refused' },
  failed: { claim: 'refused', 'send-ok': 'refused', drop: 'refused', 'send-failed': 'refused', 'expire-claim': 'refused', accepted: 'sent', retry: 'queued' },
};

function outcome(job: MailJob, event: MailJobEvent): MailJob['status'] | 'refused' {
  try {
    return transition(job, event, now).status;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'mail_job_transition') return 'refused';
    throw error;
  }
}

describe('mail job transition', () => {
  for (const [name, job] of Object.entries(situations)) {
    for (const [type, event] of Object.entries(events) as Array<[MailJobEventType, MailJobEvent]>) {
      const want = expected[name]?.[type];
      it(`${name} + ${type} → ${want}`, () => {
        expect(outcome(job, event)).toBe(want);
      });
    }
  }

  it('refuses every move on a claim that another mailer holds', () => {
    const held = situations['sending, live lease']!;
    for (const type of ['send-ok', 'drop', 'send-failed'] as const) {
      expect(outcome(held, { ...events[type], token: 'someone-else' } as MailJobEvent)).toBe('refused');
    }
  });

  it('parks a job at its last allowed attempt and backs off before that', () => {
    const sending = situations['sending, live lease']!;
    const failing = events['send-failed'] as Extract<MailJobEvent, { type: 'send-failed' }>;
    const retried = transition({ ...sending, attempts: 2 }, failing, now);
    expect(retried).toMatchObject({ status: 'queued', attempts: 3, lastError: 'Throttling' });
    expect(retried.claimToken).toBeUndefined();
    expect(new Date(retried.notBefore ?? 0).getTime()).toBeGreaterThan(now.getTime());
    const parked = transition({ ...sending, attempts: defaultRetryPolicy.maxAttempts - 1 }, failing, now);
    expect(parked).toMatchObject({ status: 'failed', attempts: defaultRetryPolicy.maxAttempts, failedAt: now.toISOString() });
  });

  it('keeps when an expired claim was made, so the next claim knows the message may be out', () => {
    const expired = transition(situations['sending, lapsed lease']!, events['expire-claim'], now);
    expect(expired.claimedAt).toBe(situations['sending, lapsed lease']!.claimedAt);
    expect(expired.leaseUntil).toBeUndefined();
  });

  it('gives a retried job its full number of attempts again', () => {
    expect(transition(situations.failed!, events.retry, now)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});

describe('decideClaim', () => {
  it('says when a held or backing-off job can be tried again', () => {
    expect(decideClaim(situations['sending, live lease'], now)).toEqual({ claim: false, reason: 'held', retryAt: new Date(iso(29_000)) });
    expect(decideClaim(situations['queued, backing off'], now)).toEqual({ claim: false, reason: 'waiting', retryAt: new Date(iso(5_000)) });
  });

  it('takes over a dead claim only when SES did not report the message sent', () => {
    expect(decideClaim(situations['sending, lapsed lease'], now)).toEqual({ claim: true, takeover: true });
    expect(decideClaim(situations['sending, lapsed, accepted by SES'], now)).toEqual({ claim: false, reason: 'accepted' });
    expect(decideClaim(undefined, now)).toEqual({ claim: false, reason: 'missing' });
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially, stays within the cap, and spreads jobs failing together', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect(retryDelayMs(1, policy, 0)).toBe(500);
    expect(retryDelayMs(1, policy, 0.999)).toBeLessThanOrEqual(1000);
    expect(retryDelayMs(4, policy, 0)).toBe(4000);
    expect(retryDelayMs(30, policy, 0.999)).toBeLessThanOrEqual(60_000);
    expect(retryDelayMs(3, policy, 0.1)).toBeLessThan(retryDelayMs(3, policy, 0.9));
  });
});

describe('mailJobId', () => {
  it('gives the same cause the same id, so a repeat collapses into one job', () => {
    expect(mailJobId.morning('p1', 'g1', '2026-12-09')).toBe(mailJobId.morning('p1', 'g1', '2026-12-09'));
    // One email a morning: the local date names it, whatever asked for it.
    expect(mailJobId.morning('p1', 'g1', '2026-12-09')).not.toBe(mailJobId.morning('p1', 'g1', '2026-12-10'));
    expect(mailJobId.news('p1', 'i1')).not.toBe(mailJobId.news('p2', 'i1'));
  });
});

describe('a send SES may have taken after all', () => {
  it('waits at least the given time before its retry, for SES\'s Send event to settle it', () => {
    const sending: MailJob = { ...base, status: 'sending', claimToken: 'mine', claimedAt: iso(-1_000), leaseUntil: iso(59_000) };
    const failed = transition(sending, { type: 'send-failed', token: 'mine', error: 'TimeoutError', policy: defaultRetryPolicy, random: 0, minDelayMs: 60_000 }, now);
    expect(failed.notBefore).toBe(iso(60_000));
  });
});
