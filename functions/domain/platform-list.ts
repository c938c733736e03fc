import { markCounts } from './action.js';
import type { Campaign } from './campaign.js';
import { DomainError } from './errors.js';
import { isPlatformLapsed, transitionPerson, transitionPlatform, type ConsentRecord, type Person, type PersonPlatform } from './person.js';
import type { Platform, PlatformId } from './platform.js';
import { personalDataExpiry } from './retention.js';
import { CONSENT_TEXT_VERSION } from './signup.js';
import { PEOPLE_SCOPE, PLATFORMS_SCOPE } from './stats.js';
import type { Counts } from './signup.js';
import { watchRetainUntil } from './watch.js';

/** What changes a person's list needs to know besides the person: the platforms, campaigns and retention. */
export interface ListContext {
  catalog: readonly Platform[];
  campaigns: readonly Campaign[];
  graceDays: number;
  now: Date;
}

/** A person after a change of their list, with what the change did. */
export interface ListChange {
  person: Person;
  /** Platforms that joined the active list now: each gets its guide once. */
  activated: PlatformId[];
  counts: Counts;
}

/** The active platforms with when each was added, as the schedule and retention read them. */
export function activeSince(person: Pick<Person, 'platforms'>): Array<{ id: PlatformId; addedAt: Date }> {
  return person.platforms.filter((p) => p.state === 'active').map((p) => ({ id: p.id, addedAt: new Date(p.addedAt ?? p.askedAt) }));
}

/** When the person's data is erased after this change: their last possible reminder plus the grace, or the watch's year. */
function retainUntilOf(person: Person, context: ListContext): string {
  const watchUntil = person.watch && person.watchKeptAt ? watchRetainUntil(new Date(person.watchKeptAt)) : undefined;
  const notBefore = new Date(Math.max(Date.parse(person.retainUntil ?? context.now.toISOString()), watchUntil?.getTime() ?? 0));
  return personalDataExpiry({ timeZone: person.timeZone, platforms: activeSince(person) }, { ...context, notBefore }).toISOString();
}

/**
 * Confirms everything that waits for the person's confirmation: every pending platform joins the
 * list (its standing reminders count from now), every consent given since is confirmed, a pending
 * person becomes active. Undefined when nothing waits (a second press of the button).
 *
 * @example
 * planConfirmation(person, { catalog, campaigns, graceDays: 30, now })?.activated // ['facebook', 'x']
 */
export function planConfirmation(person: Person, context: ListContext): ListChange | undefined {
  const at = context.now.toISOString();
  const live = person.platforms.filter((p) => !isPlatformLapsed(p, context.now));
  const activated = live.filter((p) => p.state === 'pending').map((p) => p.id);
  const waitingConsents = person.consents.filter((c) => c.confirmedAt === undefined);
  if (activated.length === 0 && waitingConsents.length === 0 && person.status === 'active') return undefined;
  const watch = person.watch || waitingConsents.some((c) => c.kind === 'watch');
  const { confirmationMails: _sent, expiresAt: _pendingUntil, ...rest } = person;
  const confirmed: Person = {
    ...rest,
    status: transitionPerson(person.status, 'confirm'),
    confirmedAt: person.confirmedAt ?? at,
    consents: person.consents.map((c) => (c.confirmedAt ? c : { ...c, confirmedAt: at })),
    platforms: live.map((p): PersonPlatform => (p.state === 'pending' ? { ...p, state: 'active', addedAt: at } : p)),
    watch,
    // A new watch starts its year now.
    ...(watch ? { watchKeptAt: person.watchKeptAt ?? at } : {}),
    version: person.version + 1,
  };
  confirmed.retainUntil = retainUntilOf(confirmed, context);
  const counts: Counts = {
    ...(person.status === 'pending' ? { [PEOPLE_SCOPE]: { confirmations: 1 } } : {}),
    ...(activated.length ? { [PLATFORMS_SCOPE]: Object.fromEntries(activated.map((p) => [`picked_${p}`, 1])) } : {}),
  };
  return { person: confirmed, activated, counts };
}

/**
 * What a confirmed person changes on their own preferences page: platforms added join the list at
 * once (their link is the proof, so no confirmation email; each addition keeps its consent
 * record), platforms dropped leave it with their marks, the zone, the language and the watch.
 *
 * @example
 * changeList(person, { add: ['chatgpt'], drop: ['x'], timeZone, locale, watch: true }, context).activated // ['chatgpt']
 */
export function changeList(
  person: Person,
  wanted: { add: readonly PlatformId[]; drop: readonly PlatformId[]; timeZone: string; locale: Person['locale']; watch: boolean },
  context: ListContext,
): ListChange {
  if (person.status !== 'active') throw new DomainError('conflict', 'not_confirmed', 'Confirm your subscription first, from the email we sent you.');
  const at = context.now.toISOString();
  const kept = person.platforms.filter((p) => !isPlatformLapsed(p, context.now) && !wanted.drop.includes(p.id));
  for (const p of person.platforms.filter((p) => wanted.drop.includes(p.id))) transitionPlatform(p.state, 'drop');
  const activated = wanted.add.filter((id) => !kept.some((p) => p.id === id && p.state === 'active'));
  const platforms: PersonPlatform[] = [
    ...kept.filter((p) => !activated.includes(p.id)),
    ...activated.map((id): PersonPlatform => ({ id, state: transitionPlatform(transitionPlatform('dropped', 'ask'), 'confirm') as PersonPlatform['state'], askedAt: at, addedAt: at })),
  ];
  const consent = (kind: ConsentRecord['kind'], platforms?: PlatformId[]): ConsentRecord => ({
    kind,
    ...(platforms ? { platforms } : {}),
    at,
    textVersion: CONSENT_TEXT_VERSION,
    method: 'preferences',
    confirmedAt: at,
  });
  const startsWatch = wanted.watch && !person.watch;
  const { watchAskedAt: _asked, watchKeptAt: _kept, ...unwatched } = person;
  const changed: Person = {
    ...(wanted.watch ? person : unwatched),
    platforms,
    timeZone: wanted.timeZone,
    locale: wanted.locale,
    watch: wanted.watch,
    ...(startsWatch ? { watchKeptAt: at } : {}),
    consents: [...person.consents, ...(activated.length ? [consent('reminders', activated)] : []), ...(startsWatch ? [consent('watch', platforms.map((p) => p.id))] : [])],
    version: person.version + 1,
  };
  changed.retainUntil = retainUntilOf(changed, context);
  const dropped = person.platforms.filter((p) => p.state === 'active' && wanted.drop.includes(p.id)).map((p) => p.id);
  const counts: Counts =
    activated.length || dropped.length
      ? { [PLATFORMS_SCOPE]: { ...Object.fromEntries(activated.map((p) => [`picked_${p}`, 1])), ...Object.fromEntries(dropped.map((p) => [`dropped_${p}`, 1])) } }
      : {};
  return { person: changed, activated, counts };
}

/**
 * Marks one active platform done ("I've objected"), or undoes that. A repeat changes nothing and
 * says so (`changed: false`), so a double click counts once; a mark that a newer deadline no
 * longer counts is made anew.
 *
 * @example
 * markDone(person, 'facebook', true, { campaigns, now }).person.platforms[0].doneAt // '2026-12-06T10:00:00.000Z'
 */
export function markDone(person: Person, platform: PlatformId, done: boolean, context: Pick<ListContext, 'campaigns' | 'now'>): { person: Person; changed: boolean } {
  const { now } = context;
  const entry = person.platforms.find((p) => p.id === platform);
  if (!entry || entry.state !== 'active') throw new DomainError('not_found', 'platform_not_picked', 'This platform is no longer on your list.');
  const isDone = entry.doneAt !== undefined && markCounts(platform, new Date(entry.doneAt), context.campaigns, now);
  if (done === isDone) return { person, changed: false };
  const platforms = person.platforms.map((p): PersonPlatform => {
    if (p.id !== platform) return p;
    if (done) return { ...p, doneAt: now.toISOString() };
    const { doneAt: _undone, ...rest } = p;
    return rest;
  });
  return { person: { ...person, platforms, version: person.version + 1 }, changed: true };
}
