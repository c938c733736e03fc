import { describe, expect, it } from 'vitest';
import { objectorCount, publicCount } from '../../functions/domain/public-count.js';

const campaign = (platforms: Record<string, { picked: number; done: number }>) => ({
  totals: { signups: 0, confirmations: 0, unsubscribes: 0, erasures: 0, sent: 0, sentByKind: { confirm: 0, welcome: 0, countdown: 0, announcement: 0, newsletter: 0 }, platforms },
});

describe('the public count', () => {
  it('counts per campaign the platform most marked done, so one person on two platforms counts once', () => {
    expect(objectorCount([campaign({ facebook: { picked: 9, done: 7 }, instagram: { picked: 9, done: 4 } }), campaign({ linkedin: { picked: 5, done: 5 } })])).toBe(12);
    expect(objectorCount([campaign({})])).toBe(0);
  });

  it('is shown from 10 upwards only', () => {
    expect(publicCount(9)).toBeUndefined();
    expect(publicCount(10)).toBe(10);
  });
});
