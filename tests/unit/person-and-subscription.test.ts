import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import {
  isPendingExpired,
  MAX_CONFIRMATION_MAILS,
  mayResendConfirmation,
  PersonEvent,
  PersonStatus,
  transitionPerson,
} from '../../functions/domain/person.js';
import {
  isSubscriptionExpired,
  platformsLeft,
  recordObjection,
  SubscriptionEvent,
  SubscriptionState,
  transitionSubscription,
  undoObjection,
  type Subscription,
} from '../../functions/domain/subscription.js';

// Every (status, event) pair of a person: the legal moves; every other pair is refused.
const personMoves: Record<string, string> = {
  'pending/sign-up': 'pending',
  'pending/confirm': 'active',
  'pending/unsubscribe': 'unsubscribed',
  'pending/erase': 'erased',
  'pending/suppress': 'suppressed',
  'active/sign-up': 'active',
  'active/confirm': 'active',
  'active/unsubscribe': 'unsubscribed',
  'active/erase': 'erased',
  'active/suppress': 'suppressed',
  'unsubscribed/sign-up': 'pending',
  'unsubscribed/unsubscribe': 'unsubscribed',
  'unsubscribed/erase': 'erased',
  'unsubscribed/suppress': 'suppressed',
  'erased/sign-up': 'pending',
  'erased/unsubscribe': 'erased',
  'erased/erase': 'erased',
  'erased/suppress': 'suppressed',
  'suppressed/unsubscribe': 'suppressed',
  'suppressed/erase': 'suppressed',
  'suppressed/suppress': 'suppressed',
};

describe('transitionPerson', () => {
  const pairs = PersonStatus.options.flatMap((status) => PersonEvent.options.map((event) => [status, event] as const));

  it.each(pairs)('%s + %s moves to the right status or is refused', (status, event) => {
    const expected = personMoves[`${status}/${event}`];
    if (expected) expect(transitionPerson(status, event)).toBe(expected);
    else expect(() => transitionPerson(status, event)).toThrow(DomainError);
  });

  it('never lets a suppressed address sign up again', () => {
    expect(() => transitionPerson('suppressed', 'sign-up')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});

const subscriptionMoves: Record<string, string> = {
  'pending/confirm': 'confirmed',
  'pending/end': 'ended',
  'pending/rejoin': 'pending',
  'confirmed/end': 'ended',
  'ended/rejoin': 'pending',
  'ended/end': 'ended',
};

describe('transitionSubscription', () => {
  const pairs = SubscriptionState.options.flatMap((state) => SubscriptionEvent.options.map((event) => [state, event] as const));

  it.each(pairs)('%s + %s moves to the right state or is refused', (state, event) => {
    const expected = subscriptionMoves[`${state}/${event}`];
    if (expected) expect(transitionSubscription(state, event)).toBe(expected);
    else expect(() => transitionSubscription(state, event)).toThrow(DomainError);
  });

  it('names a second confirmation as already confirmed', () => {
    expect(() => transitionSubscription('confirmed', 'confirm')).toThrow(expect.objectContaining({ code: 'already_confirmed', kind: 'conflict' }));
  });
});

describe('mayResendConfirmation', () => {
  const at = (iso: string) => new Date(iso);
  const first = { count: 1, lastAt: '2025-05-01T10:00:00.000Z' };

  it('sends the first confirmation at once', () => {
    expect(mayResendConfirmation(undefined, at('2025-05-01T10:00:00Z'), 15)).toBe(true);
  });

  it('waits the cooldown before the first resend, then four times longer each time', () => {
    expect(mayResendConfirmation(first, at('2025-05-01T10:14:59Z'), 15)).toBe(false);
    expect(mayResendConfirmation(first, at('2025-05-01T10:15:00Z'), 15)).toBe(true);
    const second = { count: 2, lastAt: '2025-05-01T10:15:00.000Z' };
    expect(mayResendConfirmation(second, at('2025-05-01T11:14:59Z'), 15)).toBe(false);
    expect(mayResendConfirmation(second, at('2025-05-01T11:15:00Z'), 15)).toBe(true);
  });

  it('stops after the last allowed email, however long one waits', () => {
    expect(mayResendConfirmation({ count: MAX_CONFIRMATION_MAILS, lastAt: '2025-05-01T10:00:00.000Z' }, at('2026-05-01T10:00:00Z'), 15)).toBe(false);
  });
});

const subscription: Subscription = {
  personId: 'p',
  campaignId: 'meta-ai-2025',
  state: 'confirmed',
  platforms: ['facebook', 'instagram', 'whatsapp'],
  objections: {},
  createdAt: '2025-05-01T10:00:00.000Z',
  layout: 2,
};

describe('objections', () => {
  it('lists only the platforms not yet done, in the order picked', () => {
    const done = recordObjection(subscription, 'instagram', new Date('2025-05-02T10:00:00Z'));
    expect(platformsLeft(done)).toEqual(['facebook', 'whatsapp']);
  });

  it('keeps the first time when a platform is marked done twice', () => {
    const once = recordObjection(subscription, 'facebook', new Date('2025-05-02T10:00:00Z'));
    const twice = recordObjection(once, 'facebook', new Date('2025-05-03T10:00:00Z'));
    expect(twice.objections.facebook).toBe('2025-05-02T10:00:00.000Z');
  });

  it('refuses a platform that was not picked', () => {
    expect(() => recordObjection(subscription, 'threads', new Date())).toThrow(expect.objectContaining({ code: 'platform_not_picked' }));
  });

  it('puts a platform back on the list when undone', () => {
    const done = recordObjection(subscription, 'whatsapp', new Date());
    expect(platformsLeft(undoObjection(done, 'whatsapp'))).toEqual(['facebook', 'instagram', 'whatsapp']);
  });
});

describe('expiry of a pending sign-up', () => {
  it('treats a pending person and subscription as gone from their expiry on, before TTL removes them', () => {
    const pending = { state: 'pending' as const, status: 'pending' as const, expiresAt: '2025-05-08T10:00:00.000Z' };
    expect(isPendingExpired(pending, new Date('2025-05-08T09:59:59Z'))).toBe(false);
    expect(isPendingExpired(pending, new Date('2025-05-08T10:00:00Z'))).toBe(true);
    expect(isSubscriptionExpired(pending, new Date('2025-05-08T10:00:00Z'))).toBe(true);
  });

  it('never expires a confirmed subscription or an active person', () => {
    expect(isSubscriptionExpired({ state: 'confirmed', expiresAt: undefined }, new Date('2099-01-01T00:00:00Z'))).toBe(false);
    expect(isPendingExpired({ status: 'active', expiresAt: undefined }, new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });
});
