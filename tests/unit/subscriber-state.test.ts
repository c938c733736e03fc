import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import {
  isExpired,
  platformsLeft,
  recordObjection,
  SubscriberEvent,
  SubscriberState,
  transition,
  undoObjection,
  type Subscriber,
} from '../../functions/domain/subscriber.js';

// Every (state, event) pair: the legal moves, and every other pair is refused.
const legal: Record<string, string> = {
  'pending/confirm': 'confirmed',
  'pending/unsubscribe': 'unsubscribed',
  'pending/erase': 'erased',
  'pending/expire': 'expired',
  'pending/suppress': 'suppressed',
  'confirmed/unsubscribe': 'unsubscribed',
  'confirmed/erase': 'erased',
  'confirmed/suppress': 'suppressed',
};

describe('transition', () => {
  const pairs = SubscriberState.options.flatMap((state) => SubscriberEvent.options.map((event) => [state, event] as const));

  it.each(pairs)('%s + %s moves to the right state or is refused', (state, event) => {
    const expected = legal[`${state}/${event}`];
    if (expected) {
      expect(transition(state, event)).toBe(expected);
    } else {
      expect(() => transition(state, event)).toThrow(DomainError);
    }
  });

  it('names a second confirmation as already confirmed', () => {
    expect(() => transition('confirmed', 'confirm')).toThrow(expect.objectContaining({ code: 'already_confirmed', kind: 'conflict' }));
  });
});

const subscriber: Subscriber = {
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  campaignId: 'meta-ai-2025',
  email: 'a@example.org',
  state: 'confirmed',
  platforms: ['facebook', 'instagram', 'whatsapp'],
  objections: {},
  timeZone: 'Europe/Berlin',
  locale: 'en',
  consent: { at: '2025-05-01T10:00:00.000Z', textVersion: 'v1', method: 'web-form' },
  createdAt: '2025-05-01T10:00:00.000Z',
};

describe('objections', () => {
  it('lists only the platforms not yet done, in the order picked', () => {
    const done = recordObjection(subscriber, 'instagram', new Date('2025-05-02T10:00:00Z'));
    expect(platformsLeft(done)).toEqual(['facebook', 'whatsapp']);
  });

  it('keeps the first time when a platform is marked done twice', () => {
    const once = recordObjection(subscriber, 'facebook', new Date('2025-05-02T10:00:00Z'));
    const twice = recordObjection(once, 'facebook', new Date('2025-05-03T10:00:00Z'));
    expect(twice.objections.facebook).toBe('2025-05-02T10:00:00.000Z');
  });

  it('refuses a platform that was not picked', () => {
    expect(() => recordObjection(subscriber, 'threads', new Date())).toThrow(expect.objectContaining({ code: 'platform_not_picked' }));
  });

  it('puts a platform back on the list when undone', () => {
    const done = recordObjection(subscriber, 'whatsapp', new Date());
    expect(platformsLeft(undoObjection(done, 'whatsapp'))).toEqual(['facebook', 'instagram', 'whatsapp']);
  });
});

describe('isExpired', () => {
  const pending = { state: 'pending' as const, expiresAt: '2025-05-08T10:00:00.000Z' };

  it('treats a pending sign-up as gone from its expiry on, before TTL removes it', () => {
    expect(isExpired(pending, new Date('2025-05-08T09:59:59Z'))).toBe(false);
    expect(isExpired(pending, new Date('2025-05-08T10:00:00Z'))).toBe(true);
  });

  it('never expires a confirmed subscriber', () => {
    expect(isExpired({ state: 'confirmed', expiresAt: undefined }, new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });
});
