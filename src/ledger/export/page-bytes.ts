/**
 * A page's output as UTF-8 bytes, written piece by piece into one buffer. Long stored texts (an entry's data
 * JSON) are encoded straight into the buffer rather than concatenated into a line first, which would copy
 * every line once more as a flat string; short pieces are encoded on their own, which also keeps V8's fast
 * path for (mostly ASCII) text: one string for a whole page turns two-byte as soon as one line holds a
 * Chinese name, and then encodes several times slower. Bytes that repeat (an entry's fields on each of its
 * CSV rows) are copied rather than encoded again. Buffers come back through `release` once the destination
 * has taken their bytes, so an export reuses two or three of them instead of leaving a trail for the
 * garbage collector.
 */
export class PageBytes {
  readonly #spare: Buffer[] = [];
  readonly #ours = new WeakSet<ArrayBufferLike>();
  #buffer = this.#acquire(256 * 1024);
  #used = 0;

  get length(): number {
    return this.#used;
  }

  #acquire(size: number): Buffer {
    const spare = this.#spare.pop();
    if (spare && spare.length >= size) return spare;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so that it can be reused.
    const fresh = Buffer.allocUnsafeSlow(size);
    this.#ours.add(fresh.buffer);
    return fresh;
  }

  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    const bigger = this.#acquire(Math.max(this.#buffer.length * 2, this.#used + bytes));
    this.#buffer.copy(bigger, 0, 0, this.#used);
    this.#buffer = bigger;
  }

  text(value: string): void {
    // A UTF-16 code unit never takes more than three UTF-8 bytes.
    this.#reserve(value.length * 3);
    this.#used += this.#buffer.write(value, this.#used);
  }

  /**
   * Appends `value` as an RFC 4180 field, the bytes of csvField(value): encoded once, past the room the field
   * needs, then copied into place with each quote doubled, and quoted when it holds a quote, a comma, a CR or
   * an LF. Those four are ASCII, and a UTF-8 multi-byte sequence never contains an ASCII byte.
   */
  csv(value: string): void {
    // Encoded bytes plus doubled quotes never exceed three per code unit (a quote is one byte and one unit).
    const room = value.length * 3 + 2;
    this.#reserve(room * 2);
    const source = this.#used + room;
    const sourceEnd = source + this.#buffer.write(value, source);
    this.#used = copyAsField(this.#buffer, source, sourceEnd, this.#used);
  }

  /** Appends again the bytes already written between two offsets. */
  repeat(start: number, end: number): void {
    this.#reserve(end - start);
    this.#used += this.#buffer.copy(this.#buffer, this.#used, start, end);
  }

  /** The bytes written so far; the next page starts in a spare buffer at least as large as this one. */
  take(): Buffer {
    const bytes = this.#buffer.subarray(0, this.#used);
    this.#buffer = this.#acquire(this.#buffer.length);
    this.#used = 0;
    return bytes;
  }

  /** Takes back the buffer of a chunk that the destination no longer needs. */
  release(chunk: Buffer): void {
    if (this.#ours.has(chunk.buffer) && this.#spare.length < 2) this.#spare.push(Buffer.from(chunk.buffer));
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Copies the encoded field between `from` and `end` to `start` (which lies before them, with room enough),
 * doubling quotes, and quotes it if it must be; returns where it ends. Writing never overtakes reading.
 */
function copyAsField(bytes: Buffer, from: number, end: number, start: number): number {
  let to = start + 1;
  let special = false;
  for (let i = from; i < end; i++) {
    const byte = bytes[i]!;
    bytes[to++] = byte;
    if (byte === QUOTE) {
      bytes[to++] = QUOTE;
      special = true;
    } else if (byte === COMMA || byte === CR || byte === LF) special = true;
  }
  if (special) {
    bytes[start] = QUOTE;
    bytes[to] = QUOTE;
    return to + 1;
  }
  bytes.copyWithin(start, start + 1, to);
  return to - 1;
}
