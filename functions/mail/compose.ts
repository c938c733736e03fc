import MailComposer from 'nodemailer/lib/mail-composer';
import type { RenderedEmail } from './render.js';

export interface Envelope {
  from: string;
  to: string;
  /** The one-click unsubscribe URL; every list email has one, the confirmation mail does not. */
  unsubscribeUrl?: string;
}

/**
 * Builds the raw MIME message (multipart text + HTML) with nodemailer's MailComposer, including the
 * RFC 8058 headers when the email belongs to the list.
 */
export async function composeMessage(email: RenderedEmail, envelope: Envelope): Promise<Buffer> {
  const headers: Record<string, string> = {};
  if (envelope.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${envelope.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const composer = new MailComposer({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers,
  });
  return composer.compile().build();
}
