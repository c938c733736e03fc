import { actionToday, markCounts, type TodaysAction } from './action.js';
import type { Campaign } from './campaign.js';
import { inFormOrder, type Platform, type PlatformId } from './platform.js';
import type { Person, PersonPlatform } from './person.js';
import { morningsFor, type Morning } from './schedule.js';

/** One platform of a person's checklist: today's action, and whether it is done or left. */
export interface ChecklistItem {
  platform: Platform;
  action: TodaysAction;
  state: PersonPlatform['state'];
  addedAt: Date | undefined;
  /** When the person said it is done; set only while that mark still counts. */
  doneAt: Date | undefined;
  /** A mark that a newer deadline no longer counts: the person has to act again. */
  markOutdated: boolean;
}

/** What a checklist comes to: what is done and what is left, of the active platforms. */
export interface ChecklistSummary {
  done: ChecklistItem[];
  left: ChecklistItem[];
  /** Waiting for the person's confirmation. */
  pending: ChecklistItem[];
}

/**
 * A person's one checklist across every platform they use: each with today's action, done or
 * left; the nearest open deadline first, then in the form's order.
 *
 * @example
 * checklistOf(person, platforms, campaigns, now).map((item) => item.platform.id) // ['facebook', 'x', 'chatgpt']
 */
export function checklistOf(
  person: Pick<Person, 'platforms'>,
  catalog: readonly Platform[],
  campaigns: readonly Campaign[],
  now: Date,
): ChecklistItem[] {
  const byId = new Map(catalog.map((platform) => [platform.id, platform]));
  const order = inFormOrder(
    person.platforms.map((p) => p.id),
    catalog,
  );
  const items = person.platforms
    .map((entry): ChecklistItem | undefined => {
      const platform = byId.get(entry.id);
      if (!platform) return undefined;
      const doneAt = entry.doneAt ? new Date(entry.doneAt) : undefined;
      const counts = doneAt !== undefined && markCounts(entry.id, doneAt, campaigns, now);
      return {
        platform,
        action: actionToday(platform, campaigns, now),
        state: entry.state,
        addedAt: entry.addedAt ? new Date(entry.addedAt) : undefined,
        doneAt: counts ? doneAt : undefined,
        markOutdated: doneAt !== undefined && !counts,
      };
    })
    .filter((item): item is ChecklistItem => item !== undefined);
  const deadlineOf = (item: ChecklistItem) => (item.action.kind === 'deadline' ? item.action.deadline.getTime() : Number.POSITIVE_INFINITY);
  return items.sort((a, b) => deadlineOf(a) - deadlineOf(b) || order.indexOf(a.platform.id) - order.indexOf(b.platform.id));
}

/**
 * The checklist as done, left and pending, each in the checklist's order.
 *
 * @example
 * summarise(checklist).left.map((item) => item.platform.name) // ['X', 'LinkedIn']
 */
export function summarise(checklist: readonly ChecklistItem[]): ChecklistSummary {
  return {
    done: checklist.filter((item) => item.state === 'active' && item.doneAt !== undefined),
    left: checklist.filter((item) => item.state === 'active' && item.doneAt === undefined),
    pending: checklist.filter((item) => item.state === 'pending'),
  };
}

/** The ids of the active platforms still left at `now`. */
export function platformsLeft(person: Pick<Person, 'platforms'>, catalog: readonly Platform[], campaigns: readonly Campaign[], now: Date): PlatformId[] {
  return summarise(checklistOf(person, catalog, campaigns, now)).left.map((item) => item.platform.id);
}

/**
 * The mornings a person's email goes out on, from what is left on their list at `now` (a done
 * platform asks for nothing), in their zone.
 *
 * @example
 * morningsOf(person, platforms, campaigns, now)[0]?.id // '2026-12-09'
 */
export function morningsOf(person: Pick<Person, 'platforms' | 'timeZone'>, catalog: readonly Platform[], campaigns: readonly Campaign[], now: Date): Morning[] {
  const left = summarise(checklistOf(person, catalog, campaigns, now)).left;
  return morningsFor({ timeZone: person.timeZone, platforms: left.map((item) => ({ id: item.platform.id, addedAt: item.addedAt ?? now })) }, catalog, campaigns);
}
