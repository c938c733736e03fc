import { describe, expect, it } from 'vitest';
import { fixedQuota, Pacer, type SendQuota } from '../../functions/mail/pacer.js';

/** A pacer on a hand-moved clock: sleeping moves the clock, nothing waits for real. */
function pacerWith(quota: () => Promise<SendQuota>, options: { instances?: number; dailyShare?: number } = {}) {
  let now = 1_000_000;
  const slept: number[] = [];
  const pacer = new Pacer({
    quota,
    fallback: { maxSendRate: 1, max24HourSend: -1, sentLast24Hours: 0 },
    instances: options.instances ?? 1,
    dailyShare: options.dailyShare ?? 0.8,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  });
  return { pacer, slept, advance: (ms: number) => (now += ms), now: () => now };
}

describe('Pacer', () => {
  it('spaces sends at SES\'s rate divided among the instances', async () => {
    const { pacer, now } = pacerWith(fixedQuota({ maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 0 }), { instances: 2 });
    const start = now();
    for (let i = 0; i < 71; i++) await pacer.acquire();
    // 70 intervals at 7 a second: 10 seconds.
    expect(now() - start).toBeCloseTo(10_000, 0);
    expect(await pacer.rate()).toBe(7);
  });

  it('reads the quota again each minute and follows a raised rate', async () => {
    let rate = 1;
    let reads = 0;
    const { pacer, advance } = pacerWith(async () => ((reads += 1), { maxSendRate: rate, max24HourSend: -1, sentLast24Hours: 0 }));
    expect(await pacer.rate()).toBe(1);
    rate = 50;
    advance(30_000);
    expect(await pacer.rate()).toBe(1);
    advance(31_000);
    await pacer.rate();
    // The refresh runs in the background; the next call sees it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await pacer.rate()).toBe(50);
    expect(reads).toBe(2);
  });

  it('stops at 80 % of the daily quota, counting its own sends since the last read', async () => {
    const { pacer } = pacerWith(fixedQuota({ maxSendRate: 100, max24HourSend: 1000, sentLast24Hours: 790 }));
    expect(await pacer.paused()).toBeUndefined();
    for (let i = 0; i < 10; i++) await pacer.acquire();
    expect(await pacer.paused()).toBeInstanceOf(Date);
  });

  it('keeps sending at the fallback rate when the quota cannot be read', async () => {
    const { pacer } = pacerWith(() => Promise.reject(new Error('GetSendQuota timed out')));
    expect(await pacer.rate()).toBe(1);
    expect(await pacer.paused()).toBeUndefined();
  });
});
