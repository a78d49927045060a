import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { sha256Hex } from '../../core/hash.js';

/** API tokens are only ever stored and compared as their SHA-256 hex digest. */
export const hashApiToken = sha256Hex;

/**
 * A room token: a JWT with the header of the spec's example token (`{"typ":"VRT","alg":"HS512"}`,
 * video-api/room-tokens/models/responses.tsp), signed with the world's key.
 */
export function signRoomToken(keyHex: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'VRT', alg: 'HS512' }).sign(Buffer.from(keyHex, 'hex'));
}

// A link's expiry moves once a second: GETs within that second reuse its signature (and the key object) instead of
// signing again, which kept `get room recording` well below `get conference`. Bounded: cleared when full.
const MEDIA_CACHE_SIZE = 10_000;
const mediaKeys = new Map<string, KeyObject>();
const mediaSignatures = new Map<string, { expires: number; signature: string }>();

/** The signature of a recording's temporary media link: who holds the link may download until it expires. */
export function signMediaLink(keyHex: string, world: string, recordingId: string, expires: number): string {
  const cacheKey = `${keyHex}\n${world}\n${recordingId}`;
  const cached = mediaSignatures.get(cacheKey);
  if (cached?.expires === expires) return cached.signature;
  let key = mediaKeys.get(keyHex);
  if (!key) {
    if (mediaKeys.size >= MEDIA_CACHE_SIZE) mediaKeys.clear();
    mediaKeys.set(keyHex, (key = createSecretKey(Buffer.from(keyHex, 'hex'))));
  }
  const signature = createHmac('sha256', key).update(`${world}\n${recordingId}\n${expires}`).digest('hex').slice(0, 32);
  if (mediaSignatures.size >= MEDIA_CACHE_SIZE) mediaSignatures.clear();
  mediaSignatures.set(cacheKey, { expires, signature });
  return signature;
}
