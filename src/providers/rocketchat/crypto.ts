import { createHash, scryptSync, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../core/hash.js';
import type { IdSource } from '../../core/ids.js';

/** `Accounts._hashLoginToken`: base64(sha256(token)), standard alphabet with padding (reference §9). */
export function hashLoginToken(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

/** Meteor hashes the SHA-256 hex digest of the password, so a client may send either form. */
export const passwordDigest = sha256Hex;

// scrypt with a token cost: the passwords are test fixtures, hashed at every start and reset. The
// cost is stored in the hash; a hash without one was made at N=1024 (a database from an older build).
const SCRYPT = { N: 64, r: 8, p: 1 };
const LEGACY_N = 1024;

export function hashPassword(password: string, ids: IdSource): string {
  const salt = ids.hex(16);
  const key = scryptSync(passwordDigest(password), salt, 32, SCRYPT).toString('hex');
  return `scrypt$${SCRYPT.N}$${salt}$${key}`;
}

export function verifyDigest(digest: string, stored: string): boolean {
  const parts = stored.split('$');
  const [scheme, cost, salt, key] = parts.length === 3 ? [parts[0], String(LEGACY_N), parts[1], parts[2]] : parts;
  const N = Number(cost);
  const expected = Buffer.from(key ?? '', 'hex');
  if (scheme !== 'scrypt' || !salt || expected.length !== 32 || !Number.isInteger(N) || N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0) return false;
  return timingSafeEqual(scryptSync(digest.toLowerCase(), salt, 32, { ...SCRYPT, N }), expected);
}
