import { createHash, scryptSync, timingSafeEqual } from 'node:crypto';
import type { IdSource } from '../../core/ids.js';

/** `Accounts._hashLoginToken`: base64(sha256(token)), standard alphabet with padding (reference §9). */
export function hashLoginToken(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

/** Meteor hashes the SHA-256 hex digest of the password, so a client may send either form. */
export function passwordDigest(password: string): string {
  return createHash('sha256').update(password).digest('hex');
}

// scrypt with a token cost: the passwords are test fixtures, hashed at every start and reset.
const SCRYPT = { N: 64, r: 8, p: 1 };

export function hashPassword(password: string, ids: IdSource): string {
  const salt = ids.hex(16);
  const key = scryptSync(passwordDigest(password), salt, 32, SCRYPT).toString('hex');
  return `scrypt$${salt}$${key}`;
}

export function verifyDigest(digest: string, stored: string): boolean {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const actual = scryptSync(digest.toLowerCase(), salt, 32, SCRYPT);
  return timingSafeEqual(actual, Buffer.from(key, 'hex'));
}
