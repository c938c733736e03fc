import { describe, expect, it } from 'vitest';
import { chartSpan, utcDay } from '../../functions/domain/chart-span.js';

describe('chartSpan', () => {
  it('gives every day from start to end with the deadline where it falls', () => {
    const span = chartSpan({ start: '2025-05-01', deadline: '2025-05-26', end: '2025-06-25' });
    expect(span.days[0]).toBe('2025-05-01');
    expect(span.days.at(-1)).toBe('2025-06-25');
    expect(span.days).toHaveLength(56);
    expect(span.days[span.deadlineIndex ?? -1]).toBe('2025-05-26');
  });

  it('has no deadline mark for a standing campaign or a deadline outside the span', () => {
    expect(chartSpan({ start: '2026-01-15', end: '2026-02-01' }).deadlineIndex).toBeUndefined();
    expect(chartSpan({ start: '2026-01-15', deadline: '2025-01-01', end: '2026-02-01' }).deadlineIndex).toBeUndefined();
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
