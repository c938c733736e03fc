import { describe, expect, it } from 'vitest';
import { campaigns } from '../../functions/campaigns.js';
import { mailContentOf } from '../../functions/domain/mail-content.js';
import { newMailJob } from '../../functions/domain/mail-job.js';
import { Person } from '../../functions/domain/person.js';
import { Subscription } from '../../functions/domain/subscription.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;
const now = new Date('2025-05-12T07:30:00Z');
const person = (status: Person['status']) =>
  Person.parse({ id: 'p1', generation: 'g1', status, email: 'a@example.org', locale: 'en', timeZone: 'Europe/Berlin', platforms: ['facebook'], consents: [], createdAt: now.toISOString(), version: 1 });
const subscription = (state: Subscription['state']) =>
  Subscription.parse({ personId: 'p1', campaignId: meta.id, state, platforms: ['facebook'], createdAt: now.toISOString() });
const context = (p: Person | undefined, s: Subscription[]) => ({ person: p, subscriptions: s, campaigns, issues: [] });

describe('what a mail job becomes when it is sent', () => {
  it('sends a pending person their confirmation, and nothing else until they confirm', () => {
    const confirm = newMailJob({ jobId: 'confirm#p1#1', kind: 'confirm', personId: 'p1', now });
    const welcome = newMailJob({ jobId: 'welcome#p1#meta-ai-2025', kind: 'welcome', personId: 'p1', campaignId: meta.id, now });
    expect(mailContentOf(confirm, context(person('pending'), [subscription('pending')]))).toMatchObject({ kind: 'confirm', campaigns: [meta] });
    expect(mailContentOf(welcome, context(person('pending'), [subscription('pending')]))).toEqual({ kind: 'drop', reason: 'not_needed' });
    expect(mailContentOf(welcome, context(person('active'), [subscription('ended')]))).toEqual({ kind: 'drop', reason: 'not_needed' });
    expect(mailContentOf(welcome, context(undefined, []))).toEqual({ kind: 'drop', reason: 'person_gone' });
    expect(mailContentOf(welcome, { ...context(undefined, []), fingerprintStatus: 'suppressed' })).toEqual({ kind: 'drop', reason: 'suppressed' });
  });

  it('asks the yearly question only while it is open: a watcher who answered or stopped watching meanwhile gets nothing', () => {
    const question = newMailJob({ jobId: 'keep-watching#p1#g1#2025-05-12T07:30:00.000Z', kind: 'keep-watching', personId: 'p1', now });
    const watcher = (fields: Partial<Person>) => ({ ...person('active'), watch: true, ...fields });
    expect(mailContentOf(question, context(watcher({ watchAskedAt: now.toISOString() }), []))).toMatchObject({ kind: 'keep-watching' });
    expect(mailContentOf(question, context(watcher({}), []))).toEqual({ kind: 'drop', reason: 'not_needed' });
    expect(mailContentOf(question, context(watcher({ watch: false, watchAskedAt: now.toISOString() }), []))).toEqual({ kind: 'drop', reason: 'not_needed' });
  });

  it('fails a newsletter job whose issue is not in this build, so it is parked and listed rather than lost', () => {
    const news = newMailJob({ jobId: 'news#p1#gone', kind: 'newsletter', personId: 'p1', campaignId: meta.id, issueId: 'gone', now });
    expect(() => mailContentOf(news, context(person('active'), [subscription('confirmed')]))).toThrow(/No newsletter issue "gone"/);
  });
});
