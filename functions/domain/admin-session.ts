import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `__Host-`: the browser only keeps it when Secure, with Path=/ and no Domain. */
export const ADMIN_COOKIE = '__Host-optout-admin';
export const ADMIN_SESSION_HOURS = 8;

/** Compares two secrets in constant time, whatever their lengths (both are hashed first). */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Whether `given` is the admin token, in constant time. */
export function isAdminToken(adminToken: string, given: string): boolean {
  return sameSecret(adminToken, given);
}

function sessionMac(adminToken: string, expiresAt: number): string {
  return createHmac('sha256', adminToken).update(`admin-session:${expiresAt}`).digest('base64url');
}

/**
 * The admin cookie's value: an expiry and an HMAC of it keyed by the admin token. Not the token
 * itself, so a leaked cookie does not leak the token; rotating the token ends every session.
 *
 * @example
 * signAdminSession(token, now) // "1748000000000.Jx3…"
 */
export function signAdminSession(adminToken: string, now: Date, hours = ADMIN_SESSION_HOURS): string {
  const expiresAt = now.getTime() + hours * 3_600_000;
  return `${expiresAt}.${sessionMac(adminToken, expiresAt)}`;
}

/** Whether a cookie value is a session this token signed that has not expired. */
export function verifyAdminSession(adminToken: string, value: string | undefined, now: Date): boolean {
  const match = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return false;
  const expiresAt = Number(match[1]);
  return sameSecret(sessionMac(adminToken, expiresAt), match[2] ?? '') && expiresAt > now.getTime();
}
