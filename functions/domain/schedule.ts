import { DateTime } from 'luxon';
import { deadlineOf, type Campaign } from './campaign.js';

/**
 * One email of a campaign's schedule: a reminder N days before the deadline, the note after it,
 * or, for a standing campaign, a reminder N days after the person confirmed.
 */
export interface Step {
  /** Unique per campaign schedule: a moved deadline makes new ids, so nothing keyed to the old date is reused. */
  id: string;
  kind: 'reminder' | 'after-deadline';
  /** Days before the last day (0 = the last day itself); only for a deadline campaign's reminders. */
  offsetDays?: number;
  /** Days after the confirmation; only for a standing campaign's reminders. */
  daysAfterConfirm?: number;
  dueAt: Date;
}

/** The welcome email already says what a step due this soon after confirming would say. */
export const WELCOME_COVERS_MS = 12 * 3_600_000;

/** Where a new subscriber's countdown starts: steps due before this are covered by the welcome. */
export function countdownStartFor(confirmedAt: Date): Date {
  return new Date(confirmedAt.getTime() + WELCOME_COVERS_MS);
}

/** How late a step may go out before it is skipped: a reminder is for the morning, not the night. */
export const DEFAULT_MAX_LATENESS_MS = 12 * 3_600_000;

/** Whom a schedule is for: their zone, and when they confirmed (which only a standing campaign reads). */
export interface ScheduleReader {
  timeZone: string;
  /** Unset for someone not yet confirmed: a standing campaign then has nothing to send. */
  confirmedAt?: Date | undefined;
}

/** The send hour on a local day; Luxon moves an hour skipped by DST forward, so no step is lost. */
const atSendHour = (campaign: Campaign, day: DateTime) => day.set({ hour: campaign.sendHour, minute: 0, second: 0, millisecond: 0 });

/**
 * Every step of a campaign for one reader, in time order, at the campaign's send hour in the
 * reader's zone. A deadline campaign counts down (each reminder on its local day, then one
 * after-deadline note the first morning after the deadline; a reminder that would fall after the
 * deadline, as in far-east zones on the last day, is left out) and ignores `confirmedAt`. A
 * standing campaign reminds on each of its `reminderDaysAfterConfirm`, counted in local days
 * from the day of confirmation, with no after-deadline note.
 *
 * @example
 * stepsFor(meta, { timeZone: 'Europe/Berlin' }).map((s) => s.id) // ['d14@2025-05-12', …, 'after@2025-05-27']
 * stepsFor(xGrok, { timeZone: 'Europe/Berlin', confirmedAt }).map((s) => s.id) // ['c3@2026-12-04', 'c10@2026-12-11']
 */
export function stepsFor(campaign: Campaign, reader: ScheduleReader): Step[] {
  const deadlineAt = deadlineOf(campaign);
  if (!deadlineAt) return standingSteps(campaign, reader);
  const deadline = DateTime.fromJSDate(deadlineAt).setZone(reader.timeZone);
  const lastDay = deadline.minus({ minutes: 1 }).startOf('day');
  const offsets = [...new Set(campaign.reminderOffsetsDays)].sort((a, b) => b - a);
  const steps: Step[] = [];
  for (const offsetDays of offsets) {
    const day = lastDay.minus({ days: offsetDays });
    const dueAt = atSendHour(campaign, day);
    if (dueAt >= deadline) continue;
    steps.push({ id: `d${offsetDays}@${day.toISODate()}`, kind: 'reminder', offsetDays, dueAt: dueAt.toJSDate() });
  }
  let afterDay = deadline.startOf('day');
  if (atSendHour(campaign, afterDay) < deadline) afterDay = afterDay.plus({ days: 1 });
  steps.push({ id: `after@${afterDay.toISODate()}`, kind: 'after-deadline', dueAt: atSendHour(campaign, afterDay).toJSDate() });
  return steps;
}

/** A standing campaign's reminders: N local days after the day of confirmation, at the send hour. */
function standingSteps(campaign: Campaign, reader: ScheduleReader): Step[] {
  if (!reader.confirmedAt) return [];
  const confirmedDay = DateTime.fromJSDate(reader.confirmedAt).setZone(reader.timeZone).startOf('day');
  return [...new Set(campaign.reminderDaysAfterConfirm)]
    .sort((a, b) => a - b)
    .map((daysAfterConfirm) => {
      const day = confirmedDay.plus({ days: daysAfterConfirm });
      return { id: `c${daysAfterConfirm}@${day.toISODate()}`, kind: 'reminder', daysAfterConfirm, dueAt: atSendHour(campaign, day).toJSDate() };
    });
}

export type StepDecision =
  /** Send `step` now; `skipped` are older steps passed over, `next` what comes after. */
  | { kind: 'send'; step: Step; skipped: Step[]; next: Step | undefined }
  /** Every step due now is too old to send: pass over them. */
  | { kind: 'skip'; skipped: Step[]; next: Step | undefined }
  /** Nothing due yet. */
  | { kind: 'wait'; next: Step }
  /** Nothing left to send for this campaign. */
  | { kind: 'finished' };

/**
 * Decides what one subscriber gets now. Steps at or before `handledUntil` (the confirmation time,
 * then the last step handled) are over; of the steps due since, only the latest is sent, so a late
 * confirmation or a missed run never causes a burst of stale reminders.
 */
export function decideStep(
  steps: readonly Step[],
  handledUntil: Date,
  now: Date,
  maxLatenessMs = DEFAULT_MAX_LATENESS_MS,
): StepDecision {
  const open = steps.filter((step) => step.dueAt.getTime() > handledUntil.getTime());
  const due = open.filter((step) => step.dueAt.getTime() <= now.getTime());
  const next = open.find((step) => step.dueAt.getTime() > now.getTime());
  const latest = due.at(-1);
  if (!latest) return next ? { kind: 'wait', next } : { kind: 'finished' };
  if (now.getTime() - latest.dueAt.getTime() > maxLatenessMs) return { kind: 'skip', skipped: due, next };
  return { kind: 'send', step: latest, skipped: due.slice(0, -1), next };
}

/** The next step to wait for after `handledUntil`, which decides where a subscriber sits in the due index. */
export function nextStepAfter(steps: readonly Step[], handledUntil: Date): Step | undefined {
  return steps.find((step) => step.dueAt.getTime() > handledUntil.getTime());
}
