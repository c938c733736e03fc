import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { DomainError } from './errors.js';
import { PlatformId } from './platform.js';

/** What a link may do. A token signed for one purpose is refused for another. */
export const TokenPurpose = z.enum(['confirm', 'objected', 'unsubscribe', 'preferences', 'watch', 'calendar']);
export type TokenPurpose = z.infer<typeof TokenPurpose>;

/** A person's id: the keyed hash of their address (hashAddress), base64url. */
export const PersonId = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const Generation = z.string().regex(/^[A-Za-z0-9_-]{8,16}$/);
const CampaignRef = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);

export interface TokenClaims {
  purpose: TokenPurpose;
  personId: string;
  /** The person's generation when the link was made: a person who left and came back gets new links. */
  generation: string;
  /** For `objected`, and for `unsubscribe` (where "stop only this campaign" needs it): the campaign of the email. */
  campaignId?: string;
  /** Only for `objected`: the platform the link marks as done. */
  platform?: PlatformId;
}

const PURPOSE_CODES: Record<TokenPurpose, string> = { confirm: 'c', objected: 'o', unsubscribe: 'u', preferences: 'p', watch: 'w', calendar: 'k' };
const PURPOSE_BY_CODE = new Map(Object.entries(PURPOSE_CODES).map(([purpose, code]) => [code, purpose as TokenPurpose]));
const SIGNATURE_BYTES = 16;

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`token:${payload}`).digest().subarray(0, SIGNATURE_BYTES);
}

/**
 * A URL-safe link token: purpose, person, generation, campaign and platform, HMAC-signed. It
 * carries no address and no expiry, so a mail scanner fetching it twice does not spoil it.
 *
 * @example
 * signToken(secret, { purpose: 'unsubscribe', personId, generation, campaignId: 'meta-ai-2025' }) // "u.Jx3…~sig"
 */
export function signToken(secret: string, claims: TokenClaims): string {
  const payload = [PURPOSE_CODES[claims.purpose], claims.personId, claims.generation, claims.campaignId ?? '', claims.platform ?? ''].join('.');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

/**
 * Checks a token's signature in constant time and that it was made for `purpose`.
 * Throws a `forbidden` DomainError for anything else.
 */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose): TokenClaims {
  const invalid = new DomainError('forbidden', 'token_invalid', 'This link is not valid. Please use the latest link from your email.');
  const parts = token.split('.');
  if (parts.length !== 6 || token.length > 220) throw invalid;
  const [code, personId, generation, campaignId, platform, signature] = parts as [string, string, string, string, string, string];
  // Compare the text, not the decoded bytes: base64url decoding skips stray characters and the last
  // character's spare bits, so many strings decode to the same signature.
  const expected = Buffer.from(sign(secret, parts.slice(0, 5).join('.')).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  if (PURPOSE_BY_CODE.get(code) !== purpose) throw invalid;
  if (!PersonId.safeParse(personId).success || !Generation.safeParse(generation).success) throw invalid;
  const base = { purpose, personId, generation };
  if (purpose === 'objected') {
    // Links of old emails name the campaign too; a platform is all a done mark needs now.
    const parsed = PlatformId.safeParse(platform);
    if (!parsed.success || (campaignId !== '' && !CampaignRef.safeParse(campaignId).success)) throw invalid;
    return { ...base, ...(campaignId ? { campaignId } : {}), platform: parsed.data };
  }
  if (platform !== '') throw invalid;
  if (purpose === 'calendar') {
    if (!CampaignRef.safeParse(campaignId).success) throw invalid;
    return { ...base, campaignId };
  }
  if (purpose === 'unsubscribe' && campaignId !== '') {
    if (!CampaignRef.safeParse(campaignId).success) throw invalid;
    return { ...base, campaignId };
  }
  if (campaignId !== '') throw invalid;
  return base;
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
