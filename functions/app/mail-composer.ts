import type { Campaign } from '../domain/campaign.js';
import { mailContentOf } from '../domain/mail-content.js';
import type { MailJob } from '../domain/mail-job.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Platform } from '../domain/platform.js';
import type { Links } from '../mail/links.js';
import { Messages } from '../mail/messages.js';
import type { PersonStore } from '../store/person-store.js';
import type { MailComposer } from './mailer.js';

/**
 * The mailer's composer: reads the job's person at send time (one query), decides whether the
 * email still applies and what it says (`mailContentOf`, on the day it is sent) and builds it with
 * the same messages as every other path. A job holds ids only; the address is read here, so a
 * person erased meanwhile gets nothing.
 */
export class PersonMailComposer implements MailComposer {
  constructor(
    private readonly deps: {
      people: Pick<PersonStore, 'load'>;
      messages: Messages;
      platforms: readonly Platform[];
      campaigns: readonly Campaign[];
      issues: readonly NewsletterIssue[];
    },
  ) {}

  async compose(job: MailJob, now: Date): ReturnType<MailComposer['compose']> {
    const { people, messages, platforms, campaigns, issues } = this.deps;
    const record = await people.load(job.personId, now);
    const content = mailContentOf(job, { person: record.person, fingerprintStatus: record.fingerprint?.status, catalog: platforms, campaigns, issues, now });
    switch (content.kind) {
      case 'drop':
        return { drop: content.reason };
      case 'confirm':
        return messages.confirm(content.person, content.waiting, content.person.consents.some((c) => c.kind === 'watch' && c.confirmedAt === undefined), now);
      case 'keep-watching':
        return messages.keepWatching(content.person, now);
      case 'welcome':
        return messages.welcome({ person: content.person, checklist: content.checklist }, content.guides, now);
      case 'morning':
        return messages.morning({ person: content.person, checklist: content.checklist }, content.morning, now);
      case 'announcement':
        return messages.announcement({ person: content.person, checklist: content.checklist }, content.campaign, now);
      case 'newsletter':
        return messages.newsletter(content.issue, content.campaign, { person: content.person, checklist: content.checklist }, now);
    }
  }
}

/**
 * The composer from the service's own parts: the mailer Lambda, `npm run dev` and the tests.
 *
 * @example
 * const composer = mailComposerOf(createService(config), newsletterIssues);
 */
export function mailComposerOf(
  service: { people: PersonStore; links: Links; mailFrom: string; campaigns: readonly Campaign[]; platforms: readonly Platform[] },
  issues: readonly NewsletterIssue[],
): PersonMailComposer {
  return new PersonMailComposer({ people: service.people, messages: new Messages(service.mailFrom, service.links), platforms: service.platforms, campaigns: service.campaigns, issues });
}
