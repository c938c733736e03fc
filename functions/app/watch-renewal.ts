import type { Clock } from '../clock.js';
import type { Campaign } from '../domain/campaign.js';
import { nextStepAfter, stepsFor } from '../domain/schedule.js';
import { platformsLeft, scheduleReaderOf } from '../domain/subscription.js';
import { decideWatchRenewal } from '../domain/watch.js';
import { keys } from '../store/keys.js';
import type { Outbox } from '../mail/outbox.js';
import type { PersonStore } from '../store/person-store.js';
import { SendClaims, type Lease } from '../store/send-claims.js';
import type { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The watch's yearly question, run by send-due from the due index: a watcher with nothing of theirs
 * running is asked once a year to keep watching (one button), and erased a month later without an
 * answer. The question is claimed per (person, year of the watch) before it is sent, so it goes once.
 */
export class WatchRenewals {
  private readonly claims: SendClaims;

  constructor(
    private readonly deps: { people: PersonStore; outbox: Outbox; campaigns: readonly Campaign[]; clock: Clock; db: DynamoDBDocumentClient; tableName: string },
  ) {
    this.claims = new SendClaims((command) => deps.db.send(command as GetCommand), deps.tableName);
  }

  /** Handles one watcher whose question is due. */
  async handle(personId: string, now: Date, runId: string, lease: Lease): Promise<'sent' | 'skipped'> {
    const { people } = this.deps;
    const record = await people.load(personId, now);
    const { person } = record;
    if (!person || person.status !== 'active' || !person.watch) {
      await people.clearWatchRenewal(personId);
      return 'skipped';
    }
    const hasLiveCampaign = record.subscriptions.some((subscription) => {
      const campaign = this.deps.campaigns.find((c) => c.id === subscription.campaignId);
      if (!campaign || subscription.state !== 'confirmed' || platformsLeft(subscription).length === 0) return false;
      return nextStepAfter(stepsFor(campaign, scheduleReaderOf(person, subscription)), new Date(subscription.handledUntil ?? now)) !== undefined;
    });
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
        const key = keys.watchQuestion(personId, keptAt);
        const claim = await this.claims.claim(key, runId, lease, decision.next);
        if (claim.outcome === 'busy') return 'skipped';
        const sentBefore = claim.outcome === 'sent' || (claim.outcome === 'taken-over' && (await this.deps.outbox.wasAccepted(person.email, claim.claimedAt)) === true);
        if (!sentBefore) {
          try {
            await this.deps.outbox.sendKeepWatching(person, now);
          } catch (error) {
            await this.claims.release(key, runId);
            throw error;
          }
        }
        await this.claims.markSent(key, now);
        // Kept two days past the answer's deadline, so this erases them (leaving the fingerprint) before TTL would.
        const retainUntil = new Date(Math.max(Date.parse(person.retainUntil ?? now.toISOString()), decision.next.getTime() + 2 * 86_400_000));
        await people.setWatchRenewal({ personId, next: decision.next, askedAt: now, retainUntil, watches: record.watches });
        return sentBefore ? 'skipped' : 'sent';
      }
    }
  }
}
