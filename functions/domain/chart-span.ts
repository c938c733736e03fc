/** The days of an operator's chart, as UTC days (YYYY-MM-DD): the counters are kept per UTC day. */
export interface ChartSpanInput {
  start: string;
  end: string;
}

/** A chart never draws more than this many days (about three years), whatever the dates say. */
const MAX_DAYS = 1100;

const DAY_MS = 86_400_000;
const epochDay = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * Every day from start to end, so quiet days show as zero, whichever way round they are given.
 *
 * @example
 * chartSpan({ start: '2025-05-01', end: '2025-06-25' }).days.length // 56
 */
export function chartSpan(input: ChartSpanInput): { days: string[] } {
  const first = Math.min(epochDay(input.start), epochDay(input.end));
  const last = Math.min(Math.max(epochDay(input.start), epochDay(input.end)), first + (MAX_DAYS - 1) * DAY_MS);
  const days: string[] = [];
  for (let t = first; t <= last; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return { days };
}

/**
 * The days a chart of counters draws: the last `span` days up to today, or from the first day
 * counted if that is later, so a young service's chart is not mostly empty.
 *
 * @example
 * recentDays({ counted: ['2025-05-10'], today: new Date('2025-05-20T08:00Z'), span: 120 }).length // 11
 */
export function recentDays(input: { counted: readonly string[]; today: Date; span: number }): string[] {
  const today = utcDay(input.today);
  const first = [...input.counted].sort()[0] ?? today;
  const earliest = utcDay(input.today, -(input.span - 1));
  return chartSpan({ start: first > earliest && first <= today ? first : earliest, end: today }).days;
}

/** The UTC day of an instant, plus or minus whole days. */
export function utcDay(instant: Date, plusDays = 0): string {
  return new Date(instant.getTime() + plusDays * DAY_MS).toISOString().slice(0, 10);
}
