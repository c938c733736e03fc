/**
 * Stands in for nodemailer's mime-funcs/mime-types.js (a 74 KB table of every MIME type) in the
 * Lambda bundles. Our emails are a text part and an HTML part, both with explicit types, and never
 * carry attachments, so these two types are all that could ever be looked up.
 */
const TYPES = new Map([
  ['txt', 'text/plain'],
  ['html', 'text/html'],
  ['htm', 'text/html'],
]);

export function detectMimeType(filename: string): string {
  const extension = String(filename || '').split(/[./\\]/).pop()?.toLowerCase() ?? '';
  return TYPES.get(extension) ?? 'application/octet-stream';
}

export function detectExtension(mimeType: string): string {
  const type = String(mimeType || '').toLowerCase().split(';')[0]?.trim();
  return type === 'text/plain' ? 'txt' : type === 'text/html' ? 'html' : 'bin';
}
