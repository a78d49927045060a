import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Meteor's `Random.id()` alphabet (no look-alike characters). */
export const UNMISTAKABLE_CHARS = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
/** Meteor's `Random.secret()` alphabet. */
export const BASE64URL_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

/** Each byte's two hex digits as ASCII codes, low byte first: `table[b] & 0xff` is the high digit. */
function hexTable(digits: string): Uint16Array {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) table[b] = digits.charCodeAt(b >> 4) | (digits.charCodeAt(b & 15) << 8);
  return table;
}
const LOWER_HEX = hexTable('0123456789abcdef');
const UPPER_HEX = hexTable('0123456789ABCDEF');
const UUID_LENGTH = 36;
const DASH = 0x2d;

/**
 * The one source of ids and secrets. Random by default; with a seed it is deterministic
 * (SHA-256 in counter mode) so tests can predict every id.
 */
export class IdSource {
  readonly #seed: string | undefined;
  #counter = 0;
  // Random bytes are drawn 4 KB at a time: one call per id costs more than the bytes themselves.
  #pool = Buffer.alloc(0);
  #used = 0;
  #text = Buffer.alloc(UUID_LENGTH + 64);

  constructor(seed?: string | number) {
    this.#seed = seed === undefined ? undefined : String(seed);
  }

  /** Reserves `n` bytes of the random pool; returns where they start. */
  #draw(n: number): number {
    if (this.#used + n > this.#pool.length) {
      this.#pool = randomBytes(Math.max(4096, n));
      this.#used = 0;
    }
    this.#used += n;
    return this.#used - n;
  }

  bytes(n: number): Buffer {
    if (this.#seed === undefined) {
      const start = this.#draw(n);
      return this.#pool.subarray(start, start + n);
    }
    const chunks: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const block = createHash('sha256').update(`${this.#seed}:${this.#counter++}`).digest();
      chunks.push(block);
      have += block.length;
    }
    return Buffer.concat(chunks).subarray(0, n);
  }

  hex(length: number): string {
    const n = Math.ceil(length / 2);
    if (this.#seed === undefined) {
      // Straight from the pool: a Buffer view per id (DingTalk draws one per response) costs more than the hex.
      const start = this.#draw(n);
      const hex = this.#pool.toString('hex', start, start + n);
      return length % 2 === 0 ? hex : hex.slice(0, length);
    }
    return this.bytes(n).toString('hex').slice(0, length);
  }

  digits(length: number, firstNonZero = false): string {
    const bytes = this.bytes(length);
    let out = '';
    for (let i = 0; i < length; i++) {
      out += i === 0 && firstNonZero ? String(1 + (bytes[i] % 9)) : String(bytes[i] % 10);
    }
    return out;
  }

  /** Characters drawn uniformly the way Meteor's `Random.choice` does (a fraction times the length). */
  fromAlphabet(alphabet: string, length: number): string {
    const bytes = this.bytes(length * 4);
    let out = '';
    for (let i = 0; i < length; i++) {
      const fraction = bytes.readUInt32BE(i * 4) / 0x1_0000_0000;
      out += alphabet[Math.floor(fraction * alphabet.length)];
    }
    return out;
  }

  /** A MongoDB ObjectId as 24 lowercase hex: 4 bytes of epoch seconds, then 8 random bytes. */
  objectId(epochMs: number): string {
    const seconds = Math.floor(epochMs / 1000) >>> 0;
    return seconds.toString(16).padStart(8, '0') + this.hex(16);
  }

  /**
   * An uppercase UUID v4 and `hexLength` lowercase hex digits, as DingTalk's request and trace ids
   * (drawn in that order). Unseeded, both are written as ASCII into one buffer that becomes one
   * string: `randomUUID().toUpperCase()` and a hex conversion cost three string conversions, a
   * third of a microsecond on every DingTalk response.
   */
  upperUuidAndHex(hexLength: number): [uuid: string, hex: string] {
    if (this.#seed !== undefined) return [this.uuid().toUpperCase(), this.hex(hexLength)];
    const total = UUID_LENGTH + hexLength;
    if (this.#text.length < total) this.#text = Buffer.alloc(total);
    const text = this.#text;
    const start = this.#draw(16 + Math.ceil(hexLength / 2));
    const pool = this.#pool;
    let at = 0;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = DASH;
      const byte = pool[start + i];
      // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 0b10 in the top bits of byte 8.
      const digits = UPPER_HEX[i === 6 ? (byte & 0x0f) | 0x40 : i === 8 ? (byte & 0x3f) | 0x80 : byte];
      text[at++] = digits & 0xff;
      text[at++] = digits >> 8;
    }
    for (let i = 0; at < total; i++) {
      const digits = LOWER_HEX[pool[start + 16 + i]];
      text[at++] = digits & 0xff;
      if (at < total) text[at++] = digits >> 8;
    }
    const both = text.toString('latin1', 0, total);
    return [both.slice(0, UUID_LENGTH), both.slice(UUID_LENGTH)];
  }

  uuid(): string {
    if (this.#seed === undefined) return randomUUID();
    const b = this.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
