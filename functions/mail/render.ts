import Mustache from 'mustache';
import { compiledTemplates } from '../generated/templates.js';

export type TemplateName = keyof typeof compiledTemplates;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** HTML-escapes every value; URLs stay readable since "/" and "=" are left alone. */
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
/** Subjects are plain text: no escaping, but no line breaks either (header injection). */
const plainLine = (value: unknown) => String(value).replace(/[\r\n]+/g, ' ');
/** The text part is plain text: values go in as they are. */
const asText = (value: unknown) => String(value);

/**
 * Fills a precompiled MJML template, and its precompiled plain-text part, with one recipient's
 * values (HTML-escaped in the HTML).
 *
 * @example
 * renderEmail('confirm', { campaignTitle: 'Meta AI 2025', confirmUrl })
 */
export function renderEmail(name: TemplateName, view: object): RenderedEmail {
  return renderCompiled(compiledTemplates[name], view);
}

/** Fills any precompiled template (a newsletter issue) the same way, with the same escaping. */
export function renderCompiled(template: RenderedEmail, view: object): RenderedEmail {
  const html = Mustache.render(template.html, view, {}, { escape: escapeHtml });
  const subject = Mustache.render(template.subject, view, {}, { escape: plainLine }).trim();
  const text = Mustache.render(template.text, view, {}, { escape: asText });
  return { subject, html, text };
}
