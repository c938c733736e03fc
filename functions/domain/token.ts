import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { DomainError } from './errors.js';
import { PlatformId } from './platform.js';

/** What a link may do. A token signed for one purpose is refused for another. */
export const TokenPurpose = z.enum(['confirm', 'objected', 'unsubscribe', 'preferences']);
export type TokenPurpose = z.infer<typeof TokenPurpose>;

export const SubscriberId = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: string;
  /** Only for `objected`: the platform the link marks as done. */
  platform?: PlatformId;
}

const PURPOSE_CODES: Record<TokenPurpose, string> = { confirm: 'c', objected: 'o', unsubscribe: 'u', preferences: 'p' };
const PURPOSE_BY_CODE = new Map(Object.entries(PURPOSE_CODES).map(([purpose, code]) => [code, purpose as TokenPurpose]));
const SIGNATURE_BYTES = 16;

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`token:${payload}`).digest().subarray(0, SIGNATURE_BYTES);
}

/**
 * A URL-safe link token: purpose, subscriber id and platform, HMAC-signed. It carries no address
 * and no expiry, so a mail scanner fetching it twice does not spoil it.
 *
 * @example
 * signToken(secret, { purpose: 'unsubscribe', subscriberId }) // "u.Jx3…~sig"
 */
export function signToken(secret: string, claims: TokenClaims): string {
  const payload = [PURPOSE_CODES[claims.purpose], claims.subscriberId, claims.platform ?? ''].join('.');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

/**
 * Checks a token's signature in constant time and that it was made for `purpose`.
 * Throws a `forbidden` DomainError for anything else.
 */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose): TokenClaims {
  const invalid = new DomainError('forbidden', 'token_invalid', 'This link is not valid. Please use the latest link from your email.');
  const parts = token.split('.');
  if (parts.length !== 4 || token.length > 120) throw invalid;
  const [code, subscriberId, platform, signature] = parts as [string, string, string, string];
  // Compare the text, not the decoded bytes: base64url decoding skips stray characters and the last
  // character's spare bits, so many strings decode to the same signature.
  const expected = Buffer.from(sign(secret, `${code}.${subscriberId}.${platform}`).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  if (PURPOSE_BY_CODE.get(code) !== purpose) throw invalid;
  if (!SubscriberId.safeParse(subscriberId).success) throw invalid;
  if (purpose === 'objected') {
    const parsed = PlatformId.safeParse(platform);
    if (!parsed.success) throw invalid;
    return { purpose, subscriberId, platform: parsed.data };
  }
  if (platform !== '') throw invalid;
  return { purpose, subscriberId };
}

/**
 * A keyed hash of an address: the only form in which an address is used as a key or kept after
 * erasure, so a leaked table does not reveal who subscribed.
 */
export function hashAddress(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`address:${email}`).digest('base64url');
}

/** A keyed hash of a client IP for rate limits; the IP itself is never stored. */
export function hashClientIp(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`ip:${ip}`).digest('base64url').slice(0, 22);
}
