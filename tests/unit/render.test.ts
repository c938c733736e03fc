import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { composeMessage } from '../../functions/mail/compose.js';
import { renderEmail } from '../../functions/mail/render.js';
import { compiledTemplates } from '../../functions/generated/templates.js';
import { campaigns } from '../../functions/campaigns.js';
import { confirmEmail } from '../../functions/mail/emails.js';
import { Links } from '../../functions/mail/links.js';

const meta = campaigns.find((c) => c.id === 'meta-ai-2025')!;

describe('renderEmail', () => {
  it('escapes every value it inserts into the HTML', () => {
    const email = renderEmail('confirm', {
      intro: '<script>alert(1)</script> & "quotes"',
      deadlineSentence: 'x',
      confirmUrl: 'https://optout.example/confirm/abc"onmouseover="x',
    });
    expect(email.html).not.toContain('<script>alert(1)</script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(email.html).toContain('href="https://optout.example/confirm/abc&quot;onmouseover=&quot;x"');
  });

  it('keeps line breaks out of the subject', () => {
    const email = renderEmail('confirm', { subject: 'Confirm A\r\nBcc: x@example.org', confirmUrl: 'https://x' });
    expect(email.subject).toBe('Confirm A Bcc: x@example.org');
  });

  it.each([
    ['en', 'Please confirm your address', 'Confirm your reminders for Meta AI training objection 2025'],
    ['de', 'Bitte bestätigen Sie Ihre Adresse', 'Bitte bestätigen: Widerspruch gegen Metas KI-Training 2025'],
  ] as const)('writes the confirmation in the subscriber\'s language (%s), with a readable text part', (locale, heading, subject) => {
    const links = new Links('https://optout.example', 's'.repeat(32));
    const person = { id: 'A'.repeat(43), generation: 'Gen12345', timeZone: 'Europe/Vienna', locale };
    const email = confirmEmail([meta], person, links, new Date('2025-05-12T08:00:00Z'));
    expect(email.subject).toBe(subject);
    expect(email.html).toContain(`<html lang="${locale}"`);
    expect(email.text).toContain(heading);
    expect(email.text).toMatch(/\[https:\/\/optout\.example\/confirm\/c\.A{43}\.Gen12345\.\.\.[\w-]+\]/);
    expect(email.text).not.toContain('<');
    expect(email.text).not.toContain('{{');
  });

  it('confirms several campaigns with one email and one button', () => {
    const linkedin = campaigns.find((c) => c.id === 'linkedin-ai-2025')!;
    const links = new Links('https://optout.example', 's'.repeat(32));
    const person = { id: 'A'.repeat(43), generation: 'Gen12345', timeZone: 'Europe/Berlin', locale: 'en' as const };
    const email = confirmEmail([meta, linkedin], person, links, new Date('2025-05-12T08:00:00Z'));
    expect(email.subject).toBe('Confirm your reminders for 2 campaigns');
    expect(email.text).toContain(`${meta.title} and ${linkedin.title}`);
    expect(email.html.match(/\/confirm\//g)).toHaveLength(1);
  });

  it('ships templates already compiled: no MJML tag is left in them', () => {
    for (const template of Object.values(compiledTemplates)) expect(template.html).not.toMatch(/<mj-/);
  });
});

describe('composeMessage', () => {
  const email = { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' };

  it('adds the RFC 8058 headers to list email', async () => {
    const raw = (await composeMessage(email, { from: 'a@example.org', to: 'b@example.org', unsubscribeUrl: 'https://optout.example/unsubscribe/t' })).toString();
    const headers = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toContain('List-Unsubscribe: <https://optout.example/unsubscribe/t>');
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headers).toMatch(/Content-Type: multipart\/alternative/);
  });

  it('leaves them off the confirmation mail', async () => {
    const raw = (await composeMessage(email, { from: 'a@example.org', to: 'b@example.org' })).toString();
    expect(raw).not.toContain('List-Unsubscribe');
  });
});

describe('loadConfig', () => {
  it('fails fast and names the missing secret', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'admin-token-0123456789' })).toThrow(/SIGNING_SECRET/);
  });

  it('names a secret that is too short', () => {
    expect(() => loadConfig({ SIGNING_SECRET: 'short', ADMIN_TOKEN: 'admin-token-0123456789' })).toThrow(/SIGNING_SECRET must be at least 32/);
  });

  it('fills in defaults and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ SIGNING_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(16), PUBLIC_URL: 'https://optout.example/' });
    expect(config).toMatchObject({ PUBLIC_URL: 'https://optout.example', DUE_SHARDS: 8, CONFIRM_COOLDOWN_MINUTES: 15 });
  });
});
