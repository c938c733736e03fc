import type { Campaign } from '../domain/campaign.js';
import { mailContentOf } from '../domain/mail-content.js';
import type { MailJob } from '../domain/mail-job.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Person } from '../domain/person.js';
import type { Subscription } from '../domain/subscription.js';
import { readerOf, type Reader } from '../mail/emails.js';
import type { Links } from '../mail/links.js';
import { Messages, type Addressed } from '../mail/messages.js';
import type { PersonStore } from '../store/person-store.js';
import type { MailComposer } from './mailer.js';

/**
 * The mailer's composer: reads the job's person at send time (one query), decides whether the
 * email still applies (`mailContentOf`) and builds it with the same messages as every other path.
 * A job holds ids only; the address is read here, so a person erased meanwhile gets nothing.
 */
/** The reader of a subscription, with the address the email goes to. */
const addressed = ({ person, subscription }: { person: Person; subscription: Subscription }): Addressed<Reader> => ({ ...readerOf(person, subscription), person });

export class PersonMailComposer implements MailComposer {
  constructor(
    private readonly deps: { people: Pick<PersonStore, 'load'>; messages: Messages; campaigns: readonly Campaign[]; issues: readonly NewsletterIssue[] },
  ) {}

  async compose(job: MailJob, now: Date): ReturnType<MailComposer['compose']> {
    const { people, messages, campaigns, issues } = this.deps;
    const record = await people.load(job.personId, now);
    const content = mailContentOf(job, { person: record.person, fingerprintStatus: record.fingerprint?.status, subscriptions: record.subscriptions, campaigns, issues });
    switch (content.kind) {
      case 'drop':
        return { drop: content.reason };
      case 'confirm':
        return messages.confirm(content.campaigns, content.person, now);
      case 'keep-watching':
        return messages.keepWatching(content.person, now);
      case 'welcome':
        return messages.welcome(content.campaign, addressed(content), now);
      case 'announcement':
        return messages.announcement(content.campaign, addressed(content), now);
      case 'reminder':
      case 'after-deadline':
        return messages.countdown(content.campaign, addressed(content), now, content.kind);
      case 'newsletter':
        return messages.newsletter(content.issue, content.campaign, addressed(content), now);
    }
  }
}

/**
 * The composer from the service's own parts: the mailer Lambda, `npm run dev` and the tests.
 *
 * @example
 * const composer = mailComposerOf(createService(config), newsletterIssues);
 */
export function mailComposerOf(service: { people: PersonStore; links: Links; mailFrom: string; campaigns: readonly Campaign[] }, issues: readonly NewsletterIssue[]): PersonMailComposer {
  return new PersonMailComposer({ people: service.people, messages: new Messages(service.mailFrom, service.links), campaigns: service.campaigns, issues });
}
