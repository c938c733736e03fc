import type { Campaign } from '../domain/campaign.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Person } from '../domain/person.js';
import { composeMessage } from './compose.js';
import { announcementEmail, confirmEmail, countdownEmail, keepWatchingEmail, welcomeEmail, type Links, type PersonRef, type Reader } from './emails.js';
import { newsletterEmail } from './newsletter-email.js';
import type { RenderedEmail } from './render.js';
import type { MailTransport } from './send.js';

/** A reader with the address their email goes to. */
export type Addressed<R> = R & { person: { email: string } };

/** The one place that turns "send this person that email" into a rendered, composed, sent message. */
export class Outbox {
  constructor(
    private readonly transport: MailTransport,
    private readonly from: string,
    readonly links: Links,
  ) {}

  /** The double opt-in mail of one sign-up, for all its campaigns; not a list email, so no List-Unsubscribe. */
  async sendConfirm(campaigns: readonly Campaign[], person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale'>, now: Date): Promise<void> {
    const raw = await composeMessage(confirmEmail(campaigns, person, this.links, now), { from: this.from, to: person.email });
    await this.transport.sendRaw(raw);
  }

  async sendWelcome(campaign: Campaign, reader: Addressed<Reader>, now: Date): Promise<void> {
    await this.sendListEmail(welcomeEmail(campaign, reader, this.links, now), reader);
  }

  /** A new deadline for a watcher of one of its platforms. */
  async sendAnnouncement(campaign: Campaign, reader: Addressed<Reader>, now: Date): Promise<void> {
    await this.sendListEmail(announcementEmail(campaign, reader, this.links, now), reader);
  }

  /** The watch's yearly question; a list email, so one click unsubscribes too. */
  async sendKeepWatching(person: PersonRef & Pick<Person, 'email' | 'timeZone' | 'locale' | 'platforms'>, now: Date): Promise<void> {
    const raw = await composeMessage(keepWatchingEmail(person, this.links, now), { from: this.from, to: person.email, unsubscribeUrl: this.links.unsubscribe(person) });
    await this.transport.sendRaw(raw);
  }

  /** A countdown reminder, or the note after the deadline. */
  async sendCountdown(campaign: Campaign, reader: Addressed<Reader>, now: Date, kind: 'reminder' | 'after-deadline'): Promise<void> {
    await this.sendListEmail(countdownEmail(campaign, reader, this.links, now, kind), reader);
  }

  /** One copy of a newsletter issue: a list email like the reminders, with the same footer and headers. */
  async sendNewsletter(issue: NewsletterIssue, campaign: Campaign, reader: Addressed<Reader>, now: Date, options: { subjectPrefix?: string } = {}): Promise<void> {
    const email = newsletterEmail(issue, campaign, reader, this.links, now);
    await this.sendListEmail(options.subjectPrefix ? { ...email, subject: `${options.subjectPrefix}${email.subject}` } : email, reader);
  }

  /** Whether a message to the address was accepted since `since`; undefined when the mail server cannot tell. */
  async wasAccepted(email: string, since: Date): Promise<boolean | undefined> {
    return this.transport.acceptedSince?.(email, since);
  }

  /** Every list email carries the RFC 8058 one-click unsubscribe headers: one click stops everything. */
  private async sendListEmail(email: RenderedEmail, reader: Addressed<Reader>): Promise<void> {
    const raw = await composeMessage(email, { from: this.from, to: reader.person.email, unsubscribeUrl: this.links.unsubscribe(reader.person, reader.campaignId) });
    await this.transport.sendRaw(raw);
  }
}
