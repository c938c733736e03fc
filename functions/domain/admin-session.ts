import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RateRule } from './rate-limit.js';

/** `__Host-`: the browser only keeps it when Secure, with Path=/ and no Domain. */
export const ADMIN_COOKIE = '__Host-optout-admin';
export const ADMIN_SESSION_HOURS = 8;

/**
 * Failed sign-ins allowed at once, from one client and from everyone together, and on average per
 * window after that (one each window ÷ limit: every 3 minutes per client), before /admin/login
 * answers 429 with the wait. A correct Bearer token is never limited.
 */
export const SIGN_IN_LIMIT = { perClient: 5, overall: 50, windowMinutes: 15 } as const;

/** The sign-in limits as rate rules (domain/rate-limit.ts): one client's, and everyone's together. */
export const SIGN_IN_RULES: { perClient: RateRule; overall: RateRule } = {
  perClient: { limit: SIGN_IN_LIMIT.perClient, windowMs: SIGN_IN_LIMIT.windowMinutes * 60_000 },
  overall: { limit: SIGN_IN_LIMIT.overall, windowMs: SIGN_IN_LIMIT.windowMinutes * 60_000 },
};

/** Compares two secrets in constant time, whatever their lengths (both are hashed first). */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Whether `given` is the admin token, in constant time. */
export function isAdminToken(adminToken: string, given: string): boolean {
  return sameSecret(adminToken, given);
}

function sessionMac(adminToken: string, sessionId: string): string {
  return createHmac('sha256', adminToken).update(`admin-session:${sessionId}`).digest('base64url');
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * The admin cookie's value: a random session id (kept in the table until sign-out or expiry) and
 * an HMAC of it keyed by the admin token. Not the token itself, so a leaked cookie does not leak
 * the token; rotating the token ends every session; a forged cookie is refused before any read.
 *
 * @example
 * adminSessionCookie(token, randomBytes(32).toString('base64url')) // "q3…Zk.Jx3…"
 */
export function adminSessionCookie(adminToken: string, sessionId: string): string {
  if (!SESSION_ID.test(sessionId)) throw new Error('A session id is 32 random bytes in base64url.');
  return `${sessionId}.${sessionMac(adminToken, sessionId)}`;
}

/** The session id a cookie carries, when this token signed it; else undefined. Whether it is still alive is the table's to say. */
export function sessionIdFromCookie(adminToken: string, value: string | undefined): string | undefined {
  const match = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  return sameSecret(sessionMac(adminToken, match[1]), match[2]) ? match[1] : undefined;
}

/** What the table keys a session by: a hash, so that reading the table gives no usable cookie. */
export function sessionKeyOf(sessionId: string): string {
  return createHash('sha256').update(`admin-session:${sessionId}`).digest('base64url');
}
