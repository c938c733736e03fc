import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashAddress, signToken, verifyToken } from '../../functions/domain/token.js';

const secret = 'unit-test-secret-0123456789abcdef0123';
const subscriberId = 'Jx3kQ9vT2mN8pL4rS6wY0a';

describe('link tokens', () => {
  it('round-trips purpose, subscriber and platform', () => {
    const token = signToken(secret, { purpose: 'objected', subscriberId, platform: 'instagram' });
    expect(verifyToken(secret, token, 'objected')).toEqual({ purpose: 'objected', subscriberId, platform: 'instagram' });
  });

  it('stays valid however often it is checked (mail scanners fetch links twice)', () => {
    const token = signToken(secret, { purpose: 'unsubscribe', subscriberId });
    for (let i = 0; i < 3; i++) expect(verifyToken(secret, token, 'unsubscribe').subscriberId).toBe(subscriberId);
  });

  it('carries no email address', () => {
    expect(signToken(secret, { purpose: 'confirm', subscriberId })).not.toMatch(/@|example/);
  });

  it('is refused for another purpose', () => {
    const token = signToken(secret, { purpose: 'preferences', subscriberId });
    expect(() => verifyToken(secret, token, 'unsubscribe')).toThrow(expect.objectContaining({ code: 'token_invalid' }));
  });

  it('is refused when signed with another secret', () => {
    const token = signToken('another-secret-0123456789abcdef0123', { purpose: 'confirm', subscriberId });
    expect(() => verifyToken(secret, token, 'confirm')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('is refused after any single character changes', () => {
    const token = signToken(secret, { purpose: 'objected', subscriberId, platform: 'facebook' });
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
    const token = signToken(secret, { purpose: 'preferences', subscriberId });
    const signature = token.split('.')[3]!;
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(signature.at(-1)!);
    // The last of 22 characters carries 2 bits; the 4 below them are ignored when decoding.
    const sameBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]!;
    const variants = [`${token}=`, `${token}==`, token.replace(signature, `${signature.slice(0, 5)}!${signature.slice(5)}`), token.slice(0, -1) + sameBits];
    for (const variant of variants) {
      expect(Buffer.from(variant.split('.')[3]!, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
      expect(() => verifyToken(secret, variant, 'preferences'), variant).toThrow(expect.objectContaining({ code: 'token_invalid' }));
    }
  });

  it('refuses a swapped platform with the original signature', () => {
    const token = signToken(secret, { purpose: 'objected', subscriberId, platform: 'facebook' });
    expect(() => verifyToken(secret, token.replace('facebook', 'threads'), 'objected')).toThrow();
  });

  it('refuses arbitrary strings without throwing anything but a DomainError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (garbage) => {
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
