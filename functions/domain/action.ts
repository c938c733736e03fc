import { announcedAtOf, covers, deadlineOf, isAnnounced, isOpen, type Campaign } from './campaign.js';
import type { ActionKind, Platform, PlatformId } from './platform.js';

/**
 * What a person can do about one platform today. An open deadline comes first: a campaign counts
 * down and the platform's guide is how to act before it. Otherwise the platform's standing action:
 * a form or a setting that protects what comes next, or, where there is no opt-out, how to limit
 * what the platform gets. `history` is the latest deadline that has passed, told in one sentence.
 */
export type TodaysAction =
  | { kind: 'deadline'; platform: Platform; campaign: Campaign; deadline: Date; history: Campaign | undefined }
  | { kind: ActionKind; platform: Platform; history: Campaign | undefined };

/**
 * The one current action of a platform at `now`: the announced campaign covering it whose deadline
 * comes soonest, else its standing action, with the deadline that passed last as history.
 *
 * @example
 * actionToday(facebook, campaigns, new Date('2025-05-20T08:00Z')).kind // 'deadline' (meta-ai-2025)
 * actionToday(facebook, campaigns, new Date('2026-12-06T08:00Z')).kind // 'form', history meta-ai-2025
 */
export function actionToday(platform: Platform, campaigns: readonly Campaign[], now: Date): TodaysAction {
  const covering = campaigns.filter((campaign) => covers(campaign, platform.id) && isAnnounced(campaign, now));
  const at = (campaign: Campaign) => deadlineOf(campaign)?.getTime() ?? 0;
  const open = covering.filter((campaign) => isOpen(campaign, now)).sort((a, b) => at(a) - at(b));
  const history = covering.filter((campaign) => deadlineOf(campaign) !== undefined && !isOpen(campaign, now)).sort((a, b) => at(b) - at(a))[0];
  const [soonest] = open;
  if (soonest) return { kind: 'deadline', platform, campaign: soonest, deadline: new Date(at(soonest)), history };
  return { kind: platform.action, platform, history };
}

/** Today's action of every platform, by id. */
export function actionsToday(catalog: readonly Platform[], campaigns: readonly Campaign[], now: Date): Map<PlatformId, TodaysAction> {
  return new Map(catalog.map((platform) => [platform.id, actionToday(platform, campaigns, now)]));
}

/**
 * Whether an "I've objected" made at `doneAt` still counts at `now`: it does unless a campaign
 * covering the platform, announced after it, asks everyone to object again.
 *
 * @example
 * markCounts('facebook', new Date('2025-05-20T08:00Z'), campaigns, now) // true: no campaign asked again
 */
export function markCounts(platform: PlatformId, doneAt: Date, campaigns: readonly Campaign[], now: Date): boolean {
  return !campaigns.some(
    (campaign) =>
      !campaign.earlierMarksCount && covers(campaign, platform) && isAnnounced(campaign, now) && announcedAtOf(campaign).getTime() > doneAt.getTime(),
  );
}
