import { createHmac } from 'node:crypto';
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

/** The signature of a recording's temporary media link: who holds the link may download until it expires. */
export function signMediaLink(keyHex: string, world: string, recordingId: string, expires: number): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(`${world}\n${recordingId}\n${expires}`).digest('hex').slice(0, 32);
}
