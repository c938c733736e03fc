import { deadlineOf, type Campaign } from './campaign.js';
import { DomainError } from './errors.js';
import type { DropReason, MailJob } from './mail-job.js';
import type { NewsletterIssue } from './newsletter.js';
import type { Person } from './person.js';
import { stepsFor } from './schedule.js';
import { platformsLeft, scheduleReaderOf, type Subscription } from './subscription.js';

/** What a mail job turns into once its person is read: an email to build, or nothing to send and why. */
export type MailContent =
  | { kind: 'drop'; reason: DropReason }
  | { kind: 'confirm'; person: Person; campaigns: Campaign[] }
  | { kind: 'keep-watching'; person: Person }
  | { kind: 'welcome' | 'announcement'; person: Person; campaign: Campaign; subscription: Subscription }
  | { kind: 'reminder' | 'after-deadline'; person: Person; campaign: Campaign; subscription: Subscription }
  | { kind: 'newsletter'; person: Person; campaign: Campaign; subscription: Subscription; issue: NewsletterIssue };

/** What the composer read: the job's person (undefined when nothing is stored) and their subscriptions. */
export interface MailContext {
  person: Person | undefined;
  /** Set when only the suppression fingerprint is left: the person left or was suppressed. */
  fingerprintStatus?: Person['status'] | undefined;
  subscriptions: readonly Subscription[];
  campaigns: readonly Campaign[];
  issues: readonly NewsletterIssue[];
}

const drop = (reason: DropReason): MailContent => ({ kind: 'drop', reason });

/**
 * Decides, when the mailer is about to send, what a job's email says or whether it still has to go
 * out at all: the person may have left, been suppressed, confirmed already, or finished meanwhile.
 * Pure: the person and campaigns come in as arguments.
 *
 * @example
 * const content = mailContentOf(job, { person, subscriptions, campaigns, issues });
 */
export function mailContentOf(job: MailJob, context: MailContext): MailContent {
  const { person } = context;
  if (!person) return drop(context.fingerprintStatus === 'suppressed' ? 'suppressed' : 'person_gone');
  if (person.status === 'suppressed') return drop('suppressed');
  if (person.status !== 'active' && person.status !== 'pending') return drop('person_gone');

  if (job.kind === 'confirm') {
    // Whatever waits for this person's confirmation, as it is now (a later sign-up may have added to it).
    const waiting = new Set(context.subscriptions.filter((s) => s.state === 'pending' || (s.state === 'confirmed' && s.pendingPlatforms?.length)).map((s) => s.campaignId));
    // The nearest deadline first, settings without one last, as the form shows them.
    const due = (c: Campaign) => deadlineOf(c)?.getTime() ?? Number.POSITIVE_INFINITY;
    const campaigns = context.campaigns.filter((c) => waiting.has(c.id)).sort((a, b) => due(a) - due(b));
    return campaigns.length > 0 ? { kind: 'confirm', person, campaigns } : drop('not_needed');
  }

  if (person.status !== 'active') return drop('not_needed');
  // Asked only while they still watch: one who stopped, or answered meanwhile, needs no question.
  if (job.kind === 'keep-watching') return person.watch && person.watchAskedAt ? { kind: 'keep-watching', person } : drop('not_needed');
  const campaign = context.campaigns.find((c) => c.id === job.campaignId);
  const subscription = context.subscriptions.find((s) => s.campaignId === job.campaignId);
  if (!campaign || subscription?.state !== 'confirmed') return drop('not_needed');

  switch (job.kind) {
    case 'welcome': {
      // The guide of platforms added later is the welcome for those platforms only.
      const platforms = job.platforms ? subscription.platforms.filter((p) => job.platforms?.includes(p)) : subscription.platforms;
      return platforms.length > 0 ? { kind: 'welcome', person, campaign, subscription: { ...subscription, platforms } } : drop('not_needed');
    }
    case 'announcement':
      return { kind: job.kind, person, campaign, subscription };
    case 'reminder':
    case 'after-deadline': {
      const step = stepsFor(campaign, scheduleReaderOf(person, subscription)).find((s) => s.id === job.stepId);
      // The deadline moved, or every platform is done: the step no longer applies.
      if (!step || platformsLeft(subscription).length === 0) return drop('not_needed');
      return { kind: step.kind, person, campaign, subscription };
    }
    case 'newsletter': {
      const issue = context.issues.find((i) => i.id === job.issueId);
      // Not in this build: a deploy without it. Fails, so the job is parked and listed, not lost.
      if (!issue) throw new DomainError('not_found', 'issue_unknown', `No newsletter issue "${job.issueId ?? ''}" in this build.`);
      return { kind: 'newsletter', person, campaign, subscription, issue };
    }
  }
}
