// RFC 8785 (JCS) canonical JSON, byte for byte what the `canonicalize` package produces for JSON values,
// but about twice as fast on ledger entries:
// - strings and numbers go through the engine's native JSON.stringify: JCS defines both by ECMAScript's
//   serialisation (shortest round-trip numbers, -0 as 0, the same escapes), so this is exact, not close;
// - member names are sorted by UTF-16 code units (Array#sort with no comparator), and the sorted order of
//   each object *shape* (the same names in the same insertion order) is remembered, so the ledger's few
//   shapes are sorted once per run instead of once per object.
// test/unit/verifier-canonical-json.test.ts proves the equivalence with fast-check.

const wellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** I-JSON forbids lone surrogates; `canonicalize` throws on them, so does this. */
function checkWellFormed(text: string): void {
  if (!wellFormed(text)) throw new Error('Lone surrogate is not allowed');
}

interface Shape {
  /** Member names in insertion order, as Object.keys returned them. */
  keys: string[];
  /** The same names in canonical order, and each as a JSON string literal followed by ':'. */
  sorted: string[];
  labels: string[];
}

const MAX_SHAPES_PER_FIRST_KEY = 16;
const MAX_FIRST_KEYS = 256;
/** Shapes by their first member name; bounded, so arbitrary input cannot grow it without limit. */
const shapes = new Map<string, Shape[]>();

function makeShape(keys: string[]): Shape {
  for (const key of keys) checkWellFormed(key);
  const sorted = keys.slice().sort();
  return { keys, sorted, labels: sorted.map((key) => `${JSON.stringify(key)}:`) };
}

/** The shape of an object with these member names; exact: a cached shape is used only when every name matches. */
function shapeOf(keys: string[]): Shape {
  const first = keys[0] ?? '';
  const candidates = shapes.get(first);
  if (candidates) {
    search: for (const shape of candidates) {
      if (shape.keys.length !== keys.length) continue;
      for (let i = 1; i < keys.length; i++) if (shape.keys[i] !== keys[i]) continue search;
      return shape;
    }
  }
  const shape = makeShape(keys);
  if (candidates) {
    if (candidates.length < MAX_SHAPES_PER_FIRST_KEY) candidates.push(shape);
  } else if (shapes.size < MAX_FIRST_KEYS) shapes.set(first, [shape]);
  return shape;
}

function serialise(value: unknown): string {
  switch (typeof value) {
    case 'string':
      checkWellFormed(value);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? serialiseArray(value) : serialiseObject(value as Record<string, unknown>, undefined);
    default:
      throw new TypeError(`a ${typeof value} is not a JSON value`);
  }
}

function serialiseArray(array: unknown[]): string {
  let out = '[';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out += ',';
    const item = array[i];
    out += item === undefined ? 'null' : serialise(item);
  }
  return `${out}]`;
}

function serialiseObject(object: Record<string, unknown>, omit: string | undefined): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return '{}';
  const shape = shapeOf(keys);
  const { sorted, labels } = shape;
  let out = '{';
  let first = true;
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    const member = object[key];
    // As JSON.stringify and `canonicalize` do, an undefined member is left out (JSON.parse never makes one).
    if (member === undefined || key === omit) continue;
    if (!first) out += ',';
    first = false;
    out += labels[i]!;
    out += serialise(member);
  }
  return `${out}}`;
}

/** The RFC 8785 canonical form of a JSON value (as JSON.parse returns it). Throws on lone surrogates, NaN, ±Infinity. */
export function canonicalJson(value: unknown): string {
  return serialise(value);
}

/** The canonical form of an object without one of its top-level members (an entry without its `hash`). */
export function canonicalJsonWithout(object: Record<string, unknown>, member: string): string {
  return serialiseObject(object, member);
}
