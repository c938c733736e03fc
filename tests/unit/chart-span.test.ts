import { describe, expect, it } from 'vitest';
import { chartSpan, recentDays, utcDay } from '../../functions/domain/chart-span.js';

describe('chartSpan', () => {
  it('gives every day from start to end, quiet days included', () => {
    const span = chartSpan({ start: '2025-05-01', end: '2025-06-25' });
    expect(span.days[0]).toBe('2025-05-01');
    expect(span.days[25]).toBe('2025-05-26');
    expect(span.days.at(-1)).toBe('2025-06-25');
    expect(span.days).toHaveLength(56);
  });

  it('takes start and end either way round, and never draws more than about three years', () => {
    expect(chartSpan({ start: '2025-06-25', end: '2025-06-20' }).days).toEqual(['2025-06-20', '2025-06-21', '2025-06-22', '2025-06-23', '2025-06-24', '2025-06-25']);
    expect(chartSpan({ start: '2000-01-01', end: '2030-01-01' }).days).toHaveLength(1100);
  });

  it('counts UTC days across a DST change without skipping or repeating one', () => {
    expect(chartSpan({ start: '2025-03-29', end: '2025-04-01' }).days).toEqual(['2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01']);
    expect(utcDay(new Date('2025-05-26T22:00:00Z'), 30)).toBe('2025-06-25');
  });
});

describe('recentDays', () => {
  const today = new Date('2025-05-20T23:30:00Z');

  it('starts at the first day counted when that is within the span, and ends today', () => {
    expect(recentDays({ counted: ['2025-05-18', '2025-05-12'], today, span: 120 })).toEqual(chartSpan({ start: '2025-05-12', end: '2025-05-20' }).days);
  });

  it('shows only the last days of the span when counting began long before', () => {
    const days = recentDays({ counted: ['2024-01-01', '2025-05-19'], today, span: 120 });
    expect(days).toHaveLength(120);
    expect(days[0]).toBe('2025-01-21');
    expect(days.at(-1)).toBe('2025-05-20');
  });

  it('is today alone when nothing was counted, and ignores days counted after today', () => {
    expect(recentDays({ counted: [], today, span: 120 })).toEqual(['2025-05-20']);
    expect(recentDays({ counted: ['2025-06-01'], today, span: 3 })).toEqual(['2025-05-18', '2025-05-19', '2025-05-20']);
  });
});
