import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { decryptSecret, encryptSecret, parseSecretKey } from './secrets.ts';

const key = randomBytes(32);

describe('encryptSecret / decryptSecret', () => {
  test('round-trips, with a fresh IV each time', () => {
    const a = encryptSecret('whsec_abc ✓', key);
    const b = encryptSecret('whsec_abc ✓', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_abc');
    expect(decryptSecret(a, key)).toBe('whsec_abc ✓');
  });

  test('rejects a ciphertext with one byte changed', () => {
    const [v, iv, tag, ct] = encryptSecret('secret', key).split('.');
    const bytes = Buffer.from(ct!, 'base64url');
    bytes[0]! ^= 1;
    expect(() => decryptSecret([v, iv, tag, bytes.toString('base64url')].join('.'), key)).toThrow();
  });

  test('rejects another key', () => {
    expect(() => decryptSecret(encryptSecret('secret', key), randomBytes(32))).toThrow();
  });
});

describe('parseSecretKey', () => {
  test('takes base64 and hex of 32 bytes', () => {
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
  });

  test('refuses a short key with a message saying how to make one', () => {
    expect(() => parseSecretKey('c2hvcnQ=')).toThrow('openssl rand -base64 32');
  });
});
