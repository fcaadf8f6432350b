// Per-row numbers the verifier keeps for the whole run (one row per redemption, invoice, account…), in typed
// arrays of fixed-size pages: a page is added as rows come, nothing is ever copied to grow, and at most one
// page is spare. A single growing array would need its old and new copies at once, 2.5 times its size, at
// the moment of the last growth, when it is largest.

const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;
const MASK = PAGE - 1;

type NumberArray = Int32Array | Uint32Array | Uint16Array;

/** A number per row, in pages of `Page` (Int32Array, Uint32Array, Uint16Array); `fill` where never set. */
export class NumberColumn {
  private readonly pages: NumberArray[] = [];
  constructor(
    private readonly Page: new (length: number) => NumberArray,
    private readonly fill = 0,
  ) {}

  get(row: number): number {
    const page = this.pages[row >>> PAGE_BITS];
    return page === undefined ? this.fill : page[row & MASK]!;
  }

  set(row: number, value: number): void {
    while (this.pages.length <= row >>> PAGE_BITS) this.pages.push(new this.Page(PAGE).fill(this.fill));
    this.pages[row >>> PAGE_BITS]![row & MASK] = value;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * bigint per row and column, `width` columns, in int64 cells updated in place: a Map of bigints would put every
 * updated sum in a new heap BigInt that outlives the young generation, and so leave old-generation garbage at
 * every entry. A value outside 64 bits (never genuine: amounts have 13 integer digits at most) is kept
 * exactly, aside. 0n where never set.
 */
export class Int64Columns {
  private readonly pages: BigInt64Array[] = [];
  private readonly wide = new Map<number, bigint>();
  constructor(private readonly width = 1) {}

  get(row: number, column = 0): bigint {
    const cell = row * this.width + column;
    if (this.wide.size > 0 && this.wide.has(cell)) return this.wide.get(cell)!;
    const page = this.pages[Math.floor(cell / PAGE)];
    return page === undefined ? 0n : page[cell % PAGE]!;
  }

  set(row: number, value: bigint, column = 0): void {
    const cell = row * this.width + column;
    const at = Math.floor(cell / PAGE);
    while (this.pages.length <= at) this.pages.push(new BigInt64Array(PAGE));
    if (value >= INT64_MIN && value <= INT64_MAX) {
      this.pages[at]![cell % PAGE] = value;
      if (this.wide.size > 0) this.wide.delete(cell);
    } else this.wide.set(cell, value);
  }

  add(row: number, delta: bigint, column = 0): void {
    this.set(row, this.get(row, column) + delta, column);
  }
}

/** Int64Columns for the few rows that have any: a row gets its cells when first set (0n before). */
export class SparseInt64Columns {
  private readonly slots = new Map<number, number>();
  private readonly cells: Int64Columns;
  constructor(width = 1) {
    this.cells = new Int64Columns(width);
  }

  get(row: number, column = 0): bigint {
    const slot = this.slots.get(row);
    return slot === undefined ? 0n : this.cells.get(slot, column);
  }

  set(row: number, value: bigint, column = 0): void {
    let slot = this.slots.get(row);
    if (slot === undefined) this.slots.set(row, (slot = this.slots.size));
    this.cells.set(slot, value, column);
  }

  add(row: number, delta: bigint, column = 0): void {
    this.set(row, this.get(row, column) + delta, column);
  }
}

const ARENA_PAGE = 1 << 20;

/**
 * Bytes appended for the whole run, each piece within one page (a piece longer than a page has one of its own).
 * A piece is found by its position: page index × 2^20 + offset, below 2^32 - 2^20 (4 GB in all).
 */
export class ByteArena {
  private readonly pages: Uint8Array[] = [];
  private current = new Uint8Array(0);
  private used = 0;

  /** Copies bytes[start, end) in; returns their position. */
  append(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.used + length > this.current.length) {
      if (this.pages.length >= 2 ** 32 / ARENA_PAGE - 1) throw new RangeError('more than 4 GB of keys');
      this.current = new Uint8Array(Math.max(ARENA_PAGE, length));
      this.pages.push(this.current);
      this.used = 0;
    }
    this.current.set(bytes.subarray(start, end), this.used);
    const position = (this.pages.length - 1) * ARENA_PAGE + this.used;
    this.used += length;
    return position;
  }

  page(position: number): Uint8Array {
    return this.pages[Math.floor(position / ARENA_PAGE)]!;
  }

  /** Every page, in the order they were added; the bytes after the last piece of each are zeros. */
  get allPages(): readonly Uint8Array[] {
    return this.pages;
  }

  static offset(position: number): number {
    return position % ARENA_PAGE;
  }
}
