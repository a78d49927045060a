import { sha256Hex } from '../../core/hash.js';

/** API tokens are only ever stored and compared as their SHA-256 hex digest. */
export const hashApiToken = sha256Hex;
