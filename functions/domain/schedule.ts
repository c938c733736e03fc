import { DateTime } from 'luxon';
import { announcedAtOf, covers, deadlineOf, type Campaign } from './campaign.js';
import type { Platform, PlatformId } from './platform.js';

/**
 * The local hour a person's morning email goes out at. One hour for everything, so that all that
 * is due on a day arrives as one email.
 */
export const SEND_HOUR = 9;

/** The welcome email already says what a morning due this soon after adding a platform would say. */
export const WELCOME_COVERS_MS = 12 * 3_600_000;

/** How late a morning email may go out before it is skipped: a reminder is for the morning, not the night. */
export const DEFAULT_MAX_LATENESS_MS = 12 * 3_600_000;

/** Why one platform makes a day a reminder morning. */
export type MorningReason =
  /** N days before an open deadline's last day (0: the last day itself). */
  | { kind: 'countdown'; platform: PlatformId; campaignId: string; offsetDays: number }
  /** The first morning after a deadline the person was counting down to. */
  | { kind: 'after-deadline'; platform: PlatformId; campaignId: string }
  /** N days after the person added a platform whose action has no deadline. */
  | { kind: 'standing'; platform: PlatformId; daysAfterAdded: number };

/** A morning on which the person's one email goes out, with every platform that asks for it. */
export interface Morning {
  /** The local date: one email a day, so the day names it (`2026-12-09`). */
  id: string;
  dueAt: Date;
  reasons: MorningReason[];
}

/** Whom a schedule is for: their zone, and the platforms still left with when each was added. */
export interface MorningReader {
  timeZone: string;
  platforms: ReadonlyArray<{ id: PlatformId; addedAt: Date }>;
}

const atSendHour = (day: DateTime) => day.set({ hour: SEND_HOUR, minute: 0, second: 0, millisecond: 0 });

/** Whether a deadline of a campaign covering the platform is open at `at`: the countdown speaks for it then. */
function countdownOpenAt(campaigns: readonly Campaign[], platform: PlatformId, at: DateTime): boolean {
  return campaigns.some((campaign) => {
    const deadline = deadlineOf(campaign);
    return deadline !== undefined && covers(campaign, platform) && announcedAtOf(campaign).getTime() <= at.toMillis() && at.toMillis() < deadline.getTime();
  });
}

/** The mornings one platform asks for. */
function reasonsOf(
  platform: { id: PlatformId; addedAt: Date },
  reminderDaysAfterAdded: readonly number[],
  campaigns: readonly Campaign[],
  timeZone: string,
): Array<{ at: DateTime; reason: MorningReason }> {
  const earliest = platform.addedAt.getTime() + WELCOME_COVERS_MS;
  const found: Array<{ at: DateTime; reason: MorningReason }> = [];
  for (const campaign of campaigns) {
    const instant = deadlineOf(campaign);
    if (!instant || !covers(campaign, platform.id)) continue;
    const deadline = DateTime.fromJSDate(instant).setZone(timeZone);
    const from = Math.max(earliest, announcedAtOf(campaign).getTime());
    const lastDay = deadline.minus({ minutes: 1 }).startOf('day');
    for (const offsetDays of new Set(campaign.reminderOffsetsDays)) {
      const at = atSendHour(lastDay.minus({ days: offsetDays }));
      // Past the deadline (far-east zones on the last day), before the announcement or the welcome: none.
      if (at >= deadline || at.toMillis() < from) continue;
      found.push({ at, reason: { kind: 'countdown', platform: platform.id, campaignId: campaign.id, offsetDays } });
    }
    // Someone who joined after the deadline never counted down to it: they get the standing mornings.
    if (instant.getTime() <= platform.addedAt.getTime()) continue;
    let after = atSendHour(deadline.startOf('day'));
    if (after < deadline) after = after.plus({ days: 1 });
    if (after.toMillis() >= from) found.push({ at: after, reason: { kind: 'after-deadline', platform: platform.id, campaignId: campaign.id } });
  }
  const addedDay = DateTime.fromJSDate(platform.addedAt).setZone(timeZone).startOf('day');
  for (const daysAfterAdded of new Set(reminderDaysAfterAdded)) {
    const at = atSendHour(addedDay.plus({ days: daysAfterAdded }));
    if (at.toMillis() < earliest || countdownOpenAt(campaigns, platform.id, at)) continue;
    found.push({ at, reason: { kind: 'standing', platform: platform.id, daysAfterAdded } });
  }
  return found;
}

/**
 * Every morning a person's email goes out, in time order: the union of what each platform left
 * asks for, at SEND_HOUR in the person's zone, one email a day. A platform under an open deadline
 * asks for the countdown (14, 7, 3, 1 days before the last day, and the last day), then the first
 * morning after the deadline; a platform with no deadline open, or added after it passed, asks
 * for its standing reminders (3 and 10 days after it was added). Nothing within WELCOME_COVERS_MS
 * of adding a platform: its welcome said it.
 *
 * @example
 * morningsFor({ timeZone: 'Europe/Berlin', platforms: [{ id: 'x', addedAt }] }, platforms, campaigns).map((m) => m.id)
 * // ['2026-12-09', '2026-12-16']
 */
export function morningsFor(reader: MorningReader, catalog: readonly Pick<Platform, 'id' | 'reminderDaysAfterAdded'>[], campaigns: readonly Campaign[]): Morning[] {
  const byDay = new Map<string, Morning>();
  for (const platform of reader.platforms) {
    const days = catalog.find((p) => p.id === platform.id)?.reminderDaysAfterAdded ?? [];
    for (const { at, reason } of reasonsOf(platform, days, campaigns, reader.timeZone)) {
      const id = at.toISODate() ?? '';
      const morning = byDay.get(id) ?? { id, dueAt: at.toJSDate(), reasons: [] };
      morning.reasons.push(reason);
      byDay.set(id, morning);
    }
  }
  return [...byDay.values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Something that falls due: a morning, or any dated step. */
export interface Due {
  id: string;
  dueAt: Date;
}

export type DueDecision<S extends Due> =
  /** Send `step` now; `skipped` are older ones passed over, `next` what comes after. */
  | { kind: 'send'; step: S; skipped: S[]; next: S | undefined }
  /** Everything due now is too old to send: pass over it. */
  | { kind: 'skip'; skipped: S[]; next: S | undefined }
  /** Nothing due yet. */
  | { kind: 'wait'; next: S }
  /** Nothing left to send. */
  | { kind: 'finished' };

/**
 * Decides what goes out now. Steps at or before `handledUntil` are over; of those due since, only
 * the latest is sent, so a late confirmation or a missed run never causes a burst of stale emails.
 *
 * @example
 * decideDue(mornings, lastHandled, now) // { kind: 'send', step: { id: '2026-12-09', … }, … }
 */
export function decideDue<S extends Due>(steps: readonly S[], handledUntil: Date, now: Date, maxLatenessMs = DEFAULT_MAX_LATENESS_MS): DueDecision<S> {
  const open = steps.filter((step) => step.dueAt.getTime() > handledUntil.getTime());
  const due = open.filter((step) => step.dueAt.getTime() <= now.getTime());
  const next = open.find((step) => step.dueAt.getTime() > now.getTime());
  const latest = due.at(-1);
  if (!latest) return next ? { kind: 'wait', next } : { kind: 'finished' };
  if (now.getTime() - latest.dueAt.getTime() > maxLatenessMs) return { kind: 'skip', skipped: due, next };
  return { kind: 'send', step: latest, skipped: due.slice(0, -1), next };
}

/** The next step after `handledUntil`, which decides where a person sits in the due index. */
export function nextAfter<S extends Due>(steps: readonly S[], handledUntil: Date): S | undefined {
  return steps.find((step) => step.dueAt.getTime() > handledUntil.getTime());
}
