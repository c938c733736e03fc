import type { Campaign } from '../domain/campaign.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Person } from '../domain/person.js';
import { composeMessage } from './compose.js';
import { announcementEmail, confirmEmail, countdownEmail, keepWatchingEmail, welcomeEmail, type Reader } from './emails.js';
import type { Links, PersonRef } from './links.js';
import { newsletterEmail } from './newsletter-email.js';
import type { RenderedEmail } from './render.js';

/** A reader with the address their email goes to. */
export type Addressed<R> = R & { person: { email: string } };

/** A message ready for the mail server: its recipient and its raw MIME bytes. */
export interface ComposedMessage {
  to: string;
  raw: Buffer;
}

/**
 * Every email of the service, rendered and composed but not sent: the mailer's job composer and
 * the operator's test copy build the same bytes.
 */
export class Messages {
  constructor(
    private readonly from: string,
    readonly links: Links,
  ) {}

  /** The double opt-in mail of one sign-up, for all its campaigns; not a list email, so no List-Unsubscribe. */
  async confirm(campaigns: readonly Campaign[], person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale'>, now: Date): Promise<ComposedMessage> {
    return { to: person.email, raw: await composeMessage(confirmEmail(campaigns, person, this.links, now), { from: this.from, to: person.email }) };
  }

  welcome(campaign: Campaign, reader: Addressed<Reader>, now: Date): Promise<ComposedMessage> {
    return this.listMessage(welcomeEmail(campaign, reader, this.links, now), reader);
  }

  /** A new deadline for a watcher of one of its platforms. */
  announcement(campaign: Campaign, reader: Addressed<Reader>, now: Date): Promise<ComposedMessage> {
    return this.listMessage(announcementEmail(campaign, reader, this.links, now), reader);
  }

  /** The watch's yearly question; a list email, so one click unsubscribes too. */
  async keepWatching(person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale' | 'platforms'>, now: Date): Promise<ComposedMessage> {
    const raw = await composeMessage(keepWatchingEmail(person, this.links, now), { from: this.from, to: person.email, unsubscribeUrl: this.links.unsubscribe(person) });
    return { to: person.email, raw };
  }

  /** A countdown reminder, or the note after the deadline. */
  countdown(campaign: Campaign, reader: Addressed<Reader>, now: Date, kind: 'reminder' | 'after-deadline'): Promise<ComposedMessage> {
    return this.listMessage(countdownEmail(campaign, reader, this.links, now, kind), reader);
  }

  /** One copy of a newsletter issue: a list email like the reminders, with the same footer and headers. */
  newsletter(issue: NewsletterIssue, campaign: Campaign, reader: Addressed<Reader>, now: Date, options: { subjectPrefix?: string } = {}): Promise<ComposedMessage> {
    const email = newsletterEmail(issue, campaign, reader, this.links, now);
    return this.listMessage(options.subjectPrefix ? { ...email, subject: `${options.subjectPrefix}${email.subject}` } : email, reader);
  }

  /** Every list email carries the RFC 8058 one-click unsubscribe headers: one click stops everything. */
  private async listMessage(email: RenderedEmail, reader: Addressed<Reader>): Promise<ComposedMessage> {
    const raw = await composeMessage(email, { from: this.from, to: reader.person.email, unsubscribeUrl: this.links.unsubscribe(reader.person, reader.campaignId) });
    return { to: reader.person.email, raw };
  }
}
