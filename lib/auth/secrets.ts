import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { env } from '../env.ts';

// Secrets Throughline must read back (SSO client secrets, webhook secrets) are stored encrypted
// with AES-256-GCM under THROUGHLINE_SECRET_KEY. Format: "v1.<iv>.<tag>.<ciphertext>", base64url.
// Tokens Throughline only has to recognise are hashed instead (lib/auth/tokens.ts).

const VERSION = 'v1';

/** Parses a key given as base64 or hex; it must be exactly 32 bytes. */
export function parseSecretKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('THROUGHLINE_SECRET_KEY must be 32 bytes, base64 or hex (make one: openssl rand -base64 32)');
  return key;
}

function secretKey(): Buffer {
  const value = env().THROUGHLINE_SECRET_KEY;
  if (!value) throw new Error('THROUGHLINE_SECRET_KEY is not set (make one: openssl rand -base64 32)');
  return parseSecretKey(value);
}

export function encryptSecret(plaintext: string, key: Buffer = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Decrypts what `encryptSecret` made; throws on a wrong key or any tampering. */
export function decryptSecret(stored: string, key: Buffer = secretKey()): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('not an encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
