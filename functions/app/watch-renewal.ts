import type { Clock } from '../clock.js';
import type { Campaign } from '../domain/campaign.js';
import { morningsOf } from '../domain/checklist.js';
import type { Platform } from '../domain/platform.js';
import { nextAfter } from '../domain/schedule.js';
import { decideWatchRenewal } from '../domain/watch.js';
import type { PersonStore } from '../store/person-store.js';
import { mailJobId, newMailJob } from '../domain/mail-job.js';

/**
 * The watch's yearly question, run by send-due from the due index: a watcher with no reminder of
 * theirs still ahead is asked once a year to keep watching (one button), and erased a month later without an
 * answer. The question is a mail job per (person, year of the watch), written with the change that
 * asks it, so it goes once however many runs meet it.
 */
export class WatchRenewals {
  constructor(private readonly deps: { people: PersonStore; campaigns: readonly Campaign[]; platforms: readonly Platform[]; clock: Clock }) {}

  /** Handles one watcher whose question is due; 'queued' when the question was written for the mailer. */
  async handle(personId: string, now: Date): Promise<'queued' | 'skipped'> {
    const { people } = this.deps;
    const record = await people.load(personId, now);
    const { person } = record;
    if (!person || person.status !== 'active' || !person.watch) {
      await people.clearWatchRenewal(personId);
      return 'skipped';
    }
    // A morning still ahead keeps the data anyway: ask once the reminders are over.
    const hasLiveCampaign = nextAfter(morningsOf(person, this.deps.platforms, this.deps.campaigns, now), now) !== undefined;
    const keptAt = person.watchKeptAt ?? person.confirmedAt ?? now.toISOString();
    const decision = decideWatchRenewal({ keptAt, askedAt: person.watchAskedAt, hasLiveCampaign, now });
    switch (decision.kind) {
      case 'wait':
        await people.setWatchRenewal({ personId, next: decision.next });
        return 'skipped';
      case 'erase':
        await people.erase(personId, 'erased', now, 'watch-unanswered');
        return 'skipped';
      case 'ask': {
        // Kept two days past the answer's deadline, so this erases them (leaving the fingerprint) before TTL would.
        const retainUntil = new Date(Math.max(Date.parse(person.retainUntil ?? now.toISOString()), decision.next.getTime() + 2 * 86_400_000));
        const question = newMailJob({ jobId: mailJobId.keepWatching(personId, person.generation, keptAt), kind: 'keep-watching', personId, now });
        const asked = await people.setWatchRenewal({ personId, next: decision.next, askedAt: now, retainUntil, watches: record.watches, question });
        return asked ? 'queued' : 'skipped';
      }
    }
  }
}
