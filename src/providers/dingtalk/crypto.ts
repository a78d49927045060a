import { sha256Hex } from '../../core/hash.js';

/** Tokens are stored only as their SHA-256 (hex). */
export const hashToken = sha256Hex;
