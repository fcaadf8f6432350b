// The `hashes` check of an NDJSON line without JSON.parse: the RFC 8785 form of the line is put together from
// slices of its text in canonical order (every object's names sorted, the top-level `hash` left out), then
// hashed and compared with the line's `hash`. Slices are exact only for the plain JSON the service writes, so
// on anything else this gives up and the caller canonicalises the parsed line instead (canonical-json.ts): a
// backslash anywhere in the line, whitespace but around the line, a number other than an integer of at most
// 15 digits, -0, a repeated name, nesting deeper than 64, a `hash` that is not a string, or anything that is
// not JSON. Either way the verdict is the same: a line that JSON.parse refuses has no hash to check, and any
// other the slices reproduce character for character (test/unit/verifier-line-hash.test.ts).
import { hash } from 'node:crypto';
import { type Entry, hashProblem, shapeProblem } from './entry.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MAX_DEPTH = 64;
const MAX_DIGITS = 15;

/** Thrown inside the reader only, to give up on a line. */
const GIVE_UP = new Error('not plain JSON');

/**
 * An object's member names in their order, the order that sorts them (by UTF-16 code units, as RFC 8785
 * does) and, per member, the shapes its value has had when an object: the next line of the same kind is
 * read against them, each name checked in one comparison instead of being scanned and looked up.
 */
interface Shape {
  names: string[];
  /** `"name":` per member, as the line has it. */
  labels: string[];
  order: number[];
  sorted: boolean;
  /** The member named `hash`, or -1. */
  hashAt: number;
  children: Shape[][];
}
const MAX_SHAPES_PER_KEY = 16;
const MAX_KEYS = 256;
const MAX_CHILD_SHAPES = 8;

/**
 * Reads one line and returns its canonical form. A value whose text is already canonical (a string, an
 * integer, a literal, or an object or array of such, names in order) is "verbatim": it is returned as
 * undefined and its caller slices the line instead, so that most of the line is copied in a few long slices.
 */
class CanonicalReader {
  private text = '';
  private at = 0;
  /** Per member of the objects being read: its name's quotes and its value's span in the text. */
  private spans = new Int32Array(1024);
  /** Per member: its value's canonical form when that is not its text, and its shape when an object. */
  private rewritten: (string | undefined)[] = [];
  private top = 0;
  /** The shape of the object read last. */
  private lastShape: Shape | undefined;
  /** Shapes by a key of their names' lengths; bounded, so that arbitrary input cannot grow it without limit. */
  private readonly shapes = new Map<number, Shape[]>();
  private readonly topShapes: Shape[] = [];
  /** The top-level `hash` string's content. */
  hashStart = -1;
  hashEnd = -1;

  /** The canonical form of `text` (one JSON object) without its top-level `hash`, or undefined to give up. */
  read(text: string): string | undefined {
    this.text = text;
    this.at = 0;
    this.top = 0;
    this.hashStart = -1;
    try {
      if (text.charCodeAt(0) !== OPEN_BRACE || text.indexOf('\\') >= 0) return undefined;
      const canonical = this.object(0, this.topShapes);
      return this.at === text.length && this.hashStart >= 0 ? canonical : undefined;
    } catch (err) {
      if (err === GIVE_UP) return undefined;
      throw err;
    }
  }

  /** Reads the value at `at`: undefined when its text is canonical, else its canonical form. */
  private value(depth: number, shapes: Shape[] | undefined): string | undefined {
    const code = this.text.charCodeAt(this.at);
    this.lastShape = undefined;
    if (code === QUOTE) this.string();
    else if (code === OPEN_BRACE) return this.object(depth + 1, shapes);
    else if (code === OPEN_BRACKET) return this.array(depth + 1, shapes);
    else if (code === MINUS || (code >= ZERO && code <= NINE)) this.integer();
    else this.literal(code === 0x74 ? 'true' : code === 0x66 ? 'false' : 'null');
    return undefined;
  }

  private string(): void {
    const close = this.text.indexOf('"', this.at + 1);
    if (close < 0) throw GIVE_UP;
    this.at = close + 1;
  }

  /** -?(0|[1-9][0-9]*), at most 15 digits: ECMAScript (so RFC 8785) prints it as written, but for -0. */
  private integer(): void {
    const text = this.text;
    const negative = text.charCodeAt(this.at) === MINUS;
    if (negative) this.at++;
    const first = text.charCodeAt(this.at);
    const start = this.at;
    for (let code = first; code >= ZERO && code <= NINE; code = text.charCodeAt(this.at)) this.at++;
    const digits = this.at - start;
    if (digits === 0 || digits > MAX_DIGITS || (first === ZERO && (digits > 1 || negative))) throw GIVE_UP;
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.at)) throw GIVE_UP;
    this.at += word.length;
  }

  private expect(code: number): void {
    if (this.text.charCodeAt(this.at) !== code) throw GIVE_UP;
    this.at++;
  }

  /** An array's items; the shapes its object items have had are tried on each. */
  private array(depth: number, shapes: Shape[] | undefined): string | undefined {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    this.at++;
    if (this.text.charCodeAt(this.at) === CLOSE_BRACKET) {
      this.at++;
      return undefined;
    }
    const bounds: number[] = [];
    const items: (string | undefined)[] = [];
    let verbatim = true;
    for (;;) {
      const start = this.at;
      const item = this.value(depth, shapes);
      bounds.push(start, this.at);
      items.push(item);
      if (item !== undefined) verbatim = false;
      if (this.text.charCodeAt(this.at) === CLOSE_BRACKET) break;
      this.expect(COMMA);
    }
    this.at++;
    this.lastShape = undefined;
    return verbatim ? undefined : `[${items.map((item, i) => item ?? this.text.slice(bounds[2 * i], bounds[2 * i + 1])).join(',')}]`;
  }

  /** An object, read against the shapes it may have, or else name by name; `lastShape` is its shape. */
  private object(depth: number, shapes: Shape[] | undefined): string | undefined {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const start = this.at;
    if (this.text.charCodeAt(start + 1) === CLOSE_BRACE) {
      this.at += 2;
      this.lastShape = undefined;
      return undefined;
    }
    const base = this.top;
    const shape = (shapes && this.readAsOneOf(shapes, depth, start)) || this.readNames(depth, start, shapes);
    this.lastShape = shape;
    let verbatim = depth > 0 && shape.sorted;
    for (let member = base; verbatim && member < this.top; member++) if (this.rewritten[member] !== undefined) verbatim = false;
    const canonical = verbatim ? undefined : this.members(base, shape, depth === 0);
    this.top = base;
    return canonical;
  }

  /** Reads the object at `start` as the first of `shapes` whose names it has, in order; undefined if none. */
  private readAsOneOf(shapes: Shape[], depth: number, start: number): Shape | undefined {
    for (const shape of shapes) {
      if (!this.text.startsWith(shape.labels[0]!, start + 1)) continue;
      this.at = start + 1;
      if (this.readAs(shape, depth)) return shape;
    }
    return undefined;
  }

  /** Reads the object's members as `shape` has them; false (having read part of it) when they are not. */
  private readAs(shape: Shape, depth: number): boolean {
    const text = this.text;
    const base = this.top;
    for (let i = 0; i < shape.labels.length; i++) {
      if (i > 0) {
        if (text.charCodeAt(this.at) !== COMMA) return this.unread(base, depth);
        this.at++;
      }
      const label = shape.labels[i]!;
      if (!text.startsWith(label, this.at)) return this.unread(base, depth);
      const nameStart = this.at;
      this.at += label.length;
      this.member(depth, nameStart, this.at - 1, depth === 0 && i === shape.hashAt, shape.children[i]);
    }
    if (text.charCodeAt(this.at) !== CLOSE_BRACE) return this.unread(base, depth);
    this.at++;
    return true;
  }

  /** Forgets what was read of an object that turned out not to have the shape tried. */
  private unread(base: number, depth: number): false {
    this.top = base;
    if (depth === 0) this.hashStart = -1;
    return false;
  }

  /** Reads the object's members name by name, and finds (or learns) its shape. */
  private readNames(depth: number, start: number, shapes: Shape[] | undefined): Shape {
    const text = this.text;
    const base = this.top;
    const children: (Shape | undefined)[] = [];
    this.at = start + 1;
    for (;;) {
      const nameStart = this.at;
      if (text.charCodeAt(nameStart) !== QUOTE) throw GIVE_UP;
      this.string();
      const nameEnd = this.at;
      this.expect(COLON);
      const hashName = depth === 0 && nameEnd - nameStart === 6 && text.startsWith('"hash"', nameStart);
      this.member(depth, nameStart, nameEnd, hashName, undefined);
      children.push(this.lastShape);
      if (text.charCodeAt(this.at) === CLOSE_BRACE) break;
      this.expect(COMMA);
    }
    this.at++;
    const shape = this.shapeOf(base);
    children.forEach((child, i) => child && remember(shape.children[i]!, child));
    if (shapes) remember(shapes, shape);
    return shape;
  }

  /** Reads a member's value (its name ends before `valueStart`) and pushes its spans. */
  private member(depth: number, nameStart: number, nameEnd: number, isHash: boolean, shapes: Shape[] | undefined): void {
    const valueStart = nameEnd + 1;
    const value = this.value(depth, shapes);
    if (isHash) {
      if (this.text.charCodeAt(valueStart) !== QUOTE) throw GIVE_UP;
      this.hashStart = valueStart + 1;
      this.hashEnd = this.at - 1;
    }
    this.push(nameStart, nameEnd, valueStart, this.at, value);
  }

  private push(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number, value: string | undefined): void {
    if (this.top * 4 + 4 > this.spans.length) {
      const grown = new Int32Array(2 * this.spans.length);
      grown.set(this.spans);
      this.spans = grown;
    }
    const at = this.top * 4;
    this.spans[at] = nameStart;
    this.spans[at + 1] = nameEnd;
    this.spans[at + 2] = valueStart;
    this.spans[at + 3] = valueEnd;
    this.rewritten[this.top++] = value;
  }

  /** The object's members in name order, `"name":value` each; at the top level without `hash`. */
  private members(base: number, shape: Shape, dropHash: boolean): string {
    const { text, spans } = this;
    let out = '{';
    for (const index of shape.order) {
      if (dropHash && index === shape.hashAt) continue;
      const at = (base + index) * 4;
      const value = this.rewritten[base + index];
      if (out.length > 1) out += ',';
      out += value === undefined ? text.slice(spans[at]!, spans[at + 3]!) : text.slice(spans[at]!, spans[at + 2]!) + value;
    }
    return `${out}}`;
  }

  /** The shape of the members from `base` on (remembered: a ledger has a few dozen); a repeated name gives up. */
  private shapeOf(base: number): Shape {
    const { text, spans } = this;
    const count = this.top - base;
    let key = count;
    for (let at = base * 4; at < this.top * 4; at += 4) key = (key * 31 + spans[at + 1]! - spans[at]!) | 0;
    const candidates = this.shapes.get(key);
    search: for (const shape of candidates ?? []) {
      if (shape.names.length !== count) continue;
      for (let i = 0; i < count; i++) {
        const at = (base + i) * 4;
        if (spans[at + 1]! - spans[at]! + 1 !== shape.labels[i]!.length || !text.startsWith(shape.labels[i]!, spans[at]!)) continue search;
      }
      return shape;
    }
    const shape = newShape(Array.from({ length: count }, (_, i) => text.slice(spans[(base + i) * 4]! + 1, spans[(base + i) * 4 + 1]! - 1)));
    if (candidates) {
      if (candidates.length < MAX_SHAPES_PER_KEY) candidates.push(shape);
    } else if (this.shapes.size < MAX_KEYS) this.shapes.set(key, [shape]);
    return shape;
  }
}

function newShape(names: string[]): Shape {
  // Comparing strings compares UTF-16 code units, as RFC 8785 sorts.
  const order = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  for (let i = 1; i < names.length; i++) if (names[order[i]!] === names[order[i - 1]!]) throw GIVE_UP;
  return {
    names,
    labels: names.map((name) => `"${name}":`),
    order,
    sorted: order.every((member, i) => member === i),
    hashAt: names.indexOf('hash'),
    children: names.map(() => []),
  };
}

/** Adds `shape` to the shapes tried first at its place (bounded). */
function remember(shapes: Shape[], shape: Shape): void {
  if (!shapes.includes(shape) && shapes.length < MAX_CHILD_SHAPES) shapes.push(shape);
}

const reader = new CanonicalReader();

/** The line's canonical form without its `hash`, or undefined where this gives up. */
export function canonicalLine(line: string): string | undefined {
  return reader.read(line);
}

/**
 * True when the line's text shows that its `hash` is SHA-256 of its canonical form; false when it does not
 * show it (a wrong hash, or a line this gives up on), and the caller decides on the parsed line. The text
 * must be well-formed UTF-16 (no lone surrogate), as text decoded from bytes always is.
 */
export function lineHashHolds(line: string): boolean {
  const canonical = reader.read(line);
  if (canonical === undefined || reader.hashEnd - reader.hashStart !== 64) return false;
  return line.startsWith(hash('sha256', canonical, 'hex'), reader.hashStart);
}

/** The seq of an entry whose hash does not hold, and why. */
export type HashFailure = [seq: number, reason: string];

const wellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();
const isBlank = (text: string) => text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');

/** The `hashes` verdict on one line as the main thread reaches it: parsed, shape-checked, canonicalised. */
function parsedLineFailure(line: string): HashFailure | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined; // reported under `format`
  }
  if (shapeProblem(value)) return undefined;
  const problem = hashProblem(value as Entry);
  return problem ? [(value as Entry).seq, problem] : undefined;
}

function lineFailure(line: string, plain: boolean): HashFailure | undefined {
  if (isBlank(line)) return undefined;
  return plain && lineHashHolds(line.trimEnd()) ? undefined : parsedLineFailure(line);
}

/**
 * The `hashes` failures of a batch of NDJSON lines, in order: from the line's text where it decides, else from
 * the parsed line. Bytes are decoded line by line as the main thread decodes them (sources.ts); text that is
 * not well-formed (a lone surrogate, possible only in text a database handed over) is parsed line by line.
 */
export function hashFailures(payload: Uint8Array | string): HashFailure[] {
  const failures: HashFailure[] = [];
  if (typeof payload === 'string') {
    const plain = wellFormed(payload);
    for (const line of payload.split('\n')) {
      const failure = lineFailure(line, plain);
      if (failure) failures.push(failure);
    }
    return failures;
  }
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(10, start);
    const end = newline < 0 ? bytes.length : newline;
    const failure = lineFailure(bytes.toString('utf8', start, end), true);
    if (failure) failures.push(failure);
    start = end + 1;
  }
  return failures;
}
