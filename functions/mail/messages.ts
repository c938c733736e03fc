import type { Campaign } from '../domain/campaign.js';
import type { ChecklistItem } from '../domain/checklist.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Person } from '../domain/person.js';
import type { Morning } from '../domain/schedule.js';
import { composeMessage } from './compose.js';
import { announcementEmail, confirmEmail, keepWatchingEmail, morningEmail, welcomeEmail, type Reader } from './emails.js';
import type { Links, PersonRef } from './links.js';
import { newsletterEmail } from './newsletter-email.js';
import type { RenderedEmail } from './render.js';

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

  /** The double opt-in mail: one button that confirms everything waiting; not a list email, so no List-Unsubscribe. */
  async confirm(person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale'>, waiting: readonly ChecklistItem[], watchAsked: boolean, now: Date): Promise<ComposedMessage> {
    return { to: person.email, raw: await composeMessage(confirmEmail(person, waiting, watchAsked, this.links, now), { from: this.from, to: person.email }) };
  }

  /** The guides of the platforms that just joined the person's list. */
  welcome(reader: Reader, guides: readonly ChecklistItem[], now: Date): Promise<ComposedMessage> {
    return this.listMessage(welcomeEmail(reader, guides, this.links, now), reader);
  }

  /** The morning's one email: everything left, nearest deadline first. */
  morning(reader: Reader, morning: Morning, now: Date): Promise<ComposedMessage> {
    return this.listMessage(morningEmail(reader, morning, this.links, now), reader);
  }

  /** A new deadline for a watcher of one of its platforms. */
  announcement(reader: Reader, campaign: Campaign, now: Date): Promise<ComposedMessage> {
    return this.listMessage(announcementEmail(reader, campaign, this.links, now), reader);
  }

  /** The watch's yearly question; a list email, so one click unsubscribes too. */
  async keepWatching(person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale' | 'platforms'>, now: Date): Promise<ComposedMessage> {
    const raw = await composeMessage(keepWatchingEmail(person, this.links, now), { from: this.from, to: person.email, unsubscribeUrl: this.links.unsubscribe(person) });
    return { to: person.email, raw };
  }

  /** One copy of a newsletter issue: a list email like the mornings, with the same footer and headers. */
  newsletter(issue: NewsletterIssue, campaign: Campaign, reader: Reader, now: Date, options: { subjectPrefix?: string } = {}): Promise<ComposedMessage> {
    const email = newsletterEmail(issue, campaign, reader, this.links, now);
    return this.listMessage(options.subjectPrefix ? { ...email, subject: `${options.subjectPrefix}${email.subject}` } : email, reader);
  }

  /** Every list email carries the RFC 8058 one-click unsubscribe headers: one click stops everything. */
  private async listMessage(email: RenderedEmail, reader: Reader): Promise<ComposedMessage> {
    const raw = await composeMessage(email, { from: this.from, to: reader.person.email, unsubscribeUrl: this.links.unsubscribe(reader.person) });
    return { to: reader.person.email, raw };
  }
}
