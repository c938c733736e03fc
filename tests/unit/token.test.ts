import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashAddress, signToken, verifyToken } from '../../functions/domain/token.js';

const secret = 'unit-test-secret-0123456789abcdef0123';
const personId = hashAddress(secret, 'a@example.org');
const generation = 'Gen12345';
const person = { personId, generation };

describe('link tokens', () => {
  it('round-trips purpose, person, generation, campaign and platform', () => {
    const token = signToken(secret, { purpose: 'objected', ...person, campaignId: 'meta-ai-2025', platform: 'instagram' });
    expect(verifyToken(secret, token, 'objected')).toEqual({ purpose: 'objected', ...person, campaignId: 'meta-ai-2025', platform: 'instagram' });
  });

  it('carries the campaign of an unsubscribe link only when asked to', () => {
    expect(verifyToken(secret, signToken(secret, { purpose: 'unsubscribe', ...person, campaignId: 'linkedin-ai-2025' }), 'unsubscribe').campaignId).toBe('linkedin-ai-2025');
    expect(verifyToken(secret, signToken(secret, { purpose: 'unsubscribe', ...person }), 'unsubscribe').campaignId).toBeUndefined();
  });

  it('refuses a confirmation link that names a campaign: one confirmation is for the whole sign-up', () => {
    const token = signToken(secret, { purpose: 'confirm', ...person, campaignId: 'meta-ai-2025' });
    expect(() => verifyToken(secret, token, 'confirm')).toThrow(expect.objectContaining({ code: 'token_invalid' }));
  });

  it('stays valid however often it is checked (mail scanners fetch links twice)', () => {
    const token = signToken(secret, { purpose: 'unsubscribe', ...person });
    for (let i = 0; i < 3; i++) expect(verifyToken(secret, token, 'unsubscribe').personId).toBe(personId);
  });

  it('carries no email address', () => {
    expect(signToken(secret, { purpose: 'confirm', ...person })).not.toMatch(/@|example/);
  });

  it('is refused for another purpose', () => {
    const token = signToken(secret, { purpose: 'preferences', ...person });
    expect(() => verifyToken(secret, token, 'unsubscribe')).toThrow(expect.objectContaining({ code: 'token_invalid' }));
  });

  it('is refused when signed with another secret', () => {
    const token = signToken('another-secret-0123456789abcdef0123', { purpose: 'confirm', ...person });
    expect(() => verifyToken(secret, token, 'confirm')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('is refused after any single character changes', () => {
    const token = signToken(secret, { purpose: 'objected', ...person, campaignId: 'meta-ai-2025', platform: 'facebook' });
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'abcXYZ019-_.'), (index, char) => {
        fc.pre(token[index] !== char);
        const tampered = token.slice(0, index) + char + token.slice(index + 1);
        expect(() => verifyToken(secret, tampered, 'objected')).toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('is refused when its signature is spelt differently but decodes to the same bytes', () => {
    const token = signToken(secret, { purpose: 'preferences', ...person });
    const signature = token.split('.')[5]!;
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(signature.at(-1)!);
    // The last of 22 characters carries 2 bits; the 4 below them are ignored when decoding.
    const sameBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]!;
    const variants = [`${token}=`, `${token}==`, token.replace(signature, `${signature.slice(0, 5)}!${signature.slice(5)}`), token.slice(0, -1) + sameBits];
    for (const variant of variants) {
      expect(Buffer.from(variant.split('.')[5]!, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
      expect(() => verifyToken(secret, variant, 'preferences'), variant).toThrow(expect.objectContaining({ code: 'token_invalid' }));
    }
  });

  it('refuses a swapped platform with the original signature', () => {
    const token = signToken(secret, { purpose: 'objected', ...person, campaignId: 'meta-ai-2025', platform: 'facebook' });
    expect(() => verifyToken(secret, token.replace('facebook', 'threads'), 'objected')).toThrow();
  });

  it('refuses arbitrary strings without throwing anything but a DomainError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 240 }), (garbage) => {
        expect(() => verifyToken(secret, garbage, 'confirm')).toThrow(expect.objectContaining({ name: 'DomainError' }));
      }),
    );
  });
});

describe('hashAddress', () => {
  it('is stable for one address and differs between addresses and secrets', () => {
    expect(hashAddress(secret, 'a@example.org')).toBe(hashAddress(secret, 'a@example.org'));
    expect(hashAddress(secret, 'a@example.org')).not.toBe(hashAddress(secret, 'b@example.org'));
    expect(hashAddress('other-secret-0123456789abcdef0123', 'a@example.org')).not.toBe(hashAddress(secret, 'a@example.org'));
  });
});
