import { isOpen, type Campaign } from './campaign.js';
import { checklistOf, morningsOf, summarise, type ChecklistItem } from './checklist.js';
import { DomainError } from './errors.js';
import type { DropReason, MailJob } from './mail-job.js';
import type { NewsletterIssue } from './newsletter.js';
import type { Person } from './person.js';
import type { Platform } from './platform.js';
import type { Morning } from './schedule.js';

/** What a mail job turns into once its person is read: an email to build, or nothing to send and why. */
export type MailContent =
  | { kind: 'drop'; reason: DropReason }
  /** What waits for the confirmation: pending platforms (and a watch asked for). */
  | { kind: 'confirm'; person: Person; waiting: ChecklistItem[] }
  | { kind: 'keep-watching'; person: Person }
  /** The guides of the platforms that just joined the list, and the whole list. */
  | { kind: 'welcome'; person: Person; guides: ChecklistItem[]; checklist: ChecklistItem[] }
  /** The morning's one email: everything left, nearest deadline first. */
  | { kind: 'morning'; person: Person; morning: Morning; checklist: ChecklistItem[] }
  | { kind: 'announcement'; person: Person; campaign: Campaign; checklist: ChecklistItem[] }
  | { kind: 'newsletter'; person: Person; campaign: Campaign; issue: NewsletterIssue; checklist: ChecklistItem[] };

/** What the composer read: the job's person (undefined when nothing is stored), and the service's data. */
export interface MailContext {
  person: Person | undefined;
  /** Set when only the suppression fingerprint is left: the person left or was suppressed. */
  fingerprintStatus?: Person['status'] | undefined;
  catalog: readonly Platform[];
  campaigns: readonly Campaign[];
  issues: readonly NewsletterIssue[];
  now: Date;
}

const drop = (reason: DropReason): MailContent => ({ kind: 'drop', reason });

/**
 * Decides, when the mailer is about to send, what a job's email says or whether it still has to go
 * out at all: the person may have left, been suppressed, confirmed already, or finished meanwhile.
 * Every email is worked out on the day it is sent, so every sentence in it is true that day.
 * Pure: the person, platforms and campaigns come in as arguments.
 *
 * @example
 * const content = mailContentOf(job, { person, catalog: platforms, campaigns, issues, now });
 */
export function mailContentOf(job: MailJob, context: MailContext): MailContent {
  const { person, now } = context;
  if (!person) return drop(context.fingerprintStatus === 'suppressed' ? 'suppressed' : 'person_gone');
  if (person.status === 'suppressed') return drop('suppressed');
  if (person.status !== 'active' && person.status !== 'pending') return drop('person_gone');
  const checklist = checklistOf(person, context.catalog, context.campaigns, now);

  if (job.kind === 'confirm') {
    // Whatever waits for this person's confirmation, as it is now (a later sign-up may have added to it).
    const waiting = summarise(checklist).pending;
    const watchAsked = person.consents.some((c) => c.kind === 'watch' && c.confirmedAt === undefined);
    return waiting.length > 0 || watchAsked ? { kind: 'confirm', person, waiting } : drop('not_needed');
  }

  if (person.status !== 'active') return drop('not_needed');
  const active = checklist.filter((item) => item.state === 'active');
  switch (job.kind) {
    case 'keep-watching':
      // Asked only while they still watch: one who stopped, or answered meanwhile, needs no question.
      return person.watch && person.watchAskedAt ? { kind: 'keep-watching', person } : drop('not_needed');
    case 'welcome': {
      // The guides of the platforms the job is about that are still on the list.
      const guides = active.filter((item) => job.platforms?.includes(item.platform.id));
      return guides.length > 0 ? { kind: 'welcome', person, guides, checklist: active } : drop('not_needed');
    }
    case 'morning': {
      // Everything done meanwhile, or the morning no longer on the schedule (a deadline moved): nothing to send.
      const morning = morningsOf(person, context.catalog, context.campaigns, now).find((m) => m.id === job.stepId);
      if (!morning || summarise(active).left.length === 0) return drop('not_needed');
      return { kind: 'morning', person, morning, checklist: active };
    }
    case 'announcement': {
      const campaign = context.campaigns.find((c) => c.id === job.campaignId);
      // A platform of the campaign still on their list, and its deadline still ahead: else it is no news any more.
      if (!campaign || !isOpen(campaign, now) || !active.some((item) => campaign.platforms.includes(item.platform.id))) return drop('not_needed');
      return { kind: 'announcement', person, campaign, checklist: active };
    }
    case 'newsletter': {
      const issue = context.issues.find((i) => i.id === job.issueId);
      // Not in this build: a deploy without it. Fails, so the job is parked and listed, not lost.
      if (!issue) throw new DomainError('not_found', 'issue_unknown', `No newsletter issue "${job.issueId ?? ''}" in this build.`);
      const campaign = context.campaigns.find((c) => c.id === issue.frontMatter.campaign);
      if (!campaign || !active.some((item) => campaign.platforms.includes(item.platform.id))) return drop('not_needed');
      return { kind: 'newsletter', person, campaign, issue, checklist: active };
    }
  }
}
