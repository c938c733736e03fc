import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import { campaigns } from '../../functions/campaigns.js';
import { Campaign } from '../../functions/domain/campaign.js';
import { checklistOf, summarise } from '../../functions/domain/checklist.js';
import {
  isPendingExpired,
  isPlatformLapsed,
  MAX_CONFIRMATION_MAILS,
  mayResendConfirmation,
  PersonEvent,
  PersonStatus,
  PlatformEvent,
  PlatformState,
  TABLE_LAYOUT_VERSION,
  transitionPerson,
  transitionPlatform,
  type Person,
} from '../../functions/domain/person.js';
import { changeList, markDone, planConfirmation } from '../../functions/domain/platform-list.js';
import { platforms } from '../../functions/platforms.js';

// Every (status, event) pair of a person: the legal moves; every other pair is refused.
const personMoves: Record<string, string> = {
  'pending/sign-up': 'pending',
  'pending/confirm': 'active',
  'pending/unsubscribe': 'unsubscribed',
  'pending/erase': 'erased',
  'pending/suppress': 'suppressed',
  'active/sign-up': 'active',
  'active/confirm': 'active',
  'active/unsubscribe': 'unsubscribed',
  'active/erase': 'erased',
  'active/suppress': 'suppressed',
  'unsubscribed/sign-up': 'pending',
  'unsubscribed/unsubscribe': 'unsubscribed',
  'unsubscribed/erase': 'erased',
  'unsubscribed/suppress': 'suppressed',
  'erased/sign-up': 'pending',
  'erased/unsubscribe': 'erased',
  'erased/erase': 'erased',
  'erased/suppress': 'suppressed',
  'suppressed/unsubscribe': 'suppressed',
  'suppressed/erase': 'suppressed',
  'suppressed/suppress': 'suppressed',
};

describe('transitionPerson', () => {
  const pairs = PersonStatus.options.flatMap((status) => PersonEvent.options.map((event) => [status, event] as const));

  it.each(pairs)('%s + %s moves to the right status or is refused', (status, event) => {
    const expected = personMoves[`${status}/${event}`];
    if (expected) expect(transitionPerson(status, event)).toBe(expected);
    else expect(() => transitionPerson(status, event)).toThrow(DomainError);
  });

  it('never lets a suppressed address sign up again', () => {
    expect(() => transitionPerson('suppressed', 'sign-up')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});

// Every (state, event) pair of a platform on a person's list.
const platformMoves: Record<string, string> = {
  'pending/ask': 'pending',
  'pending/confirm': 'active',
  'pending/drop': 'dropped',
  'active/ask': 'active',
  'active/drop': 'dropped',
  'dropped/ask': 'pending',
  'dropped/drop': 'dropped',
};

describe('transitionPlatform', () => {
  const pairs = PlatformState.options.flatMap((state) => PlatformEvent.options.map((event) => [state, event] as const));

  it.each(pairs)('%s + %s moves to the right state or is refused', (state, event) => {
    const expected = platformMoves[`${state}/${event}`];
    if (expected) expect(transitionPlatform(state, event)).toBe(expected);
    else expect(() => transitionPlatform(state, event)).toThrow(DomainError);
  });

  it('names a second confirmation as already confirmed', () => {
    expect(() => transitionPlatform('active', 'confirm')).toThrow(expect.objectContaining({ code: 'already_confirmed', kind: 'conflict' }));
  });
});

describe('mayResendConfirmation', () => {
  const at = (iso: string) => new Date(iso);
  const first = { count: 1, lastAt: '2025-05-01T10:00:00.000Z' };

  it('sends the first confirmation at once', () => {
    expect(mayResendConfirmation(undefined, at('2025-05-01T10:00:00Z'), 15)).toBe(true);
  });

  it('waits the cooldown before the first resend, then four times longer each time', () => {
    expect(mayResendConfirmation(first, at('2025-05-01T10:14:59Z'), 15)).toBe(false);
    expect(mayResendConfirmation(first, at('2025-05-01T10:15:00Z'), 15)).toBe(true);
    const second = { count: 2, lastAt: '2025-05-01T10:15:00.000Z' };
    expect(mayResendConfirmation(second, at('2025-05-01T11:14:59Z'), 15)).toBe(false);
    expect(mayResendConfirmation(second, at('2025-05-01T11:15:00Z'), 15)).toBe(true);
  });

  it('stops after the last allowed email, however long one waits', () => {
    expect(mayResendConfirmation({ count: MAX_CONFIRMATION_MAILS, lastAt: '2025-05-01T10:00:00.000Z' }, at('2026-05-01T10:00:00Z'), 15)).toBe(false);
  });
});

const NOW = new Date('2026-12-06T10:00:00Z');
const context = { catalog: platforms, campaigns, graceDays: 30, now: NOW };
const person = (list: Person['platforms'], extra: Partial<Person> = {}): Person => ({
  id: 'p',
  generation: 'g1',
  status: 'active',
  email: 'p@example.org',
  locale: 'en',
  timeZone: 'Europe/Berlin',
  platforms: list,
  watch: false,
  consents: [],
  createdAt: '2026-12-01T10:00:00.000Z',
  confirmedAt: '2026-12-01T10:00:00.000Z',
  version: 3,
  layout: TABLE_LAYOUT_VERSION,
  ...extra,
});
const active = (id: Person['platforms'][number]['id'], doneAt?: string) => ({ id, state: 'active' as const, askedAt: '2026-12-01T10:00:00.000Z', addedAt: '2026-12-01T10:00:00.000Z', ...(doneAt ? { doneAt } : {}) });
const names = (list: { platform: { id: string } }[]) => list.map((item) => item.platform.id);

describe('the checklist', () => {
  it('says what is done and what is left across every platform, and "all" only when nothing is left', () => {
    const facebookDone = person([active('facebook', '2026-12-05T10:00:00.000Z'), active('x'), active('linkedin')]);
    const summary = summarise(checklistOf(facebookDone, platforms, campaigns, NOW));
    expect(names(summary.done)).toEqual(['facebook']);
    expect(names(summary.left)).toEqual(['linkedin', 'x']);
  });

  it('lists the nearest open deadline first, then the rest in the form\'s order', () => {
    const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
    const open = Campaign.parse({ ...meta, id: 'x-2027', announcedAt: '2026-12-01', deadline: { local: '2027-01-15T00:00', timeZone: 'Europe/Berlin' }, platforms: ['x'], translations: {} });
    const list = checklistOf(person([active('chatgpt'), active('facebook'), active('x')]), platforms, [...campaigns, open], NOW);
    expect(names(list)).toEqual(['x', 'facebook', 'chatgpt']);
  });

  it('shows a mark a newer deadline no longer counts as left, saying so', () => {
    const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
    const again = Campaign.parse({ ...meta, id: 'meta-2027', announcedAt: '2026-12-01', deadline: { local: '2027-01-15T00:00', timeZone: 'Europe/Berlin' }, earlierMarksCount: false, translations: {} });
    const [item] = checklistOf(person([active('facebook', '2025-05-20T10:00:00.000Z')]), platforms, [...campaigns, again], NOW);
    expect(item).toMatchObject({ doneAt: undefined, markOutdated: true });
  });
});

describe('changes of the list', () => {
  it('confirms every pending platform at once, each from now, and the consents waiting', () => {
    const pending = person([{ id: 'facebook', state: 'pending', askedAt: '2026-12-05T10:00:00.000Z' }, { id: 'chatgpt', state: 'pending', askedAt: '2026-12-06T09:00:00.000Z' }], {
      status: 'pending',
      confirmedAt: undefined,
      consents: [{ kind: 'reminders', platforms: ['facebook'], at: '2026-12-05T10:00:00.000Z', textVersion: 'v', method: 'web-form' }],
    });
    const change = planConfirmation(pending, context)!;
    expect(change.activated).toEqual(['facebook', 'chatgpt']);
    expect(change.person.platforms.map((p) => [p.id, p.state, p.addedAt])).toEqual([
      ['facebook', 'active', NOW.toISOString()],
      ['chatgpt', 'active', NOW.toISOString()],
    ]);
    expect(change.person.consents[0]?.confirmedAt).toBe(NOW.toISOString());
    expect(change.person.status).toBe('active');
    expect(planConfirmation(change.person, context)).toBeUndefined();
  });

  it('lets a pending platform lapse after a week without confirmation', () => {
    const entry = { id: 'x' as const, state: 'pending' as const, askedAt: '2026-11-29T09:59:59.000Z' };
    expect(isPlatformLapsed(entry, NOW)).toBe(true);
    expect(isPlatformLapsed({ ...entry, askedAt: '2026-11-29T10:00:01.000Z' }, NOW)).toBe(false);
  });

  it('adds a platform on the preferences page at once, with its own consent record, and drops one with its mark', () => {
    const before = person([active('facebook', '2026-12-05T10:00:00.000Z'), active('x')]);
    const change = changeList(before, { add: ['chatgpt'], drop: ['facebook'], timeZone: 'Europe/Paris', locale: 'de', watch: false }, context);
    expect(change.activated).toEqual(['chatgpt']);
    expect(change.person.platforms.map((p) => [p.id, p.state])).toEqual([
      ['x', 'active'],
      ['chatgpt', 'active'],
    ]);
    expect(change.person.consents).toEqual([{ kind: 'reminders', platforms: ['chatgpt'], at: NOW.toISOString(), textVersion: expect.any(String), method: 'preferences', confirmedAt: NOW.toISOString() }]);
    expect([change.person.timeZone, change.person.locale, change.person.version]).toEqual(['Europe/Paris', 'de', 4]);
  });

  it('keeps a platform already on the list as it is when it is added again', () => {
    const before = person([active('x', '2026-12-05T10:00:00.000Z')]);
    const change = changeList(before, { add: ['x'], drop: [], timeZone: 'Europe/Berlin', locale: 'en', watch: false }, context);
    expect(change.activated).toEqual([]);
    expect(change.person.platforms[0]?.doneAt).toBe('2026-12-05T10:00:00.000Z');
  });

  it('stops the watch on its own, and with it the yearly question', () => {
    const watching = person([active('x')], { watch: true, watchKeptAt: '2026-12-01T10:00:00.000Z', watchAskedAt: '2026-12-02T10:00:00.000Z' });
    const change = changeList(watching, { add: [], drop: [], timeZone: 'Europe/Berlin', locale: 'en', watch: false }, context);
    expect([change.person.watch, change.person.watchKeptAt, change.person.watchAskedAt]).toEqual([false, undefined, undefined]);
    expect(change.person.platforms).toEqual(watching.platforms);
  });

  it('marks a platform done once: a repeat changes nothing, an undo puts it back', () => {
    const before = person([active('facebook'), active('x')]);
    const done = markDone(before, 'facebook', true, { campaigns, now: NOW });
    expect(done.changed).toBe(true);
    expect(done.person.platforms[0]?.doneAt).toBe(NOW.toISOString());
    expect(markDone(done.person, 'facebook', true, { campaigns, now: NOW }).changed).toBe(false);
    const undone = markDone(done.person, 'facebook', false, { campaigns, now: NOW });
    expect(undone.person.platforms[0]?.doneAt).toBeUndefined();
  });

  it('refuses to mark a platform that is not on the list, or still waits for confirmation', () => {
    const before = person([{ id: 'x', state: 'pending', askedAt: NOW.toISOString() }]);
    expect(() => markDone(before, 'threads', true, { campaigns, now: NOW })).toThrow(expect.objectContaining({ code: 'platform_not_picked' }));
    expect(() => markDone(before, 'x', true, { campaigns, now: NOW })).toThrow(expect.objectContaining({ code: 'platform_not_picked' }));
  });

  it('keeps the data a grace period after the last morning any platform on the list could ask for', () => {
    // X added today: its last standing morning is in ten days, at 09:00 Berlin.
    const change = changeList(person([]), { add: ['x'], drop: [], timeZone: 'Europe/Berlin', locale: 'en', watch: false }, context);
    expect(change.person.retainUntil).toBe(new Date(Date.parse('2026-12-16T08:00:00Z') + 30 * 86_400_000).toISOString());
  });
});

describe('expiry of a pending sign-up', () => {
  it('treats a pending person as gone from their expiry on, before TTL removes them', () => {
    const pending = { status: 'pending' as const, expiresAt: '2025-05-08T10:00:00.000Z' };
    expect(isPendingExpired(pending, new Date('2025-05-08T09:59:59Z'))).toBe(false);
    expect(isPendingExpired(pending, new Date('2025-05-08T10:00:00Z'))).toBe(true);
  });

  it('never expires an active person', () => {
    expect(isPendingExpired({ status: 'active', expiresAt: undefined }, new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });
});
