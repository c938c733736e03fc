import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { morningsOf } from '../../functions/domain/checklist.js';
import { mailContentOf, type MailContext } from '../../functions/domain/mail-content.js';
import { mailJobId, newMailJob, type MailJob } from '../../functions/domain/mail-job.js';
import { Person } from '../../functions/domain/person.js';
import type { PlatformId } from '../../functions/domain/platform.js';
import { platforms } from '../../functions/platforms.js';

const now = new Date('2026-12-06T08:00:00Z');
const added = '2026-12-01T08:00:00.000Z';

/** A person in Berlin with Facebook, LinkedIn, X and ChatGPT on their list, in `state`. */
function person(status: Person['status'], fields: { state?: 'pending' | 'active'; done?: PlatformId[]; watch?: boolean; watchAskedAt?: string } = {}): Person {
  const state = fields.state ?? (status === 'pending' ? 'pending' : 'active');
  return Person.parse({
    id: 'p1',
    generation: 'g1',
    status,
    email: 'a@example.org',
    locale: 'en',
    timeZone: 'Europe/Berlin',
    platforms: (['facebook', 'linkedin', 'x', 'chatgpt'] as const).map((id) => ({
      id,
      state,
      askedAt: added,
      ...(state === 'active' ? { addedAt: added } : {}),
      ...(fields.done?.includes(id) ? { doneAt: '2026-12-02T08:00:00.000Z' } : {}),
    })),
    watch: fields.watch ?? false,
    ...(fields.watchAskedAt ? { watchAskedAt: fields.watchAskedAt } : {}),
    consents: [],
    createdAt: added,
    ...(status === 'active' ? { confirmedAt: added } : {}),
    version: 3,
  });
}

const context = (p: Person | undefined, at: Date = now): MailContext => ({ person: p, catalog: platforms, campaigns, issues: [], now: at });
const job = (fields: Omit<Parameters<typeof newMailJob>[0], 'now' | 'personId'>): MailJob => newMailJob({ ...fields, personId: 'p1', now });
const ids = (items: ReadonlyArray<{ platform: { id: PlatformId } }>) => items.map((item) => item.platform.id);

describe('what a mail job becomes when it is sent', () => {
  const confirm = job({ jobId: mailJobId.confirm('p1', 'g1', 1), kind: 'confirm' });
  const welcome = job({ jobId: mailJobId.welcome('p1', 'g1', 2), kind: 'welcome', platforms: ['facebook', 'x'] });

  it('sends a pending person one confirmation naming every platform waiting, and nothing else until they confirm', () => {
    const content = mailContentOf(confirm, context(person('pending')));
    expect(content.kind).toBe('confirm');
    if (content.kind === 'confirm') expect(ids(content.waiting)).toEqual(['facebook', 'linkedin', 'chatgpt', 'x']);
    expect(mailContentOf(welcome, context(person('pending')))).toEqual({ kind: 'drop', reason: 'not_needed' });
  });

  it('sends nothing to whoever left or was suppressed', () => {
    expect(mailContentOf(welcome, context(undefined))).toEqual({ kind: 'drop', reason: 'person_gone' });
    expect(mailContentOf(welcome, { ...context(undefined), fingerprintStatus: 'suppressed' })).toEqual({ kind: 'drop', reason: 'suppressed' });
    expect(mailContentOf(welcome, context(person('suppressed')))).toEqual({ kind: 'drop', reason: 'suppressed' });
    expect(mailContentOf(confirm, context(person('unsubscribed')))).toEqual({ kind: 'drop', reason: 'person_gone' });
  });

  it("holds the guides of the platforms the welcome is about, with the person's whole list beside them", () => {
    const content = mailContentOf(welcome, context(person('active')));
    expect(content.kind).toBe('welcome');
    if (content.kind !== 'welcome') return;
    expect(ids(content.guides)).toEqual(['facebook', 'x']);
    expect(ids(content.checklist)).toEqual(['facebook', 'linkedin', 'chatgpt', 'x']);
  });

  it('sends the morning that is on the schedule, listing what is left, and drops it once everything is done', () => {
    const active = person('active', { done: ['linkedin'] });
    const [first] = morningsOf(active, platforms, campaigns, now);
    expect(first?.id).toBe('2026-12-04');
    const morning = job({ jobId: mailJobId.morning('p1', 'g1', first!.id), kind: 'morning', stepId: first!.id });
    const at = first!.dueAt;
    const content = mailContentOf(morning, context(active, at));
    expect(content).toMatchObject({ kind: 'morning', morning: { id: '2026-12-04' } });
    expect(mailContentOf(morning, context(person('active', { done: ['facebook', 'linkedin', 'x', 'chatgpt'] }), at))).toEqual({ kind: 'drop', reason: 'not_needed' });
    // A morning no longer on the schedule (a deadline moved, a platform dropped): nothing.
    const moved = job({ jobId: mailJobId.morning('p1', 'g1', '2026-12-05'), kind: 'morning', stepId: '2026-12-05' });
    expect(mailContentOf(moved, context(active, at))).toEqual({ kind: 'drop', reason: 'not_needed' });
  });

  it('asks the yearly question only while it is open: a watcher who answered or stopped watching meanwhile gets nothing', () => {
    const question = job({ jobId: mailJobId.keepWatching('p1', 'g1', added), kind: 'keep-watching' });
    expect(mailContentOf(question, context(person('active', { watch: true, watchAskedAt: now.toISOString() })))).toMatchObject({ kind: 'keep-watching' });
    expect(mailContentOf(question, context(person('active', { watch: true })))).toEqual({ kind: 'drop', reason: 'not_needed' });
    expect(mailContentOf(question, context(person('active', { watch: false, watchAskedAt: now.toISOString() })))).toEqual({ kind: 'drop', reason: 'not_needed' });
  });

  it("drops an announcement of a campaign that covers none of the person's platforms, or whose deadline has passed", () => {
    const meta = job({ jobId: mailJobId.announcement('p1', 'g1', 'meta-ai-2025'), kind: 'announcement', campaignId: 'meta-ai-2025' });
    const linkedin = job({ jobId: mailJobId.announcement('p1', 'g1', 'linkedin-ai-2025'), kind: 'announcement', campaignId: 'linkedin-ai-2025' });
    const before = { ...context(person('active')), now: new Date('2025-05-20T08:00:00Z') };
    expect(mailContentOf(meta, before)).toMatchObject({ kind: 'announcement' });
    // Sent after the deadline it would announce nothing to act on: no email.
    expect(mailContentOf(meta, context(person('active')))).toEqual({ kind: 'drop', reason: 'not_needed' });
    expect(mailContentOf(linkedin, context(person('active')))).toEqual({ kind: 'drop', reason: 'not_needed' });
    const gone = job({ jobId: mailJobId.announcement('p1', 'g1', 'google-saved-media-2026'), kind: 'announcement', campaignId: 'google-saved-media-2026' });
    expect(mailContentOf(gone, context(person('active')))).toEqual({ kind: 'drop', reason: 'not_needed' });
  });

  it('fails a newsletter job whose issue is not in this build, so it is parked and listed rather than lost', () => {
    const news = job({ jobId: mailJobId.news('p1', 'gone'), kind: 'newsletter', campaignId: 'meta-ai-2025', issueId: 'gone' });
    expect(() => mailContentOf(news, context(person('active')))).toThrow(/No newsletter issue "gone"/);
  });
});
