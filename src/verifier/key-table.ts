// Keys the verifier holds for the whole run, one per redemption or invoice of the chain: a string per key in a
// Map costs about a hundred bytes of heap that every full garbage collection traces again. Here each key is
// a few bytes in an arena, found through a flat hash table of arena positions. Keys compare exactly, code
// unit for code unit: an id of the service's shape (three lowercase letters, `_`, a lowercase UUID) is packed
// into 19 bytes, any other key is kept as latin1 or, when it needs to, UTF-16.
import { ByteArena } from './columns.js';

const EMPTY = 0;
const PACKED = 1;
const LATIN1 = 2;
const UTF16 = 3;
const PACKED_LENGTH = 40;
/** Where the UUID's hex digit pairs are in a packed key (after `abc_`), around its dashes. */
const HEX_AT = [4, 6, 8, 10, 13, 15, 18, 20, 23, 25, 28, 30, 32, 34, 36, 38];
const DASH_AT = [12, 17, 22, 27];
/** Room before the encoded key in the scratch buffer for its length (LEB128, at most 5 bytes). */
const PREFIX = 5;
const ROW_BYTES = 4;

/** Lowercase hex digits' values by character code, -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) HEX['0123456789abcdef'.charCodeAt(digit)] = digit;
const hexValue = (code: number): number => (code < 128 ? HEX[code]! : -1);

/** FNV-1a over bytes[start, end). */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

const HEX_DIGITS = '0123456789abcdef';

/** The key a piece's tag and bytes, bytes[start, end), encode (the inverse of KeyTable's encoding). */
function decodeKey(bytes: Uint8Array, start: number, end: number): string {
  const tag = bytes[start]!;
  let key = '';
  if (tag === PACKED) {
    key = `${String.fromCharCode(bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!)}_`;
    for (let i = 0; i < HEX_AT.length; i++) {
      if (DASH_AT.includes(HEX_AT[i]! - 1)) key += '-';
      const byte = bytes[start + 4 + i]!;
      key += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 15]!;
    }
  } else if (tag === LATIN1) for (let i = start + 1; i < end; i++) key += String.fromCharCode(bytes[i]!);
  else for (let i = start + 1; i < end; i += 2) key += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return key;
}

/**
 * A set of strings. Each key is a piece of the arena: its length (LEB128), a tag (PACKED, LATIN1, UTF16), its
 * bytes and, in a table with rows, its row (0, 1, 2, … in the order keys came, for the caller's columns) or, in a
 * table of values, the caller's number.
 * Open addressing with linear probing over arena positions + 1 (0: empty), at most half full.
 */
export class KeyTable {
  private slots = new Uint32Array(1024);
  private readonly arena = new ByteArena();
  /** The last key looked up (a caller often asks for the same key twice), encoded in scratch[start, end). */
  private scratchKey: string | undefined;
  private scratch = new Uint8Array(256);
  private start = 0;
  private end = 0;
  private hash = 0;
  /** Where the last key looked up is in the arena (-1: nowhere), and its slot, or the one it would take. */
  private located = -1;
  private slot = 0;
  size = 0;

  /**
   * `rows`: number the keys, for columns of the caller's; `'values'`: keep a number of the caller's (a 32-bit
   * integer, given as the key is added) with each key in place of its row, for a key that needs one small number
   * and no column; without, a plain set.
   */
  constructor(private readonly rows: boolean | 'values' = false) {}

  /** The key's row (0 in a set), or -1 when it is not in the table. */
  find(key: string): number {
    const position = this.locate(key);
    return position < 0 ? -1 : this.rowAt(position);
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  /** The key's row (0 in a set; its value in a table of values, `value` when new), added when new. */
  intern(key: string, value = 0): number {
    const position = this.locate(key);
    return position < 0 ? this.append(value) : this.rowAt(position);
  }

  /**
   * Visits every key whose row `wanted` accepts, in the order keys came, by walking the arena: nothing more is
   * kept for it. Rare (a spot check's draw, decision 0042), so each key is decoded into a string only when wanted.
   * In a set every key's row is 0.
   */
  forEach(wanted: (row: number) => boolean, visit: (key: string, row: number) => void): void {
    let seen = 0;
    for (const page of this.arena.allPages) {
      let at = 0;
      while (at < page.length && seen < this.size) {
        let length = 0;
        for (let shift = 0; ; shift += 7) {
          const byte = page[at++]!;
          length |= (byte & 0x7f) << shift;
          if (byte < 0x80) break;
        }
        // A piece is a tag and its bytes, never empty: a zero length is the unused end of a page.
        if (length === 0) break;
        seen++;
        const end = at + length;
        const row = this.rows ? page[end]! | (page[end + 1]! << 8) | (page[end + 2]! << 16) | (page[end + 3]! << 24) : 0;
        if (wanted(row)) visit(decodeKey(page, at, end), row);
        at = end + (this.rows ? ROW_BYTES : 0);
      }
    }
  }

  /** The key's arena position, or -1 (and `slot` is where it would go); the last answer again for the same key. */
  private locate(key: string): number {
    if (key !== this.scratchKey) {
      this.encode(key);
      this.located = this.probe();
    }
    return this.located;
  }

  /** The arena position of the encoded key, or -1 (and `slot` is where it would go). */
  private probe(): number {
    const mask = this.slots.length - 1;
    for (let slot = this.hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY || this.stored(entry - 1)) {
        this.slot = slot;
        return entry - 1;
      }
    }
  }

  /** Whether the piece at `position` is the encoded key (lengths first: a difference shows before either ends). */
  private stored(position: number): boolean {
    const page = this.arena.page(position);
    const offset = ByteArena.offset(position) - this.start;
    for (let i = this.start; i < this.end; i++) if (page[offset + i] !== this.scratch[i]) return false;
    return true;
  }

  private rowAt(position: number): number {
    if (!this.rows) return 0;
    const page = this.arena.page(position);
    const at = ByteArena.offset(position) + this.end - this.start;
    return page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24);
  }

  private append(value: number): number {
    const row = this.rows === 'values' ? value : this.size;
    this.size++;
    let end = this.end;
    if (this.rows) {
      for (let i = 0; i < ROW_BYTES; i++) this.scratch[end++] = (row >>> (8 * i)) & 0xff;
    }
    this.located = this.arena.append(this.scratch, this.start, end);
    this.slots[this.slot] = this.located + 1;
    if (2 * this.size > this.slots.length) this.rehash();
    return row;
  }

  /** Twice the slots, each key's hash taken again from its piece. */
  private rehash(): void {
    const slots = new Uint32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (const entry of this.slots) {
      if (entry === EMPTY) continue;
      const page = this.arena.page(entry - 1);
      let at = ByteArena.offset(entry - 1);
      let length = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = page[at++]!;
        length |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
      }
      let slot = hashOf(page, at, at + length) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.slots = slots;
  }

  /** Encodes the key into scratch (its length, a tag, its bytes) and hashes the tag and bytes. */
  private encode(key: string): void {
    this.scratchKey = key;
    if (this.scratch.length < PREFIX + 2 * key.length + 1 + ROW_BYTES) this.scratch = new Uint8Array(PREFIX + 2 * key.length + 1 + ROW_BYTES);
    const length = (key.length === PACKED_LENGTH && this.packed(key)) || this.latin1(key) || this.utf16(key);
    this.hash = hashOf(this.scratch, PREFIX, PREFIX + length);
    this.end = PREFIX + length;
    this.start = PREFIX - this.lengthPrefix(length);
  }

  /** Writes the length before the key's bytes (LEB128); returns how many bytes it took. */
  private lengthPrefix(length: number): number {
    if (length < 0x80) {
      this.scratch[PREFIX - 1] = length;
      return 1;
    }
    const bytes: number[] = [];
    let rest = length;
    do {
      bytes.push((rest & 0x7f) | (rest >= 0x80 ? 0x80 : 0));
      rest >>>= 7;
    } while (rest > 0);
    for (let i = 0; i < bytes.length; i++) this.scratch[PREFIX - bytes.length + i] = bytes[i]!;
    return bytes.length;
  }

  /** `abc_` and a lowercase UUID: a tag, the three letters and sixteen bytes; 0 for any other key. */
  private packed(key: string): number {
    const scratch = this.scratch;
    scratch[PREFIX] = PACKED;
    if (key.charCodeAt(3) !== 0x5f) return 0;
    for (let i = 0; i < 3; i++) {
      const code = key.charCodeAt(i);
      if (code < 0x61 || code > 0x7a) return 0;
      scratch[PREFIX + 1 + i] = code;
    }
    for (const at of DASH_AT) if (key.charCodeAt(at) !== 0x2d) return 0;
    for (let i = 0; i < HEX_AT.length; i++) {
      const high = hexValue(key.charCodeAt(HEX_AT[i]!));
      const low = hexValue(key.charCodeAt(HEX_AT[i]! + 1));
      if (high < 0 || low < 0) return 0;
      scratch[PREFIX + 4 + i] = (high << 4) | low;
    }
    return 20;
  }

  /** Every code unit below 256: a tag and one byte each; 0 otherwise. */
  private latin1(key: string): number {
    const scratch = this.scratch;
    scratch[PREFIX] = LATIN1;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      if (code > 0xff) return 0;
      scratch[PREFIX + 1 + i] = code;
    }
    return key.length + 1;
  }

  private utf16(key: string): number {
    const scratch = this.scratch;
    scratch[PREFIX] = UTF16;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      scratch[PREFIX + 1 + 2 * i] = code & 0xff;
      scratch[PREFIX + 2 + 2 * i] = code >> 8;
    }
    return 2 * key.length + 1;
  }
}
