/** A campaign's life on the operator's chart, as UTC days (YYYY-MM-DD): the counters are kept per UTC day. */
export interface ChartSpanInput {
  /** When it was announced, or the first day anything was counted. */
  start: string;
  deadline?: string | undefined;
  /** When its personal data is erased (deadline + grace), or today for a campaign without an end. */
  end: string;
}

export interface ChartSpan {
  days: string[];
  /** Where the deadline falls in `days`, to mark it. */
  deadlineIndex?: number;
}

/** A chart never draws more than this many days (about three years), whatever the dates say. */
const MAX_DAYS = 1100;

const DAY_MS = 86_400_000;
const epochDay = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * Every day of a campaign's life, so quiet days show as zero and the deadline sits where it
 * belongs, from start to end whichever way round they are given.
 *
 * @example
 * chartSpan({ start: '2025-05-01', deadline: '2025-05-26', end: '2025-06-25' }).deadlineIndex // 25
 */
export function chartSpan(input: ChartSpanInput): ChartSpan {
  const first = Math.min(epochDay(input.start), epochDay(input.end));
  const last = Math.min(Math.max(epochDay(input.start), epochDay(input.end)), first + (MAX_DAYS - 1) * DAY_MS);
  const days: string[] = [];
  for (let t = first; t <= last; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  const deadlineIndex = input.deadline === undefined ? -1 : days.indexOf(input.deadline);
  return deadlineIndex >= 0 ? { days, deadlineIndex } : { days };
}

/** The UTC day of an instant, plus or minus whole days. */
export function utcDay(instant: Date, plusDays = 0): string {
  return new Date(instant.getTime() + plusDays * DAY_MS).toISOString().slice(0, 10);
}
