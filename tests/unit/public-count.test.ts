import { describe, expect, it } from 'vitest';
import { objectorCount, publicCount } from '../../functions/domain/public-count.js';
import { summarisePlatforms } from '../../functions/domain/stats.js';

describe('the public count', () => {
  it('is the platform most marked done, so one person done on two platforms counts once', () => {
    const { totals } = summarisePlatforms([
      { date: '2025-05-12', picked_facebook: 9, done_facebook: 7, picked_instagram: 9, done_instagram: 7, done_linkedin: 5 },
      { date: '2025-05-13', done_facebook: 2, done_instagram: -1 },
    ]);
    expect(objectorCount(totals)).toBe(9);
    expect(objectorCount(summarisePlatforms([]).totals)).toBe(0);
  });

  it('never goes below zero when undos outnumber the marks of a day range', () => {
    expect(objectorCount(summarisePlatforms([{ date: '2025-05-12', done_x: -2 }]).totals)).toBe(0);
  });

  it('is shown from 10 upwards only', () => {
    expect(publicCount(9)).toBeUndefined();
    expect(publicCount(10)).toBe(10);
  });
});
