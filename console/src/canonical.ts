// RFC 8785 (JSON Canonicalization Scheme) and SHA-256 with WebCrypto: the browser's own check of a ledger
// entry's hash, independent of the server (the entry as the API returns it, without `hash`).

export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('non-finite number');
    return JSON.stringify(value); // ECMAScript number serialisation, which RFC 8785 adopts
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    // Keys sorted by their UTF-16 code units: JavaScript's default string order.
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
  }
  throw new Error(`cannot canonicalise ${typeof value}`);
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The entry's hash recomputed here: SHA-256 of the canonical JSON of every field but `hash`. */
export async function recomputeEntryHash(entry: Record<string, unknown>): Promise<string> {
  const { hash: _hash, ...rest } = entry;
  return sha256Hex(canonicalize(rest));
}
