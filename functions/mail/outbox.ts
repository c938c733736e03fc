import type { Campaign } from '../domain/campaign.js';
import type { NewsletterIssue } from '../domain/newsletter.js';
import type { Subscriber } from '../domain/subscriber.js';
import { composeMessage } from './compose.js';
import { confirmEmail, countdownEmail, welcomeEmail, type Links } from './emails.js';
import { newsletterEmail } from './newsletter-email.js';
import type { RenderedEmail } from './render.js';
import type { MailTransport } from './send.js';

type Recipient = Pick<Subscriber, 'id' | 'email' | 'platforms' | 'objections' | 'timeZone' | 'locale' | 'confirmedAt'>;

/** The one place that turns "send this person that email" into a rendered, composed, sent message. */
export class Outbox {
  constructor(
    private readonly transport: MailTransport,
    private readonly from: string,
    readonly links: Links,
  ) {}

  /** The double opt-in mail; not a list email, so no List-Unsubscribe. */
  async sendConfirm(campaign: Campaign, recipient: Recipient, now: Date): Promise<void> {
    const raw = await composeMessage(confirmEmail(campaign, recipient, this.links, now), { from: this.from, to: recipient.email });
    await this.transport.sendRaw(raw);
  }

  async sendWelcome(campaign: Campaign, recipient: Recipient, now: Date): Promise<void> {
    await this.sendListEmail(welcomeEmail(campaign, recipient, this.links, now), recipient);
  }

  /** A countdown reminder, or the note after the deadline. */
  async sendCountdown(campaign: Campaign, recipient: Recipient, now: Date, kind: 'reminder' | 'after-deadline'): Promise<void> {
    await this.sendListEmail(countdownEmail(campaign, recipient, this.links, now, kind), recipient);
  }

  /** One copy of a newsletter issue: a list email like the reminders, with the same footer and headers. */
  async sendNewsletter(issue: NewsletterIssue, campaign: Campaign, recipient: Recipient, now: Date, options: { subjectPrefix?: string } = {}): Promise<void> {
    const email = newsletterEmail(issue, campaign, recipient, this.links, now);
    await this.sendListEmail(options.subjectPrefix ? { ...email, subject: `${options.subjectPrefix}${email.subject}` } : email, recipient);
  }

  /** Whether a message to the recipient was accepted since `since`; undefined when the mail server cannot tell. */
  async wasAccepted(recipient: Pick<Subscriber, 'email'>, since: Date): Promise<boolean | undefined> {
    return this.transport.acceptedSince?.(recipient.email, since);
  }

  /** Every list email carries the RFC 8058 one-click unsubscribe headers. */
  private async sendListEmail(email: RenderedEmail, recipient: Recipient): Promise<void> {
    const raw = await composeMessage(email, { from: this.from, to: recipient.email, unsubscribeUrl: this.links.to('unsubscribe', recipient.id) });
    await this.transport.sendRaw(raw);
  }
}
